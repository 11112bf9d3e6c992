import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MlflowError } from './errors';
import { compareMetricRecency, journalFileName, limits, TrackingStore, type Metric } from './store';

let dataDir: string;
let store: TrackingStore;

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'labkit-store-'));
  store = TrackingStore.open(dataDir);
});

afterEach(() => {
  store.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function reopen(): TrackingStore {
  store.close();
  store = TrackingStore.open(dataDir);
  return store;
}

function errorOf(action: () => unknown): { code: string; status: number; message: string } {
  try {
    action();
  } catch (error) {
    if (error instanceof MlflowError)
      return { code: error.code, status: error.status, message: error.message };
    throw error;
  }
  throw new Error('expected an MlflowError');
}

const metric = (key: string, value: number, step = 0, timestamp = 1000): Metric => ({
  key,
  value,
  step,
  timestamp,
});

describe('experiments', () => {
  it('pre-creates the Default experiment with id "0"', () => {
    const experiment = store.getExperiment('0');
    expect(experiment).toMatchObject({
      name: 'Default',
      lifecycleStage: 'active',
      artifactLocation: 'mlflow-artifacts:/0',
    });
  });

  it('numbers new experiments from 1 and refuses a duplicate name', () => {
    expect(store.createExperiment('a')).toBe('1');
    expect(store.createExperiment('b', { tags: [{ key: 'team', value: 'ml' }] })).toBe('2');
    expect(store.getExperimentByName('b').tags.get('team')).toBe('ml');
    expect(errorOf(() => store.createExperiment('a'))).toMatchObject({
      code: 'RESOURCE_ALREADY_EXISTS',
      status: 400,
      message: "Experiment 'a' already exists.",
    });
  });

  it('reports a missing experiment as RESOURCE_DOES_NOT_EXIST', () => {
    expect(errorOf(() => store.getExperiment('42'))).toMatchObject({
      code: 'RESOURCE_DOES_NOT_EXIST',
      status: 404,
    });
    expect(errorOf(() => store.getExperimentByName('nope')).code).toBe('RESOURCE_DOES_NOT_EXIST');
  });

  it('renames, tags, soft-deletes and restores, deleting and restoring its runs too', () => {
    const id = store.createExperiment('old');
    const run = store.createRun({ experimentId: id });
    store.renameExperiment(id, 'new');
    store.setExperimentTag(id, 'k', 'v');
    expect(store.getExperiment(id)).toMatchObject({ name: 'new' });
    store.deleteExperiment(id);
    expect(store.getExperiment(id).lifecycleStage).toBe('deleted');
    expect(store.getRun(run.runId).lifecycleStage).toBe('deleted');
    expect(errorOf(() => store.createRun({ experimentId: id })).code).toBe('INVALID_PARAMETER_VALUE');
    store.restoreExperiment(id);
    expect(store.getExperiment(id).lifecycleStage).toBe('active');
    expect(store.getRun(run.runId).lifecycleStage).toBe('active');
  });

  it('deletes an experiment tag, as MLflow: missing tag 404, deleted experiment 400, kept on restart', () => {
    const id = store.createExperiment('tagged');
    store.setExperimentTag(id, 'team', 'eta');
    store.setExperimentTag(id, 'owner', 'ana');
    store.deleteExperimentTag(id, 'team');
    expect([...store.getExperiment(id).tags]).toEqual([['owner', 'ana']]);
    expect(errorOf(() => store.deleteExperimentTag(id, 'team'))).toMatchObject({
      code: 'RESOURCE_DOES_NOT_EXIST',
      message: `No tag with name: team in experiment with id ${id}`,
    });
    expect(errorOf(() => store.deleteExperimentTag('99', 'owner')).code).toBe('RESOURCE_DOES_NOT_EXIST');
    store.deleteExperiment(id);
    expect(errorOf(() => store.deleteExperimentTag(id, 'owner')).code).toBe('INVALID_PARAMETER_VALUE');
    store.restoreExperiment(id);
    expect([...reopen().getExperiment(id).tags]).toEqual([['owner', 'ana']]);
  });

  it('refuses to delete the Default experiment', () => {
    expect(errorOf(() => store.deleteExperiment('0')).code).toBe('INVALID_PARAMETER_VALUE');
  });
});

describe('runs', () => {
  it('creates a run with a 32-hex id, the runName tag and an mlflow-artifacts uri', () => {
    const id = store.createExperiment('e');
    const run = store.createRun({ experimentId: id, runName: 'first', startTime: 123, userId: 'ann' });
    expect(run.runId).toMatch(/^[0-9a-f]{32}$/);
    expect(run).toMatchObject({
      runName: 'first',
      status: 'RUNNING',
      startTime: 123,
      userId: 'ann',
      endTime: null,
    });
    expect(run.tags.get('mlflow.runName')).toBe('first');
    expect(run.artifactUri).toBe(`mlflow-artifacts:/${id}/${run.runId}/artifacts`);
  });

  it('gives a run without a name a random adjective-noun-number name, and uses a runName tag', () => {
    expect(store.createRun({}).runName).toMatch(/^[a-z]+-[a-z]+-\d+$/);
    expect(store.createRun({}).experimentId).toBe('0');
    const tagged = store.createRun({ tags: [{ key: 'mlflow.runName', value: 'from-tag' }] });
    expect(tagged.runName).toBe('from-tag');
    expect(
      errorOf(() => store.createRun({ runName: 'a', tags: [{ key: 'mlflow.runName', value: 'b' }] })).code,
    ).toBe('INVALID_PARAMETER_VALUE');
  });

  it('updates status, end time and name (which also rewrites the runName tag)', () => {
    const run = store.createRun({});
    store.updateRun(run.runId, { status: 'FINISHED', endTime: 999, runName: 'renamed' });
    expect(store.getRun(run.runId)).toMatchObject({ status: 'FINISHED', endTime: 999, runName: 'renamed' });
    expect(store.getRun(run.runId).tags.get('mlflow.runName')).toBe('renamed');
  });

  it('reports an unknown run as RESOURCE_DOES_NOT_EXIST', () => {
    expect(errorOf(() => store.getRun('f'.repeat(32)))).toMatchObject({
      code: 'RESOURCE_DOES_NOT_EXIST',
      message: `Run with id=${'f'.repeat(32)} not found`,
    });
  });

  it('soft-deletes and restores a run, and refuses to log to a deleted run', () => {
    const run = store.createRun({});
    store.deleteRun(run.runId);
    expect(store.getRun(run.runId).lifecycleStage).toBe('deleted');
    expect(errorOf(() => store.logParam(run.runId, 'a', '1')).code).toBe('INVALID_PARAMETER_VALUE');
    store.restoreRun(run.runId);
    store.logParam(run.runId, 'a', '1');
    expect(store.getRun(run.runId).params.get('a')).toBe('1');
  });
});

describe('params, tags and metrics', () => {
  it('keeps params write-once: the same value again is fine, a different value is refused', () => {
    const { runId } = store.createRun({});
    store.logParam(runId, 'lr', '0.1');
    store.logParam(runId, 'lr', '0.1');
    const error = errorOf(() => store.logParam(runId, 'lr', '0.2'));
    expect(error).toMatchObject({ code: 'INVALID_PARAMETER_VALUE', status: 400 });
    expect(error.message).toContain("Param with key='lr' was already logged with value='0.1'");
    expect(store.getRun(runId).params.get('lr')).toBe('0.1');
  });

  it('overwrites and deletes tags; deleting a missing tag is RESOURCE_DOES_NOT_EXIST', () => {
    const { runId } = store.createRun({});
    store.setTag(runId, 'stage', 'a');
    store.setTag(runId, 'stage', 'b');
    expect(store.getRun(runId).tags.get('stage')).toBe('b');
    store.deleteTag(runId, 'stage');
    expect(store.getRun(runId).tags.has('stage')).toBe(false);
    expect(errorOf(() => store.deleteTag(runId, 'stage')).code).toBe('RESOURCE_DOES_NOT_EXIST');
  });

  it('appends metric history and reports the max of (step, timestamp, value) as latest', () => {
    const { runId } = store.createRun({});
    store.logMetric(runId, metric('loss', 0.9, 0, 100));
    store.logMetric(runId, metric('loss', 0.5, 2, 50));
    store.logMetric(runId, metric('loss', 0.7, 1, 300));
    store.logMetric(runId, metric('loss', 0.4, 2, 50));
    expect(store.metricHistory(runId, 'loss').map((m) => m.value)).toEqual([0.9, 0.5, 0.7, 0.4]);
    expect(store.getRun(runId).latestMetrics.get('loss')).toMatchObject({ value: 0.5, step: 2 });
    expect(store.metricHistory(runId, 'absent')).toEqual([]);
  });

  it('orders metric recency by step, then timestamp, then value', () => {
    expect(compareMetricRecency(metric('m', 1, 1, 5), metric('m', 9, 0, 9))).toBeGreaterThan(0);
    expect(compareMetricRecency(metric('m', 1, 1, 6), metric('m', 9, 1, 5))).toBeGreaterThan(0);
    expect(compareMetricRecency(metric('m', 2, 1, 5), metric('m', 1, 1, 5))).toBeGreaterThan(0);
  });

  it('stores NaN and infinite metric values', () => {
    const { runId } = store.createRun({});
    store.logBatch(runId, { metrics: [metric('a', NaN), metric('b', Infinity), metric('c', -Infinity)] });
    reopen();
    const run = store.getRun(runId);
    expect(run.latestMetrics.get('a')?.value).toBeNaN();
    expect(run.latestMetrics.get('b')?.value).toBe(Infinity);
    expect(run.latestMetrics.get('c')?.value).toBe(-Infinity);
  });

  it('applies a batch atomically: one bad param rejects the whole batch', () => {
    const { runId } = store.createRun({});
    store.logParam(runId, 'p', '1');
    const error = errorOf(() =>
      store.logBatch(runId, {
        metrics: [metric('m', 1)],
        params: [{ key: 'p', value: '2' }],
        tags: [{ key: 't', value: 'x' }],
      }),
    );
    expect(error.code).toBe('INVALID_PARAMETER_VALUE');
    const run = store.getRun(runId);
    expect(run.latestMetrics.size).toBe(0);
    expect(run.tags.has('t')).toBe(false);
  });

  it("enforces MLflow's batch limits", () => {
    const { runId } = store.createRun({});
    const metrics = Array.from({ length: limits.maxBatchMetrics + 1 }, (_, i) => metric(`m${i}`, i));
    expect(errorOf(() => store.logBatch(runId, { metrics })).message).toContain('at most 1000 metrics');
    const params = Array.from({ length: limits.maxBatchParams + 1 }, (_, i) => ({
      key: `p${i}`,
      value: 'v',
    }));
    expect(errorOf(() => store.logBatch(runId, { params })).message).toContain('at most 100 params');
    const tags = Array.from({ length: limits.maxBatchTags + 1 }, (_, i) => ({ key: `t${i}`, value: 'v' }));
    expect(errorOf(() => store.logBatch(runId, { tags })).message).toContain('at most 100 tags');
    const total = {
      metrics: metrics.slice(0, 950),
      params: params.slice(0, 51),
    };
    expect(errorOf(() => store.logBatch(runId, total)).message).toContain('at most 1000 total');
    store.logBatch(runId, { metrics: metrics.slice(0, 1000) });
    expect(store.getRun(runId).latestMetrics.size).toBe(1000);
  });

  it('refuses over-long keys and values', () => {
    const { runId } = store.createRun({});
    expect(errorOf(() => store.setTag(runId, 'k'.repeat(251), 'v')).code).toBe('INVALID_PARAMETER_VALUE');
    expect(errorOf(() => store.logParam(runId, 'p', 'v'.repeat(6001))).code).toBe('INVALID_PARAMETER_VALUE');
    expect(errorOf(() => store.logMetric(runId, metric('../escape', 1))).code).toBe(
      'INVALID_PARAMETER_VALUE',
    );
  });

  it('records dataset inputs once per (name, digest)', () => {
    const { runId } = store.createRun({});
    const input = { tags: [], dataset: { name: 'iris', digest: 'abc', source_type: 'local', source: 'x' } };
    store.logInputs(runId, [input]);
    store.logInputs(runId, [input]);
    expect(store.getRun(runId).datasetInputs).toHaveLength(1);
  });
});

describe('persistence', () => {
  it('survives a restart with everything intact', () => {
    const id = store.createExperiment('kept', { tags: [{ key: 'a', value: 'b' }] });
    const run = store.createRun({ experimentId: id, runName: 'r' });
    store.logParam(run.runId, 'lr', '0.1');
    store.logMetric(run.runId, metric('acc', 0.8, 1));
    store.logMetric(run.runId, metric('acc', 0.9, 2));
    store.setTag(run.runId, 'best', 'yes');
    store.updateRun(run.runId, { status: 'FINISHED', endTime: 5000 });
    store.deleteRun(store.createRun({ experimentId: id }).runId);

    reopen();
    expect(store.getExperimentByName('kept').tags.get('a')).toBe('b');
    const reloaded = store.getRun(run.runId);
    expect(reloaded).toMatchObject({ runName: 'r', status: 'FINISHED', endTime: 5000 });
    expect(reloaded.params.get('lr')).toBe('0.1');
    expect(reloaded.tags.get('best')).toBe('yes');
    expect(store.metricHistory(run.runId, 'acc')).toHaveLength(2);
    expect(store.listRuns().filter((r) => r.lifecycleStage === 'deleted')).toHaveLength(1);
    expect(store.createExperiment('next')).toBe(String(Number(id) + 1));
    expect(store.listExperiments().filter((e) => e.name === 'Default')).toHaveLength(1);
  });

  it('drops a torn last line left by a crash and keeps working', () => {
    store.createExperiment('before-crash');
    store.close();
    fs.appendFileSync(path.join(dataDir, journalFileName), '{"type":"experiment.create","experi');
    store = TrackingStore.open(dataDir);
    expect(store.getExperimentByName('before-crash').name).toBe('before-crash');
    store.createExperiment('after-crash');
    reopen();
    expect(store.getExperimentByName('after-crash').name).toBe('after-crash');
  });

  it('refuses to start on a journal corrupted in the middle', () => {
    store.close();
    const journal = path.join(dataDir, journalFileName);
    fs.writeFileSync(journal, `not json\n${fs.readFileSync(journal, 'utf8')}`);
    expect(() => TrackingStore.open(dataDir)).toThrow(/corrupt/);
  });
});
