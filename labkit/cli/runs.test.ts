import { execFile } from 'node:child_process';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDirsForEachTest } from '@/tests/support/temp-dir';
import type { Env } from './io';
import { runs } from './runs';
import { textWidth } from './table';
import { captureIo, seedRun, startTestServer, type TestServer } from './testing';

const newDir = tempDirsForEachTest('labkit-runs-');
const now = Date.UTC(2026, 2, 1, 12, 0, 0);
const minute = 60_000;

let server: TestServer;
let experimentId: string;
let forest: string;
let boosting: string;
let linear: string;

beforeEach(async () => {
  server = await startTestServer(newDir());
  ({ experiment_id: experimentId } = await server.api('POST', 'experiments/create', {
    name: 'delivery-times',
  }));
  forest = await seedRun(server, {
    experimentId,
    name: 'forest',
    startTime: now - 30 * minute,
    durationMs: 12_300,
    params: { model: 'forest', n_estimators: '100' },
    metrics: { rmse: [0.9, 0.61234], r2: [0.81] },
  });
  boosting = await seedRun(server, {
    experimentId,
    name: 'boosting',
    startTime: now - 20 * minute,
    durationMs: 245_000,
    params: { model: 'boosting', n_estimators: '300' },
    metrics: { rmse: [0.5, 0.4, 0.41234], r2: [0.88] },
    tags: { team: 'eta' },
  });
  linear = await seedRun(server, {
    experimentId,
    name: 'linear',
    startTime: now - 5 * minute,
    status: 'FAILED',
    durationMs: 800,
    params: { model: 'linear' },
    metrics: { rmse: [NaN] },
  });
});

afterEach(async () => {
  await server.close();
});

function io(env: Env = {}, options: { width?: number; color?: boolean } = {}) {
  return captureIo({ MLFLOW_TRACKING_URI: server.uri, ...env }, { now, ...options });
}

