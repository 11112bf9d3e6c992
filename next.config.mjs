/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // mdx-bundler drives esbuild (a native binary) at build time; better-sqlite3 is a native addon.
  // Both must be loaded from node_modules by Node, never bundled.
  serverExternalPackages: ['mdx-bundler', 'esbuild', 'better-sqlite3', '@prisma/adapter-better-sqlite3'],
  // The classroom may be air-gapped: never phone home.
  images: { unoptimized: true },
  // `forbidden()` answers 403 from a page whose role the user lacks (lib/auth/page-guards.ts).
  experimental: { authInterrupts: true },
};

export default nextConfig;
