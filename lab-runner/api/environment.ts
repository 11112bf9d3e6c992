/**
 * How an environment variable is declared: its zod schema carries its documentation, so the
 * configuration tables in README.md and docs/operating.md are generated from the schemas that parse
 * the variables (`npm run docs:config`) and cannot drift from them. The variables the web app and
 * the runner both read are declared here, once, so the two validate and document them alike.
 */
import { z } from 'zod';

export type SettingDoc = {
  /** What the variable means, short: both tables. */
  description: string;
  /** More for whoever runs a server: only docs/operating.md, after the description. */
  details?: string;
  /** The default column when the schema has no default: what happens while the variable is unset. */
  unset?: string;
};

/** Each documented schema's SettingDoc, read back by the table generator. */
export const settingDocs = z.registry<SettingDoc>();

/** Documents `schema`; call it on the finished schema (after `.default()`, `.transform()`, …). */
export function documented<T extends z.ZodType>(schema: T, doc: SettingDoc): T {
  settingDocs.add(schema, doc);
  return schema;
}

/** Where the shared secret comes from, and the runner's data folder, where a generated one lives. */
export const sharedEnvironment = {
  RUNNER_SECRET: documented(z.string().min(16, 'must be at least 16 characters').optional(), {
    description:
      'shared by the web app and the runner: the server-to-server bearer secret and the key that signs ' +
      'browser tokens (at least 16 characters)',
    details: 'On one host both read the generated file; on separate hosts give both the same secret',
    unset: 'generated into `<RUNNER_DATA_DIR>/runner-secret`',
  }),
  RUNNER_SECRET_FILE: documented(z.string().min(1).optional(), {
    description:
      'a file holding that secret instead (a Compose secret, a systemd credential); not together with ' +
      '`RUNNER_SECRET`',
    details:
      'Relative paths are resolved against the project folder; whitespace around the secret is ignored',
  }),
  RUNNER_DATA_DIR: documented(z.string().min(1).default('data/runner'), {
    description:
      "the runner's folder: one sub-folder per sandbox (workspace image, mount point, sockets) and the " +
      'generated secret, which the web app reads too',
    details:
      'Relative paths are resolved against the project folder. It needs room for the workspaces ' +
      '(see [capacity planning](#capacity-planning))',
  }),
};