describe('labkit runs list', () => {
  it('lists the runs of every active experiment, newest first, with a column per param and metric', async () => {
    await seedRun(server, { name: 'in-default', startTime: now - 3 * 3600_000 });
    const out = io();
    expect(await runs(['list'], out)).toBe(0);
    const lines = out.stdout().split('\n');
    expect(lines[0]).toMatch(/^\s+params ─+\s+metrics ─+$/);
    expect(lines[1]).toMatch(
      /^run id\s+experiment\s+name\s+status\s+start\s+duration\s+model\s+n_estimators\s+r2\s+rmse$/,
    );
    expect(lines[2]).toMatch(
      new RegExp(
        `^${linear.slice(0, 8)}\\s+delivery-times\\s+linear\\s+FAILED\\s+5 min ago\\s+800 ms\\s+linear\\s+-\\s+-\\s+NaN$`,
      ),
    );
    expect(lines[3]).toMatch(
      new RegExp(
        `^${boosting.slice(0, 8)}\\s+delivery-times\\s+boosting\\s+FINISHED\\s+20 min ago\\s+4m 05s\\s+boosting\\s+300\\s+0.88\\s+0.4123$`,
      ),
    );
    expect(lines[4]).toMatch(
      new RegExp(
        `^${forest.slice(0, 8)}\\s+delivery-times\\s+forest\\s+FINISHED\\s+30 min ago\\s+12 s\\s+forest\\s+100\\s+0.81\\s+0.6123$`,
      ),
    );
    expect(lines[5]).toMatch(/^[0-9a-f]{8}\s+Default\s+in-default\s+RUNNING\s+3 h ago\s+-/);
    expect(lines).toHaveLength(6);
    expect(out.stderr()).toBe('');
  });

  it('lists MLFLOW_EXPERIMENT_NAME’s runs without an experiment column, and --experiment by name or id', async () => {
    const other = await server.api('POST', 'experiments/create', { name: 'other' });
    await seedRun(server, { experimentId: other.experiment_id, name: 'elsewhere', startTime: now });
    const fromEnv = io({ MLFLOW_EXPERIMENT_NAME: 'delivery-times' });
    expect(await runs(['list'], fromEnv)).toBe(0);
    expect(fromEnv.stdout()).not.toContain('experiment');
    expect(fromEnv.stdout()).not.toContain('elsewhere');
    expect(fromEnv.stdout().split('\n')).toHaveLength(5);

    const byId = io({ MLFLOW_EXPERIMENT_NAME: 'delivery-times' });
    expect(await runs(['list', '--experiment', other.experiment_id], byId)).toBe(0);
    expect(byId.stdout()).toContain('elsewhere');
    expect(byId.stdout()).not.toContain('forest');
    const byName = io();
    expect(await runs(['list', '-e', 'other'], byName)).toBe(0);
    expect(byName.stdout()).toMatch(/elsewhere\s+RUNNING\s+just now/);
  });

  it('says which experiments there are when the one asked for does not exist (exit 1)', async () => {
    const out = io();
    expect(await runs(['list', '--experiment', 'delivery-time'], out)).toBe(1);
    expect(out.stderr()).toBe(
      'labkit runs list: There is no experiment "delivery-time". The experiments are: "delivery-times" (1), "Default" (0).',
    );
    const fromEnv = io({ MLFLOW_EXPERIMENT_NAME: 'nope' });
    expect(await runs(['list'], fromEnv)).toBe(1);
    expect(fromEnv.stderr()).toContain('There is no experiment "nope" (from MLFLOW_EXPERIMENT_NAME)');
  });

  it('filters and orders on the server, putting the sort metric first', async () => {
    const out = io();
    const args = [
      'list',
      '--filter',
      "metrics.r2 > 0.8 and params.model != 'linear'",
      '--order-by',
      'metrics.rmse ASC',
    ];
    expect(await runs(args, out)).toBe(0);
    const lines = out.stdout().split('\n');
    expect(lines[1]).toMatch(/model\s+n_estimators\s+rmse\s+r2$/);
    expect(lines.slice(2).map((line) => line.slice(0, 8))).toEqual([
      boosting.slice(0, 8),
      forest.slice(0, 8),
    ]);

    const none = io();
    expect(await runs(['list', '--filter', 'metrics.rmse < 0'], none)).toBe(0);
    expect(none.stdout()).toBe('No runs in any active experiment match the filter metrics.rmse < 0.');
  });

  it('stops at --max and says there are more', async () => {
    const out = io();
    expect(await runs(['list', '--max', '2'], out)).toBe(0);
    expect(out.stdout().split('\n')).toHaveLength(4);
    expect(out.stderr()).toContain('Showing the first 2 runs; there are more (raise --max');
  });

  it('prints the runs as JSON with --json, NaN written as MLflow writes it', async () => {
    const out = io();
    expect(await runs(['list', '--json', '--order-by', 'attributes.start_time ASC'], out)).toBe(0);
    const { runs: listed } = JSON.parse(out.stdout()) as {
      runs: { info: { run_id: string }; data: { metrics: { value: unknown }[] } }[];
    };
    expect(listed.map((run) => run.info.run_id)).toEqual([forest, boosting, linear]);
    expect(listed[2]?.data.metrics[0]?.value).toBe('NaN');
  });

  it('fits the terminal: cuts long cells with … and leaves out columns it cannot fit, saying which', async () => {
    await seedRun(server, {
      experimentId,
      name: 'a-run-with-a-remarkably-long-name-indeed',
      startTime: now,
      metrics: { validation_mean_absolute_percentage_error: [0.1] },
    });
    const out = io({ MLFLOW_EXPERIMENT_NAME: 'delivery-times' }, { width: 60 });
    expect(await runs(['list'], out)).toBe(0);
    for (const line of out.stdout().split('\n')) expect(textWidth(line)).toBeLessThanOrEqual(60);
    expect(out.stdout()).toMatch(/ a-run-with[\w-]*… /);
    expect(out.stdout()).toMatch(/ validation_…\n/);
    expect(out.stderr()).toMatch(/^Not shown for lack of width: start, duration, params\.\w+/);
  });

  it('colours statuses on a terminal, and not otherwise', async () => {
    const colored = io({}, { color: true });
    await runs(['list'], colored);
    expect(colored.stdout()).toContain('\u001b[31mFAILED');
    const plain = io();
    await runs(['list'], plain);
    expect(plain.stdout()).not.toContain('\u001b');
  });

  it('answers a filter the server refuses, or a bad option, with exit 2 and what to fix', async () => {
    const badFilter = io();
    expect(await runs(['list', '--filter', 'metrics.rmse <'], badFilter)).toBe(2);
    expect(badFilter.stderr()).toContain("labkit runs list: Invalid filter string 'metrics.rmse <'");
    expect(badFilter.stderr()).toContain('labkit runs list --help');
    const badOption = io();
    expect(await runs(['list', '--colour'], badOption)).toBe(2);
    expect(badOption.stderr()).toMatch(
      /^labkit runs list: Unknown option '--colour'\.\n\nUsage: labkit runs list/,
    );
    const badMax = io();
    expect(await runs(['list', '--max', 'lots'], badMax)).toBe(2);
    expect(badMax.stderr()).toContain('--max takes a whole number of at least 1, not "lots".');
    const unquoted = io();
    expect(await runs(['list', '--filter', 'metrics.rmse', '<', '1'], unquoted)).toBe(2);
    expect(unquoted.stderr()).toContain('Quote a filter as one argument');
  });

  it('says how to start the tracking server when it does not answer (exit 1)', async () => {
    const uri = server.uri;
    await server.close();
    const out = captureIo({ MLFLOW_TRACKING_URI: uri });
    expect(await runs(['list'], out)).toBe(1);
    // (connection refused), or (connection closed) when fetch had kept a connection to it open.
    expect(out.stderr()).toMatch(
      new RegExp(
        `^labkit runs list: The tracking server at ${uri} is not answering \\(connection (refused|closed)\\)\\. ` +
          'In a lab sandbox the platform runs it: .* Elsewhere, start one with `labkit services up tracking`\\.$',
      ),
    );
    server = await startTestServer(newDir()); // for afterEach
  });

  it('refuses a tracking URI that is not HTTP (exit 2)', async () => {
    const out = captureIo({ MLFLOW_TRACKING_URI: 'file:./mlruns' });
    expect(await runs(['list'], out)).toBe(2);
    expect(out.stderr()).toContain(
      'MLFLOW_TRACKING_URI is "file:./mlruns", but labkit talks to a tracking server over HTTP',
    );
  });
});

