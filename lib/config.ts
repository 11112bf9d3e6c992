/**
 * The web app's configuration, read once from the environment into a typed object.
 * Every variable is documented in README.md ("Configuration").
 */
import path from 'node:path';
import { z } from 'zod';

/** Every command (npm scripts, Next.js, the tests) runs from the project root. */
export const projectRoot = process.cwd();

const port = z.coerce.number().int().min(1).max(65535);

const environmentSchema = z.object({
  PORT: port.default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .regex(/^file:.+/, 'must be a SQLite file URL such as file:./data/academy.db')
    .default('file:./data/academy.db'),
});

export type AppConfig = {
  port: number;
  host: string;
  /** As given, e.g. `file:./data/academy.db`. */
  databaseUrl: string;
  /** Absolute path of the SQLite file; relative URLs are resolved against the project root. */
  databasePath: string;
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function parseConfig(env: Record<string, string | undefined>): AppConfig {
  const result = environmentSchema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid environment: ${problems.join('; ')}`);
  }
  const { PORT, HOST, DATABASE_URL } = result.data;
  return {
    port: PORT,
    host: HOST,
    databaseUrl: DATABASE_URL,
    databasePath: databasePathFromUrl(DATABASE_URL),
  };
}

export function databasePathFromUrl(databaseUrl: string): string {
  const filePart = databaseUrl.replace(/^file:/, '').replace(/\?.*$/, '');
  return path.resolve(/*turbopackIgnore: true*/ projectRoot, filePart);
}

let cached: AppConfig | undefined;

export function getConfig(): AppConfig {
  cached ??= parseConfig(process.env);
  return cached;
}
