import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDirsForEachTest } from '@/tests/support/temp-dir';
import { models, parseStage } from './models';
import { textWidth } from './table';
import { captureIo, seedRun, startTestServer, type TestServer } from './testing';

const newDir = tempDirsForEachTest('labkit-models-');
const now = Date.now();

let server: TestServer;
let runIds: string[];

beforeEach(async () => {
  server = await startTestServer(newDir());
  const { experiment_id } = await server.api('POST', 'experiments/create', { name: 'delivery-times' });
  runIds = [];
  for (const name of ['forest', 'boosting', 'tuned']) {
    runIds.push(
      await seedRun(server, { experimentId: experiment_id, name, startTime: now, durationMs: 1000 }),
    );
  }
});

afterEach(async () => {
  await server.close();
});

function io(options: { width?: number } = {}) {
  // The real clock: registry times are the server's, "just now" in these tests.
  return captureIo({ MLFLOW_TRACKING_URI: server.uri }, options);
}

/** Registers `delivery-eta` with a version per run, as `mlflow.register_model` does. */
async function registerVersions(): Promise<void> {
  await server.api('POST', 'registered-models/create', {
    name: 'delivery-eta',
    description: 'Minutes until the parcel arrives',
  });
  for (const runId of runIds) {
    await server.api('POST', 'model-versions/create', {
      name: 'delivery-eta',
      source: `mlflow-artifacts:/1/${runId}/artifacts/model`,
      run_id: runId,
    });
  }
}

describe('labkit models list', () => {
  it('says how to register a model when there is none', async () => {
    const out = io();
    expect(await models(['list'], out)).toBe(0);
    expect(out.stdout()).toContain(
      'No registered models yet. Register one from Python with mlflow.register_model(',
    );
  });

  it('lists models with their latest version, stages and aliases', async () => {
    await registerVersions();
    await server.api('POST', 'registered-models/create', { name: 'churn' });
    await server.api('POST', 'model-versions/transition-stage', {
      name: 'delivery-eta',
      version: '2',
      stage: 'Production',
    });
    await server.api('POST', 'registered-models/alias', {
      name: 'delivery-eta',
      alias: 'champion',
      version: '2',
    });
    const out = io();
    expect(await models(['list'], out)).toBe(0);
    const lines = out.stdout().split('\n');
    expect(lines[0]).toMatch(/^name\s+latest\s+stages\s+aliases\s+updated\s+description$/);
    expect(lines[1]).toMatch(/^churn\s+-\s+-\s+-\s+just now$/);
    expect(lines[2]).toMatch(
      /^delivery-eta\s+v3\s+Production v2\s+@champion → v2\s+just now\s+Minutes until the parcel arrives$/,
    );

    const json = io();
    expect(await models(['list', '--json'], json)).toBe(0);
    expect(JSON.parse(json.stdout()).registered_models.map((m: { name: string }) => m.name)).toEqual([
      'churn',
      'delivery-eta',
    ]);
  });
});

describe('labkit models show', () => {
  it('shows the model and every version: stage, aliases, run, source', async () => {
    await registerVersions();
    await server.api('POST', 'model-versions/transition-stage', {
      name: 'delivery-eta',
      version: '1',
      stage: 'Staging',
    });
    await server.api('POST', 'registered-models/alias', {
      name: 'delivery-eta',
      alias: 'challenger',
      version: '3',
    });
    const out = io();
    expect(await models(['show', 'delivery-eta'], out)).toBe(0);
    const text = out.stdout();
    expect(text).toMatch(/^Model delivery-eta\n {2}description\s+Minutes until the parcel arrives\n/);
    expect(text).toMatch(/aliases\s+@challenger → v3/);
    expect(text).toContain('Versions (3)');
    const [forest = '', boosting = '', tuned = ''] = runIds;
    expect(text).toMatch(new RegExp(`\\n {2}version\\s+stage\\s+aliases\\s+run id\\s+created\\s+source\\n`));
    expect(text).toMatch(
      new RegExp(
        `\\n {7}v3\\s+None\\s+@challenger\\s+${tuned.slice(0, 8)}\\s+just now\\s+mlflow-artifacts:/1/${tuned}/artifacts/model\\n`,
      ),
    );
    expect(text).toMatch(new RegExp(`\\n {7}v2\\s+None\\s+-\\s+${boosting.slice(0, 8)}\\s`));
    expect(text).toMatch(new RegExp(`\\n {7}v1\\s+Staging\\s+-\\s+${forest.slice(0, 8)}\\s`));

    const narrow = io({ width: 70 });
    expect(await models(['show', 'delivery-eta'], narrow)).toBe(0);
    for (const line of narrow.stdout().split('\n')) expect(textWidth(line)).toBeLessThanOrEqual(70);
    expect(narrow.stdout()).toContain('mlflow-art');
    expect(narrow.stdout()).toContain('…');

    const json = io();
    expect(await models(['show', 'delivery-eta', '--json'], json)).toBe(0);
    const parsed = JSON.parse(json.stdout());
    expect(parsed.registered_model.name).toBe('delivery-eta');
    expect(parsed.model_versions.map((v: { version: string }) => v.version)).toEqual(['3', '2', '1']);
  });

  it('says which models there are when the name is unknown (exit 1)', async () => {
    const out = io();
    expect(await models(['show', 'delivery-etta'], out)).toBe(1);
    expect(out.stderr()).toBe(
      'labkit models show: There is no registered model "delivery-etta". `labkit models list` shows the models there are.',
    );
  });
});