describe('labkit runs show', () => {
  it('shows a run by id prefix: details, params, latest metrics with their history, tags, artifacts', async () => {
    const runRoot = `${server.uri}/api/2.0/mlflow-artifacts/artifacts/${experimentId}/${boosting}/artifacts`;
    for (const [file, body] of [
      ['model/MLmodel', 'flavors: {}'],
      ['model/model.pkl', 'x'.repeat(3400)],
      ['notes.txt', 'hello'],
    ] as const) {
      expect((await fetch(`${runRoot}/${file}`, { method: 'PUT', body })).status).toBe(200);
    }
    await server.api('POST', 'runs/set-tag', {
      run_id: boosting,
      key: 'mlflow.source.name',
      value: 'train.py',
    });
    await server.api('POST', 'runs/set-tag', { run_id: boosting, key: 'mlflow.parentRunId', value: forest });

    const out = io();
    expect(await runs(['show', boosting.slice(0, 6).toUpperCase()], out)).toBe(0);
    const text = out.stdout();
    expect(text).toContain(
      `Run ${boosting}\n  name          boosting\n  experiment    delivery-times (id ${experimentId})`,
    );
    expect(text).toMatch(/status\s+FINISHED/);
    expect(text).toMatch(/started\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \(20 min ago\)/);
    expect(text).toMatch(/duration\s+4m 05s/);
    expect(text).toContain('Params (2)\n  model         boosting\n  n_estimators  300');
    expect(text).toMatch(
      /Metrics \(2\)\n {2}key\s+latest\s+step\s+values logged\n {2}r2\s+0\.88\s+0\s+1\n {2}rmse\s+0\.41234\s+2\s+3/,
    );
    expect(text).toMatch(
      /Tags \(3\)\n {2}mlflow\.parentRunId\s+[0-9a-f]{32}\n {2}mlflow\.runName\s+boosting\n {2}team\s+eta\n {2}\(1 more mlflow\.\* tags: --all shows them\)/,
    );
    expect(text).toContain(
      [
        'Artifacts',
        '  ├── model/',
        '  │   ├── MLmodel  11 B',
        '  │   └── model.pkl  3.4 kB',
        '  └── notes.txt  5 B',
      ].join('\n'),
    );

    const all = io();
    expect(await runs(['show', boosting, '--all'], all)).toBe(0);
    expect(all.stdout()).toMatch(/mlflow\.source\.name\s+train\.py/);
  });

  it('prints the run as JSON with --json', async () => {
    const out = io();
    expect(await runs(['show', forest, '--json'], out)).toBe(0);
    expect(JSON.parse(out.stdout()).run.info.run_id).toBe(forest);
  });

  it('says so for an unknown run (exit 1), and for a short, odd or ambiguous id (exit 2)', async () => {
    const unknown = io();
    expect(await runs(['show', 'f'.repeat(32)], unknown)).toBe(1);
    expect(unknown.stderr()).toContain(`No run has the id ${'f'.repeat(32)}.`);
    const noPrefix = io();
    const absent = ['0000', '1111'].find(
      (prefix) => ![forest, boosting, linear].some((id) => id.startsWith(prefix)),
    );
    expect(await runs(['show', absent ?? ''], noPrefix)).toBe(1);
    expect(noPrefix.stderr()).toContain(`No run has an id starting with "${absent}"`);
    const short = io();
    expect(await runs(['show', forest.slice(0, 3)], short)).toBe(2);
    expect(short.stderr()).toContain('give at least 4 characters of its id');
    const odd = io();
    expect(await runs(['show', 'forest'], odd)).toBe(2);
    expect(odd.stderr()).toContain('"forest" is not a run id: run ids are hexadecimal');
    const none = io();
    expect(await runs(['show'], none)).toBe(2);
    expect(none.stderr()).toContain('Name the run to show');
  });

  it('refuses a prefix shared by several runs and lists them', async () => {
    // Make runs until two ids share their first 4 characters (about 300 on average).
    const { experiment_id } = await server.api('POST', 'experiments/create', { name: 'many' });
    const seen = new Map<string, string>();
    let pair: [string, string] | undefined;
    for (let i = 0; i < 5000 && !pair; i++) {
      const { run } = await server.api('POST', 'runs/create', { experiment_id, run_name: `r${i}` });
      const id = run.info.run_id as string;
      const twin = seen.get(id.slice(0, 4));
      if (twin) pair = [twin, id];
      seen.set(id.slice(0, 4), id);
    }
    expect(pair).toBeDefined();
    const [first, second] = pair as [string, string];
    const out = io();
    expect(await runs(['show', first.slice(0, 4)], out)).toBe(2);
    expect(out.stderr()).toContain(
      `"${first.slice(0, 4)}" is the start of more than one run id; type more of it:`,
    );
    expect(out.stderr()).toContain(first);
    expect(out.stderr()).toContain(second);
  }, 60_000);
});

