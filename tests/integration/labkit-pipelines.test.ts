/**
 * The pipelines service in a real sandbox: a lab that lists `services: [tracking, pipelines]` gets
 * labkit's pipelines service on 127.0.0.1:5100, run by the labkit user, which shows the learner's
 * DVC project through the runner's service proxy as `labkit pipeline repro` changes it (stages,
 * last runs, logs, the params and metrics diff against the last commit, plots), and cannot write
 * into the learner's files. A run logged by a stage gets the stage and its lock hash as tags.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  diffViewSchema,
  logChunkSchema,
  pipelineViewSchema,
  plotsViewSchema,
  type PipelineView,
} from '@/labkit/pipelines/wire';
import { startTestRunner, type TestRunner } from '@/tests/support/runner';

let t: TestRunner;
let id: string;
const user = 'pipelines-user';

beforeAll(async () => {
  t = await startTestRunner();
  id = await t.startSession(user, 'pipelines-basics');
}, 600_000);

afterAll(async () => {
  await t?.stop();
}, 120_000);

async function shell(command: string, who: 'learner' | 'labkit' = 'learner') {
  if (who === 'labkit') {
    return t.runner.sessions.exec(id, {
      cmd: ['sh', '-c', command],
      user: 'labkit',
      workingDir: '/',
      env: { HOME: '/var/lib/labkit' },
      timeoutMs: 30_000,
      outputLimitBytes: 64 * 1024,
    });
  }
  const response = await t.api(`/v1/sessions/${id}/exec`, {
    method: 'POST',
    json: { cmd: ['bash', '-c', command], user: who, timeoutMs: 120_000 },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { exitCode: number; stdout: string; stderr: string };
}

/** GET through the service proxy, as the Pipelines tab asks. */
async function service(path: string) {
  const response = await fetch(`${t.url}/v1/sessions/${id}/services/5100/api/v1/${path}`, {
    headers: { 'x-academy-token': t.token(id, user) },
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as unknown };
}

async function view(): Promise<PipelineView> {
  const { status, body } = await service('pipeline');
  expect(status).toBe(200);
  return pipelineViewSchema.parse(body);
}

const states = (shown: PipelineView) =>
  Object.fromEntries(shown.stages.map((stage) => [stage.id, stage.state]));

describe('a lab with services: [tracking, pipelines]', () => {
  it('is ready with the pipelines service answering on 127.0.0.1:5100, run by the labkit user', async () => {
    const probe = await shell('curl -sf http://127.0.0.1:5100/health && labkit services status pipelines');
    expect(probe.stdout).toMatch(/^OK/);
    expect(probe.stdout).toMatch(/pipelines\s+up/);
    const uid = await shell('ps -o uid= -p "$(pgrep -f "[l]abkit.mjs serve pipelines")" | tr -d " "');
    expect(uid.stdout.trim()).toBe('1003');
  });

  it('shows the starter project through the service proxy: every stage not run yet', async () => {
    const shown = await view();
    expect(shown).toMatchObject({ project: '.', projects: ['.'], problem: null, repro: { running: false } });
    expect(states(shown)).toEqual({ prepare: 'changed', train: 'changed' });
    expect(shown.stages[1]).toMatchObject({
      id: 'train',
      cmd: ['python3 train.py'],
      upstream: ['prepare'],
      params: [{ file: 'params.yaml', key: 'train.lr', value: '0.02', locked: null, state: 'new' }],
    });
  });

  it('follows a repro run in the terminal: states, last runs and logs', async () => {
    const repro = await shell(
      'git init -q -b main && git add -A && git -c user.name=L -c user.email=l@example.com commit -qm start && labkit pipeline repro',
    );
    expect(repro.exitCode, repro.stdout + repro.stderr).toBe(0);
    const shown = await view();
    expect(states(shown)).toEqual({ prepare: 'up to date', train: 'up to date' });
    expect(shown.stages[1]?.lastRun).toMatchObject({ state: 'succeeded', exitCode: 0 });
    const log = logChunkSchema.parse((await service('log?stage=train')).body);
    expect(log.text).toMatch(/> python3 train\.py\nfitted with lr 0\.02\ntrained: a = /);
  });

  it('tags the run the train stage logged with the stage and its lock hash', async () => {
    const search = await shell(
      `curl -sf -X POST "$MLFLOW_TRACKING_URI/api/2.0/mlflow/runs/search" -d '{"experiment_ids":["0"]}'`,
    );
    const { runs } = JSON.parse(search.stdout) as {
      runs: { data: { tags: { key: string; value: string }[] } }[];
    };
    expect(runs).toHaveLength(1);
    const tags = Object.fromEntries(runs[0]!.data.tags.map((tag) => [tag.key, tag.value]));
    expect(tags['labkit.pipeline.stage']).toBe('train');
    expect(tags['labkit.pipeline.lock_hash']).toMatch(/^[0-9a-f]{64}$/);
  });

  it('compares params and metrics with the last commit, and draws the plots', async () => {
    const rerun = await shell(`sed -i 's/lr: 0.02/lr: 0.05/' params.yaml && labkit pipeline repro`);
    expect(rerun.exitCode, rerun.stderr).toBe(0);
    const diff = diffViewSchema.parse((await service('diff')).body);
    expect(diff.commit).toMatch(/^[0-9a-f]{7}$/);
    expect(diff.params).toEqual([
      expect.objectContaining({
        file: 'params.yaml',
        key: 'train.lr',
        old: '0.02',
        new: '0.05',
        changed: true,
      }),
    ]);
    // metrics.json was not committed (the first run came after the commit): it is new.
    expect(diff.metrics).toEqual([expect.objectContaining({ file: 'metrics.json', key: 'loss', old: null })]);
    const plots = plotsViewSchema.parse((await service('plots')).body);
    expect(plots.plots).toEqual([expect.objectContaining({ kind: 'chart', id: 'loss.csv' })]);
  });

  it('cannot write into the learner’s files, and its replies are inert for the browser', async () => {
    const attempt = await shell('touch /home/learner/work/planted 2>&1; echo $?', 'labkit');
    expect(attempt.stdout).toMatch(/Permission denied\n1\n$/);
    const { headers } = await service('pipeline');
    expect(headers.get('content-security-policy')).toMatch(/^sandbox;/);
  });
});
