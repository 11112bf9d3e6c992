import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MlflowError } from './errors';
import {
  decodePageToken,
  encodePageToken,
  parseFilter,
  parseRunFilter,
  parseRunOrderBy,
  searchExperiments,
  searchRuns,
} from './search';
import { TrackingStore, type Run } from './store';

function errorOf(action: () => unknown): MlflowError {
  try {
    action();
  } catch (error) {
    if (error instanceof MlflowError) return error;
    throw error;
  }
  throw new Error('expected an MlflowError');
}

describe('parseFilter', () => {
  it('reads clauses joined by AND (any case) with each entity alias', () => {
    expect(
      parseFilter(
        "metrics.rmse < 0.5 and params.model = 'tree' AND tag.team != \"a\" AND attr.status = 'FINISHED'",
      ),
    ).toEqual([
      { entity: 'metric', key: 'rmse', comparator: '<', value: 0.5 },
      { entity: 'param', key: 'model', comparator: '=', value: 'tree' },
      { entity: 'tag', key: 'team', comparator: '!=', value: 'a' },
      { entity: 'attribute', key: 'status', comparator: '=', value: 'FINISHED' },
    ]);
    expect(
      parseFilter("metric.a>=1 and param.b LIKE 'x%' and parameters.c ILIKE 'Y' and run.run_name = 'n'"),
    ).toEqual([
      { entity: 'metric', key: 'a', comparator: '>=', value: 1 },
      { entity: 'param', key: 'b', comparator: 'LIKE', value: 'x%' },
      { entity: 'param', key: 'c', comparator: 'ILIKE', value: 'Y' },
      { entity: 'attribute', key: 'run_name', comparator: '=', value: 'n' },
    ]);
  });

  it('reads every numeric comparator, negative and exponent numbers', () => {
    for (const op of ['=', '!=', '>', '>=', '<', '<=']) {
      expect(parseFilter(`metrics.m ${op} -1.5e-3`)).toEqual([
        { entity: 'metric', key: 'm', comparator: op, value: -0.0015 },
      ]);
    }
  });

  it('reads keys quoted with backticks or double quotes, and dotted keys', () => {
    expect(parseFilter('metrics.`val loss` < 1')[0]?.key).toBe('val loss');
    expect(parseFilter('tags."mlflow.source.name" = \'train.py\'')[0]).toMatchObject({
      key: 'mlflow.source.name',
      value: 'train.py',
    });
    expect(parseFilter("tags.mlflow.runName = 'x'")[0]?.key).toBe('mlflow.runName');
    expect(parseFilter('`metrics`.`f1 score` > 0')[0]).toMatchObject({ entity: 'metric', key: 'f1 score' });
  });

  it('reads doubled quotes inside a string as one quote', () => {
    expect(parseFilter("params.note = 'it''s'")[0]?.value).toBe("it's");
  });

  it('reads IN and NOT IN lists', () => {
    expect(parseFilter("attributes.run_id IN ('a', 'b')")[0]).toMatchObject({
      comparator: 'IN',
      value: ['a', 'b'],
    });
    expect(parseFilter("attributes.run_id not in ('a')")[0]).toMatchObject({
      comparator: 'NOT IN',
      value: ['a'],
    });
  });

  it('treats an empty filter as no clauses', () => {
    expect(parseFilter('')).toEqual([]);
    expect(parseFilter('   ')).toEqual([]);
    expect(parseFilter(undefined)).toEqual([]);
  });

  it.each([
    ['metrics.a < 1 OR metrics.b > 2', /OR is not supported/],
    ['metrics.a < ', /expected a value/],
    ['metrics.a 1', /expected a comparison operator/],
    ["'rmse' < 1", /expected an identifier/],
    ['foo.bar = 1', /Invalid entity type 'foo'/],
    ["params.a = 'unterminated", /unterminated quote/],
    ['metrics.a < 1 AND', /ends with AND/],
    ['metrics.a < 1 metrics.b < 2', /expected AND/],
    ["attributes.run_id IN 'a'", /expected '\('/],
    ["attributes.run_id IN ('a' 'b')", /expected ',' or '\)'/],
    ['metrics.a ~ 1', /unexpected character/],
  ])('rejects %j as INVALID_PARAMETER_VALUE', (filter, message) => {
    const error = errorOf(() => parseFilter(filter));
    expect(error.code).toBe('INVALID_PARAMETER_VALUE');
    expect(error.status).toBe(400);
    expect(error.message).toMatch(message);
  });
});