describe('labkit runs compare', () => {
  it('puts runs side by side and marks the params and metrics that differ', async () => {
    const out = io();
    expect(await runs(['compare', forest.slice(0, 8), boosting.slice(0, 8)], out)).toBe(0);
    const lines = out.stdout().split('\n');
    expect(lines[0]).toMatch(new RegExp(`^\\s+run\\s+${forest.slice(0, 8)}\\s+${boosting.slice(0, 8)}$`));
    expect(lines).toContainEqual(expect.stringMatching(/^ {3}name\s+forest\s+boosting$/));
    expect(lines).toContainEqual(expect.stringMatching(/^ {3}duration\s+12 s\s+4m 05s$/));
    expect(lines).toContainEqual(expect.stringMatching(/^≠ {2}params\.model\s+forest\s+boosting$/));
    expect(lines).toContainEqual(expect.stringMatching(/^≠ {2}metrics\.rmse\s+0\.6123\s+0\.4123$/));
    expect(out.stdout()).toContain('≠ marks the 4 rows where the runs differ. --diff shows only those.');
  });

  it('shows a value one run lacks as -, leaves equal rows unmarked, and --diff hides them', async () => {
    const twin = await seedRun(server, {
      experimentId,
      name: 'forest-again',
      startTime: now,
      durationMs: 1000,
      params: { model: 'forest', n_estimators: '100' },
      metrics: { rmse: [0.61234] },
    });
    const out = io();
    expect(await runs(['compare', forest, twin, linear], out)).toBe(0);
    const lines = out.stdout().split('\n');
    expect(lines).toContainEqual(expect.stringMatching(/^≠ {2}params\.n_estimators\s+100\s+100\s+-$/));
    expect(lines).toContainEqual(expect.stringMatching(/^≠ {2}metrics\.r2\s+0\.81\s+-\s+-$/));

    const pair = io();
    expect(await runs(['compare', forest, twin, '--diff'], pair)).toBe(0);
    expect(pair.stdout()).not.toContain('params.');
    expect(pair.stdout()).toMatch(/≠ {2}metrics\.r2/);
    expect(pair.stdout()).toContain('≠ marks the row where the runs differ.');
  });

  it('needs two runs (exit 2)', async () => {
    const out = io();
    expect(await runs(['compare', forest], out)).toBe(2);
    expect(out.stderr()).toContain('Name at least two runs to compare.');
  });
});

