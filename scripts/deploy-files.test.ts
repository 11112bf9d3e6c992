/**
 * The self-hosting files (compose.yaml, Dockerfile, deploy/) cannot be run on the project's machine
 * (no Docker Hub, no systemd as PID 1), so their invariants are checked here: only the runner
 * reaches Docker, no secret is written inline, the runner's data folder has the same path inside
 * and outside, only the web app is published, and the systemd unit stops every process it started.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { allSettings } from './lib/settings';

const root = path.resolve(import.meta.dirname, '..');
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');

const volumeSchema = z.union([
  z.string(),
  z.object({
    type: z.enum(['bind', 'volume', 'tmpfs']),
    source: z.string().optional(),
    target: z.string(),
    bind: z
      .object({ propagation: z.string().optional(), create_host_path: z.boolean().optional() })
      .optional(),
  }),
]);

const serviceSchema = z.object({
  build: z.string().optional(),
  image: z.string(),
  command: z.array(z.string()),
  user: z.string().optional(),
  privileged: z.boolean().optional(),
  environment: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  env_file: z.array(z.object({ path: z.string(), required: z.boolean() })).optional(),
  secrets: z.array(z.string()).optional(),
  ports: z.array(z.string()).optional(),
  expose: z.array(z.string()).optional(),
  volumes: z.array(volumeSchema).default([]),
});

const composeSchema = z.object({
  services: z.record(z.string(), serviceSchema),
  secrets: z.record(z.string(), z.object({ file: z.string() })),
  volumes: z.record(z.string(), z.null()),
});

const compose = composeSchema.parse(parseYaml(read('compose.yaml'), { merge: true }));
const { web, runner } = compose.services;

/** `${NAME:-default}` → default, as Compose interpolates it when NAME is unset. */
const withDefaults = (value: string) => value.replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1');

const mounts = (service: z.infer<typeof serviceSchema>) =>
  service.volumes.map((volume) => {
    if (typeof volume !== 'string')
      return { ...volume, source: volume.source && withDefaults(volume.source) };
    const [source = '', target = ''] = withDefaults(volume).split(':');
    return { type: source.startsWith('/') ? 'bind' : 'volume', source, target, bind: undefined };
  });

describe('compose.yaml', () => {
  it('runs the web app and the lab runner as two services of the platform image', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['runner', 'web']);
    expect(web?.image).toBe(runner?.image);
    expect(web?.build).toBe('.');
    expect(runner?.build).toBe('.');
    expect(web?.command).toEqual(['node', '--import', 'tsx', 'scripts/platform.ts', 'serve']);
    expect(runner?.command).toEqual(['node', '--import', 'tsx', 'scripts/platform.ts', 'runner']);
  });

  it('mounts the Docker socket into the runner only', () => {
    const socketMounts = (service: z.infer<typeof serviceSchema>) =>
      mounts(service).filter((mount) => mount.source?.includes('docker.sock'));
    expect(socketMounts(runner!)).toEqual([
      expect.objectContaining({ source: '/var/run/docker.sock', target: '/var/run/docker.sock' }),
    ]);
    expect(socketMounts(web!)).toEqual([]);
    expect(web?.privileged).toBeFalsy();
    expect(web?.user).toBe('node');
  });

  it("keeps the runner's data folder at the same host path inside, shared back to the host", () => {
    const dataDir = withDefaults(String(runner?.environment.RUNNER_DATA_DIR));
    expect(path.isAbsolute(dataDir)).toBe(true);
    const mount = mounts(runner!).find(
      (candidate) => candidate.target && withDefaults(candidate.target) === dataDir,
    );
    expect(mount).toMatchObject({ type: 'bind', source: dataDir, bind: { propagation: 'rshared' } });
    expect(mounts(web!).some((candidate) => candidate.source === dataDir)).toBe(false);
  });

  it('writes no secret inline: the runner secret is a file, the same for both services', () => {
    for (const service of [web!, runner!]) {
      for (const [name, value] of Object.entries(service.environment)) {
        if (/SECRET|PASSWORD|TOKEN|KEY/.test(name)) {
          expect(name, `${name} must point at a file`).toMatch(/_FILE$/);
          expect(String(value)).toMatch(/^\/run\/secrets\//);
        }
      }
      expect(service.environment.RUNNER_SECRET_FILE).toBe('/run/secrets/runner_secret');
      expect(service.secrets).toEqual(['runner_secret']);
    }
    expect(compose.secrets.runner_secret?.file).toBe('./secrets/runner_secret');
    expect(read('.dockerignore')).toMatch(/^secrets$/m);
    expect(read('.gitignore')).toMatch(/^\/secrets\/$/m);
  });

  it('publishes only the web app; the runner is reached on the compose network', () => {
    expect(web?.ports).toEqual(['${ACADEMY_PORT:-3000}:3000']);
    expect(web?.environment.PORT).toBe('3000');
    expect(runner?.ports).toBeUndefined();
    expect(runner?.expose).toEqual(['4000']);
    expect(runner?.environment).toMatchObject({ RUNNER_HOST: '0.0.0.0', RUNNER_PORT: '4000' });
    expect(web?.environment.RUNNER_URL).toBe('http://runner:4000');
  });

  it('keeps the database in a volume of the web app', () => {
    const databaseUrl = String(web?.environment.DATABASE_URL);
    const databaseDir = path.dirname(databaseUrl.replace(/^file:/, ''));
    expect(mounts(web!)).toContainEqual(expect.objectContaining({ type: 'volume', target: databaseDir }));
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');

  it('builds on node:20-bookworm with the locked dependencies and the production build', () => {
    expect(dockerfile).toMatch(/^FROM node:20-bookworm$/m);
    expect(dockerfile).toMatch(/^RUN npm ci$/m);
    expect(dockerfile).toMatch(/tsx scripts\/platform\.ts build/);
  });

  it('leaves local state and secrets out of the build context', () => {
    const ignored = read('.dockerignore').split('\n');
    for (const entry of ['node_modules', 'data', 'secrets', '.next', '.git', 'academy.env']) {
      expect(ignored).toContain(entry);
    }
  });
});

describe('deploy/mlops-academy.service', () => {
  const settings = new Map<string, string>();
  for (const line of read('deploy/mlops-academy.service').split('\n')) {
    const match = /^([A-Za-z]+)=(.*)$/.exec(line.trim());
    if (match) settings.set(match[1]!, match[2]!);
  }

  it('runs npm start in the project folder with an environment file', () => {
    expect(settings.get('ExecStart')).toMatch(/\/npm start$/);
    expect(settings.get('WorkingDirectory')).toBe('/opt/mlops-academy');
    expect(settings.get('EnvironmentFile')).toBe('/etc/mlops-academy/academy.env');
    expect(settings.get('User')).toBe('root');
  });

  it('stops every process it started, and restarts after a failure', () => {
    expect(settings.get('KillMode')).toBe('control-group');
    expect(settings.get('Restart')).toBe('on-failure');
  });

  it('shares the mount namespace with the Docker daemon (no mount sandboxing)', () => {
    for (const setting of [
      'PrivateTmp',
      'ProtectSystem',
      'ProtectHome',
      'PrivateDevices',
      'TemporaryFileSystem',
    ]) {
      expect(settings.has(setting), setting).toBe(false);
    }
  });

  it('names only documented variables in its example environment file', () => {
    const example = read('deploy/academy.env.example');
    const names = [...example.matchAll(/^#?([A-Z_]+)=/gm)].map((match) => match[1]);
    const documented = allSettings().map((setting) => setting.name);
    for (const name of names) expect(documented, name).toContain(name);
  });
});
