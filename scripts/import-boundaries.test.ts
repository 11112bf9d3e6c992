/**
 * The lint rule that keeps imports flowing one way between the parts (eslint.config.mjs): each case
 * is a line of code linted as if it were in that file, through the project's own ESLint config.
 */
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: process.cwd() });
});

async function boundaryErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\nexport {};\n`, { filePath: file });
  return (result?.messages ?? [])
    .filter((message) => message.ruleId === 'no-restricted-imports')
    .map((message) => message.message);
}

const refused: [string, string][] = [
  ['lab-runner/server/app.ts', "import { getConfig } from '@/lib/config';"],
  ['lab-runner/sessions/manager.ts', "import { x } from '../../lib/labs/catalog';"],
  ['lab-runner/grading/grader.ts', "import { buildTrackingServer } from '@/labkit/tracking/server';"],
  ['lib/runner/client.ts', "import type { SessionManager } from '@/lab-runner/sessions/manager';"],
  ['lib/labs/catalog.ts', "import { x } from '../../lab-runner/labs';"],
  ['app/admin/page.tsx', "import { capacityView } from '@/lab-runner/server/app';"],
  ['components/lab/StepPanel.tsx', "import { gradeStep } from '@/lab-runner/grading/grader';"],
  ['components/lab/services/tracking/tracking-client.ts', "import { Store } from '@/labkit/tracking/store';"],
  ['lib/labs/catalog.ts', "import { wire } from '@/labkit/tracking/wire';"],
  ['labkit/tracking/server.ts', "import { getConfig } from '@/lib/config';"],
  ['labkit/cli/main.ts', "import { RunnerError } from '@/lab-runner/errors';"],
  ['labkit/cli/main.ts', "import { loadLab } from '@/lab-runner/api/lab-loader';"],
  ['labkit/tracking/store.ts', "import { x } from '../../lab-runner/api/labkit-services';"],
  ['labkit/cli/runs.test.ts', "import { x } from '@/tests/integration/grading.test';"],
];

const allowed: [string, string][] = [
  ['lib/runner/client.ts', "import { mintBrowserToken } from '@/lab-runner/api/tokens';"],
  [
    'components/lab/services/service-pages.ts',
    "import { labkitServices } from '@/lab-runner/api/labkit-services';",
  ],
  [
    'components/lab/services/tracking/tracking-client.ts',
    "import { schemas } from '@/labkit/tracking/wire';",
  ],
  ['labkit/cli/services.ts', "import { labkitServices } from '@/lab-runner/api/labkit-services';"],
  ['labkit/cli/runs.test.ts', "import { tempDirsForEachTest } from '@/tests/support/temp-dir';"],
  ['lab-runner/image/build.ts', "import { labkitBundleHash } from '@/labkit/bundle';"],
  ['lab-runner/sessions/manager.ts', "import { RunnerError } from '../errors';"],
  ['lib/labs/catalog.ts', "import { compileMdx } from '../content/compile';"],
];

describe('import boundaries between the parts', () => {
  it.each(refused)('refuses, in %s: %s', async (file, code) => {
    expect(await boundaryErrors(file, code)).not.toEqual([]);
  });

  it.each(allowed)('allows, in %s: %s', async (file, code) => {
    expect(await boundaryErrors(file, code)).toEqual([]);
  });
});
