# The platform image: the web app and the lab runner, which compose.yaml runs as two services.
# For hosts that can pull node:20-bookworm from a registry. Not built on the project's own machine
# (no Docker Hub there): see docs/operating.md ("Docker Compose").
#
#   docker compose build        # or: docker build -t mlops-academy/platform .
FROM node:20-bookworm

# What the runner needs besides Node: mkfs.ext4 and mount for the learners' size-capped workspaces
# (e2fsprogs; mount is in the base image), and debootstrap to build the sandbox image when its
# inputs change (lab-runner/image/build.ts).
RUN apt-get update \
  && apt-get install -y --no-install-recommends debootstrap e2fsprogs \
  && rm -rf /var/lib/apt/lists/*

WORKDIR /app

COPY package.json package-lock.json .npmrc ./
RUN npm ci

COPY . .
# Prisma client, Monaco's files and the production build (`next build`), as `npm start` makes them.
RUN node_modules/.bin/tsx scripts/platform.ts build \
  && mkdir -p /var/lib/mlops-academy/web \
  && chown -R node:node /var/lib/mlops-academy/web /app/.next

ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1

# compose.yaml sets the command per service; alone, the image serves the web app.
CMD ["node", "--import", "tsx", "scripts/platform.ts", "serve"]