describe('labkit runs help', () => {
  it('prints usage for --help (exit 0), and for no or an unknown subcommand (exit 2)', async () => {
    const help = io();
    expect(await runs(['list', '--help'], help)).toBe(0);
    expect(help.stdout()).toMatch(/^Usage: labkit runs list/);
    expect(help.stdout()).toContain('Exit status: 0 done, 1 the tracking server is not answering');
    const group = io();
    expect(await runs(['--help'], group)).toBe(0);
    expect(group.stdout()).toContain('labkit runs compare RUN_ID RUN_ID');
    const nothing = io();
    expect(await runs([], nothing)).toBe(2);
    expect(nothing.stderr()).toMatch(/^Usage: labkit runs list/);
    const unknown = io();
    expect(await runs(['delete', forest], unknown)).toBe(2);
    expect(unknown.stderr()).toMatch(/^labkit runs: there is no "delete" subcommand/);
  });
});

describe('the labkit command, as a process', () => {
  const main = path.join(import.meta.dirname, 'main.ts');
  const tsx = path.resolve(import.meta.dirname, '../../node_modules/.bin/tsx');
  const labkit = (args: string[], env: Env) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile(
        tsx,
        [main, ...args],
        { env: { ...process.env, ...env }, timeout: 30_000 },
        (error, stdout, stderr) =>
          resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr }),
      );
    });

  it('runs `labkit runs list` against MLFLOW_TRACKING_URI, and exits 1 when nothing answers there', async () => {
    const listed = await labkit(['runs', 'list'], { MLFLOW_TRACKING_URI: server.uri, NO_COLOR: '1' });
    expect(listed.stderr).toBe('');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(
      new RegExp(`${boosting.slice(0, 8)}\\s+delivery-times\\s+boosting\\s+FINISHED`),
    );
    expect(listed.stdout).not.toContain('\u001b');

    const uri = server.uri;
    await server.close();
    const down = await labkit(['runs', 'list'], { MLFLOW_TRACKING_URI: uri });
    expect(down.code).toBe(1);
    expect(down.stdout).toBe('');
    expect(down.stderr).toContain(`The tracking server at ${uri} is not answering`);
    server = await startTestServer(newDir()); // for afterEach
  }, 60_000);
});