describe('parseRunFilter', () => {
  it('resolves attribute aliases and reads a bare name as an attribute', () => {
    expect(parseRunFilter("status = 'FAILED'")[0]).toMatchObject({ entity: 'attribute', key: 'status' });
    expect(parseRunFilter('attributes.created > 5')[0]).toMatchObject({ key: 'start_time' });
    expect(parseRunFilter("attributes.`Run name` = 'x'")[0]).toMatchObject({ key: 'run_name' });
  });

  it.each([
    ["metrics.a = 'x'", /Expected numeric value type for metric/],
    ['metrics.a LIKE 1', /Invalid comparator 'LIKE'/],
    ['params.a = 1', /must be a quoted string/],
    ["params.a > '1'", /Invalid comparator '>'/],
    ["tags.a IN ('x')", /Invalid comparator 'IN'/],
    ["attributes.nope = 'x'", /Invalid attribute key 'nope'/],
    ['rmse < 1', /Invalid attribute key 'rmse'/],
    ["attributes.start_time = 'x'", /Expected numeric value type/],
  ])('rejects %j', (filter, message) => {
    expect(errorOf(() => parseRunFilter(filter)).message).toMatch(message);
  });
});

describe('order_by and page tokens', () => {
  it('parses clauses with optional direction and aliases', () => {
    expect(
      parseRunOrderBy(['metrics.rmse DESC', 'params.lr', 'attributes.created asc', 'start_time']),
    ).toEqual([
      { entity: 'metric', key: 'rmse', ascending: false },
      { entity: 'param', key: 'lr', ascending: true },
      { entity: 'attribute', key: 'start_time', ascending: true },
      { entity: 'attribute', key: 'start_time', ascending: true },
    ]);
  });

  it.each([['metrics.rmse SIDEWAYS'], ['metrics.rmse DESC extra'], ['attributes.nope'], ['']])(
    'rejects %j',
    (clause) => {
      expect(errorOf(() => parseRunOrderBy([clause])).code).toBe('INVALID_PARAMETER_VALUE');
    },
  );

  it('round-trips page tokens and rejects garbage', () => {
    expect(decodePageToken(encodePageToken(40))).toBe(40);
    expect(decodePageToken(undefined)).toBe(0);
    expect(errorOf(() => decodePageToken('%%%not-a-token')).code).toBe('INVALID_PARAMETER_VALUE');
    expect(errorOf(() => decodePageToken(Buffer.from('{"offset":-1}').toString('base64'))).code).toBe(
      'INVALID_PARAMETER_VALUE',
    );
  });
});