describe('labkit models promote', () => {
  beforeEach(registerVersions);

  it('moves a version to a stage (any letter case), archiving the others with --archive-existing', async () => {
    const first = io();
    expect(await models(['promote', 'delivery-eta', '1', '--stage', 'production'], first)).toBe(0);
    expect(first.stdout()).toBe(
      'delivery-eta version 1: None → Production.\nClients load it as models:/delivery-eta/Production.',
    );
    const second = io();
    expect(
      await models(['promote', 'delivery-eta', 'v3', '--stage', 'Production', '--archive-existing'], second),
    ).toBe(0);
    expect(second.stdout()).toBe(
      [
        'delivery-eta version 3: None → Production.',
        'delivery-eta version 1: Production → Archived (--archive-existing).',
        'Clients load it as models:/delivery-eta/Production.',
      ].join('\n'),
    );
    const { model_version } = await server.api('GET', 'model-versions/get', {
      name: 'delivery-eta',
      version: '1',
    });
    expect(model_version.current_stage).toBe('Archived');
    const again = io();
    expect(await models(['promote', 'delivery-eta', '3', '--stage', 'PRODUCTION'], again)).toBe(0);
    expect(again.stdout()).toContain('delivery-eta version 3 was already in Production.');
  });

  it('points an alias at a version, saying where it pointed before', async () => {
    const first = io();
    expect(await models(['promote', 'delivery-eta', '2', '--alias', 'champion'], first)).toBe(0);
    expect(first.stdout()).toBe(
      '@champion now points to delivery-eta version 2.\nClients load it as models:/delivery-eta@champion.',
    );
    const moved = io();
    expect(
      await models(['promote', 'delivery-eta', '3', '--alias', 'champion', '--stage', 'Staging'], moved),
    ).toBe(0);
    expect(moved.stdout()).toContain('delivery-eta version 3: None → Staging.');
    expect(moved.stdout()).toContain(
      '@champion now points to delivery-eta version 3 (it pointed to version 2).',
    );
    const { model_version } = await server.api('GET', 'registered-models/alias', {
      name: 'delivery-eta',
      alias: 'champion',
    });
    expect(model_version.version).toBe('3');
  });

  it('answers a missing model or version with exit 1 and where to look', async () => {
    const model = io();
    expect(await models(['promote', 'nope', '1', '--alias', 'champion'], model)).toBe(1);
    expect(model.stderr()).toContain('There is no registered model "nope". `labkit models list`');
    const version = io();
    expect(await models(['promote', 'delivery-eta', '9', '--stage', 'Staging'], version)).toBe(1);
    expect(version.stderr()).toContain(
      'Model Version (name=delivery-eta, version=9) not found. `labkit models show delivery-eta` shows its versions.',
    );
  });

  it('answers a wrong command line with exit 2 and what to fix', async () => {
    const cases: [string[], string][] = [
      [
        ['promote', 'delivery-eta', '1'],
        'Say where the version goes: --stage Staging|Production|Archived, or --alias',
      ],
      [['promote', 'delivery-eta', '1', '--stage', 'prod'], '"prod" is not a stage: use Staging, Production'],
      [['promote', 'delivery-eta', 'one', '--stage', 'Staging'], '"one" is not a version number'],
      [['promote', 'delivery-eta', '--stage', 'Staging'], 'Name the model and the version'],
      [
        ['promote', 'delivery-eta', '1', '--alias', 'x', '--archive-existing'],
        '--archive-existing goes with --stage',
      ],
      [['promote', 'delivery-eta', '1', '--alias', 'top model'], '"top model" is not an alias'],
      [['promote', 'delivery-eta', '1', '--alias', 'latest'], "'latest' is a reserved alias"],
    ];
    for (const [args, message] of cases) {
      const out = io();
      expect(await models(args, out), args.join(' ')).toBe(2);
      expect(out.stderr()).toContain(message);
    }
  });
});

describe('parseStage', () => {
  it('reads stages in any letter case', () => {
    expect(['staging', 'PRODUCTION', 'Archived', 'none'].map(parseStage)).toEqual([
      'Staging',
      'Production',
      'Archived',
      'None',
    ]);
    expect(() => parseStage('live')).toThrow(/not a stage/);
  });
});

describe('labkit models help', () => {
  it('prints usage with --help (exit 0)', async () => {
    const out = io();
    expect(await models(['promote', '--help'], out)).toBe(0);
    expect(out.stdout()).toMatch(/^Usage: labkit models promote NAME VERSION --stage/);
  });
});
