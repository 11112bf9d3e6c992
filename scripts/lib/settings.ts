/**
 * Every environment variable the platform reads, with its default and meaning, taken from the zod
 * schemas that parse them (their `documented(…)` entries) so the configuration tables say what the
 * code does. The few variables no schema of ours parses are listed here instead.
 */
import { z } from 'zod';
import { runnerEnvironment } from '@/lab-runner/config';
import { settingDocs, sharedEnvironment } from '@/lab-runner/api/environment';
import { imageBuildEnvironment } from '@/lab-runner/image/build';
import { webEnvironment } from '@/lib/config';

/** In the order the tables show them. */
export const settingGroups = ['web', 'runner', 'shared', 'image', 'tests'] as const;
export type SettingGroup = (typeof settingGroups)[number];

export type Setting = {
  name: string;
  group: SettingGroup;
  /** Markdown: a value in backticks, or words such as "unset". */
  defaultText: string;
  description: string;
  details?: string;
};

/** Read by a library (dockerode) or only by the test tooling, so no schema of ours parses them. */
const unparsedSettings: readonly Setting[] = [
  {
    name: 'DOCKER_HOST',
    group: 'runner',
    defaultText: 'the local socket',
    description: 'the Docker engine the runner drives (read by dockerode)',
    details:
      'When it is unset and no engine answers, the runner (as root) installs `docker.io` and starts ' +
      'dockerd itself; when it is set, that engine must answer',
  },
  {
    name: 'CHROMIUM_PATH',
    group: 'tests',
    defaultText: '`/usr/bin/chromium`',
    description: 'the Chromium the end-to-end tests drive',
  },
  {
    name: 'E2E_PORT',
    group: 'tests',
    defaultText: '`3100`',
    description: 'port of the production server the end-to-end tests start',
  },
  {
    name: 'E2E_RUNNER_PORT',
    group: 'tests',
    defaultText: '`4100`',
    description: 'port of the lab runner the end-to-end tests start',
  },
];

export class SettingDocError extends Error {
  override name = 'SettingDocError';
}

/** One variable's row, from its schema: the default is what the schema makes of an unset variable. */
export function settingOf(name: string, schema: z.core.$ZodType, group: SettingGroup): Setting {
  const doc = settingDocs.get(schema);
  if (!doc) {
    throw new SettingDocError(
      `${name} is not documented: wrap its finished schema in documented(…) from lab-runner/api/environment.ts`,
    );
  }
  const unset = z.safeParse(schema, undefined);
  const hasDefault = unset.success && unset.data !== undefined;
  if (hasDefault && doc.unset) {
    throw new SettingDocError(`${name} has a default, so its documentation must not describe it as unset`);
  }
  return {
    name,
    group,
    defaultText: hasDefault ? `\`${String(unset.data)}\`` : (doc.unset ?? 'unset'),
    description: doc.description,
    ...(doc.details ? { details: doc.details } : {}),
  };
}

type Shape = Record<string, z.core.$ZodType>;

/**
 * The web app's and the runner's own variables; one both read must be the very schema in
 * `sharedEnvironment`, so the two cannot validate or document it differently.
 */
function ownSettings(shape: Shape, group: SettingGroup, otherShape: Shape): Setting[] {
  const shared: Shape = sharedEnvironment;
  return Object.entries(shape).flatMap(([name, schema]) => {
    if (name in shared) {
      if (schema !== shared[name]) {
        throw new SettingDocError(`${name} must be sharedEnvironment.${name}, not a schema of its own`);
      }
      return [];
    }
    if (name in otherShape) {
      throw new SettingDocError(
        `${name} is read by the web app and the runner: declare it in sharedEnvironment`,
      );
    }
    return [settingOf(name, schema, group)];
  });
}

/** Every documented variable, grouped in `settingGroups` order. */
export function allSettings(): Setting[] {
  const web: Shape = webEnvironment.shape;
  const runner: Shape = runnerEnvironment.shape;
  const settings = [
    ...ownSettings(web, 'web', runner),
    ...ownSettings(runner, 'runner', web),
    ...Object.entries(sharedEnvironment).map(([name, schema]) => settingOf(name, schema, 'shared')),
    ...Object.entries(imageBuildEnvironment.shape).map(([name, schema]) => settingOf(name, schema, 'image')),
    ...unparsedSettings,
  ];
  const names = settings.map((setting) => setting.name);
  const repeated = names.filter((name, index) => names.indexOf(name) !== index);
  if (repeated.length) throw new SettingDocError(`Documented twice: ${repeated.join(', ')}`);
  return settingGroups.flatMap((group) => settings.filter((setting) => setting.group === group));
}