describe('searchRuns', () => {
  let dataDir: string;
  let store: TrackingStore;
  let experimentId: string;
  const runs: Record<string, Run> = {};

  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'labkit-search-'));
    store = TrackingStore.open(dataDir);
    experimentId = store.createExperiment('sweep');
    const specs = [
      { name: 'alpha', start: 1000, lr: '0.1', rmse: 0.5, model: 'Tree', status: 'FINISHED' as const },
      { name: 'beta', start: 3000, lr: '0.01', rmse: 0.3, model: 'forest', status: 'FINISHED' as const },
      { name: 'gamma', start: 2000, lr: '0.001', rmse: NaN, model: 'tree', status: 'FAILED' as const },
      {
        name: 'delta',
        start: 4000,
        lr: undefined,
        rmse: undefined,
        model: 'linear',
        status: 'RUNNING' as const,
      },
    ];
    for (const spec of specs) {
      const run = store.createRun({ experimentId, runName: spec.name, startTime: spec.start });
      if (spec.lr) store.logParam(run.runId, 'lr', spec.lr);
      if (spec.rmse !== undefined)
        store.logMetric(run.runId, { key: 'rmse', value: spec.rmse, timestamp: 1, step: 0 });
      store.setTag(run.runId, 'model', spec.model);
      store.updateRun(run.runId, { status: spec.status });
      runs[spec.name] = store.getRun(run.runId);
    }
    const removed = store.createRun({ experimentId, runName: 'removed', startTime: 5000 });
    store.deleteRun(removed.runId);
    store.createRun({ runName: 'elsewhere' });
  });

  afterAll(() => {
    store.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const names = (filter?: string, orderBy?: string[], extra: object = {}) =>
    searchRuns(store.listRuns(), { experimentIds: [experimentId], filter, orderBy, ...extra }).items.map(
      (run) => run.runName,
    );

  it('orders by start_time DESC by default and only searches the given experiments', () => {
    expect(names()).toEqual(['delta', 'beta', 'gamma', 'alpha']);
  });

  it('filters by metric with numeric comparators; runs without the metric never match', () => {
    expect(names('metrics.rmse < 0.4')).toEqual(['beta']);
    expect(names('metrics.rmse >= 0.3')).toEqual(['beta', 'alpha']);
    expect(names('metrics.rmse != 0.5')).toEqual(['beta', 'gamma']);
    expect(names('metrics.rmse = 0.5')).toEqual(['alpha']);
    expect(names('metrics.rmse <= 0.5 and metrics.rmse > 0.3')).toEqual(['alpha']);
  });

  it('filters params and tags with = != LIKE (case-sensitive) and ILIKE (case-insensitive)', () => {
    expect(names("params.lr = '0.01'")).toEqual(['beta']);
    expect(names("params.lr != '0.01'")).toEqual(['gamma', 'alpha']);
    expect(names("params.lr LIKE '0.0%'")).toEqual(['beta', 'gamma']);
    expect(names("tags.model LIKE 'tree'")).toEqual(['gamma']);
    expect(names("tags.model ILIKE 'tree'")).toEqual(['gamma', 'alpha']);
    expect(names("tags.model LIKE '_orest'")).toEqual(['beta']);
  });

  it('filters attributes: status, run name, start time, run_id IN', () => {
    expect(names("attributes.status = 'FINISHED'")).toEqual(['beta', 'alpha']);
    expect(names("attributes.run_name ILIKE '%TA'")).toEqual(['delta', 'beta']);
    expect(names('attributes.start_time >= 3000')).toEqual(['delta', 'beta']);
    const ids = [runs.alpha?.runId, runs.delta?.runId].map((id) => `'${id}'`).join(', ');
    expect(names(`attributes.run_id IN (${ids})`)).toEqual(['delta', 'alpha']);
    expect(names(`attributes.run_id NOT IN (${ids})`)).toEqual(['beta', 'gamma']);
  });

  it('sorts by metric, putting NaN after numbers and missing values last in both directions', () => {
    expect(names(undefined, ['metrics.rmse ASC'])).toEqual(['beta', 'alpha', 'gamma', 'delta']);
    expect(names(undefined, ['metrics.rmse DESC'])).toEqual(['alpha', 'beta', 'gamma', 'delta']);
    expect(names(undefined, ['params.lr DESC'])).toEqual(['alpha', 'beta', 'gamma', 'delta']);
    expect(names(undefined, ['attributes.start_time ASC'])).toEqual(['alpha', 'gamma', 'beta', 'delta']);
    expect(names(undefined, ['tags.model'])).toEqual(['alpha', 'beta', 'delta', 'gamma']); // 'Tree' < 'forest'
    expect(names(undefined, ['attributes.status', 'attributes.run_name DESC'])).toEqual([
      'gamma',
      'beta',
      'alpha',
      'delta',
    ]);
  });

  it('honours the view type', () => {
    expect(names(undefined, undefined, { viewType: 'DELETED_ONLY' })).toEqual(['removed']);
    expect(names(undefined, undefined, { viewType: 'ALL' })).toHaveLength(5);
  });

  it('pages with max_results and an opaque token until the end', () => {
    const seen: string[] = [];
    let pageToken: string | undefined;
    let pages = 0;
    do {
      const page = searchRuns(store.listRuns(), { experimentIds: [experimentId], maxResults: 3, pageToken });
      seen.push(...page.items.map((run) => run.runName));
      pageToken = page.nextPageToken;
      pages += 1;
    } while (pageToken);
    expect(pages).toBe(2);
    expect(seen).toEqual(['delta', 'beta', 'gamma', 'alpha']);
  });

  it('rejects max_results outside 1..50000', () => {
    expect(errorOf(() => names(undefined, undefined, { maxResults: 0 })).code).toBe(
      'INVALID_PARAMETER_VALUE',
    );
    expect(errorOf(() => names(undefined, undefined, { maxResults: 50_001 })).code).toBe(
      'INVALID_PARAMETER_VALUE',
    );
  });

  it('searches experiments by name and tag, with view type and order', () => {
    const other = store.createExperiment('other-sweep');
    store.setExperimentTag(other, 'team', 'vision');
    const search = (filter?: string, extra: object = {}) =>
      searchExperiments(store.listExperiments(), { filter, ...extra }).items.map((e) => e.name);
    expect(search("name LIKE '%sweep'", { orderBy: ['name ASC'] })).toEqual(['other-sweep', 'sweep']);
    expect(search("attributes.name = 'sweep'")).toEqual(['sweep']);
    expect(search("tags.team = 'vision'")).toEqual(['other-sweep']);
    expect(search(undefined, { orderBy: ['experiment_id DESC'] })).toEqual([
      'other-sweep',
      'sweep',
      'Default',
    ]);
    store.deleteExperiment(other);
    expect(search("name ILIKE '%SWEEP'")).toEqual(['sweep']);
    expect(search(undefined, { viewType: 'DELETED_ONLY' })).toEqual(['other-sweep']);
    expect(errorOf(() => search('metrics.a > 1')).code).toBe('INVALID_PARAMETER_VALUE');
    expect(errorOf(() => search(undefined, { orderBy: ['params.x'] })).code).toBe('INVALID_PARAMETER_VALUE');
  });
});
