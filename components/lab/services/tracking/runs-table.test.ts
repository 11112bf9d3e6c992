import { describe, expect, it } from 'vitest';
import {
  ariaSort,
  collectColumns,
  collectKeys,
  defaultSort,
  nextSort,
  orderByFor,
  parseColumnId,
  sortRunsLocally,
} from './runs-table';
import type { Run } from './tracking-client';

function run(id: string, fields: Partial<Run> & { rmse?: number; alpha?: string } = {}): Run {
  const { rmse, alpha, ...rest } = fields;
  return {
    id,
    name: id,
    experimentId: '1',
    status: 'FINISHED',
    startTime: 0,
    endTime: 0,
    artifactUri: null,
    userId: '',
    metrics: rmse === undefined ? {} : { rmse: { key: 'rmse', value: rmse, step: 0, timestamp: 0 } },
    params: alpha === undefined ? {} : { alpha },
    tags: {},
    ...rest,
  };
}

describe('columns', () => {
  it('collects every param and metric key of the runs, each sorted, after the attributes', () => {
    const runs = [
      { ...run('a', { rmse: 1, alpha: '0.1' }), params: { alpha: '0.1', l1_ratio: '0.5' } },
      { ...run('b'), metrics: { 'val loss': { key: 'val loss', value: 1, step: 0, timestamp: 0 } } },
      run('c', { rmse: 2 }),
    ];
    expect(collectKeys(runs)).toEqual({ params: ['alpha', 'l1_ratio'], metrics: ['rmse', 'val loss'] });
    expect(collectColumns(runs).map((c) => c.id)).toEqual([
      'attribute:run_name',
      'attribute:status',
      'attribute:start_time',
      'attribute:duration',
      'param:alpha',
      'param:l1_ratio',
      'metric:rmse',
      'metric:val loss',
    ]);
  });

  it('reads a column back from its id, keys with colons and dots included', () => {
    expect(parseColumnId('metric:val:loss.x')).toEqual({
      id: 'metric:val:loss.x',
      kind: 'metric',
      key: 'val:loss.x',
      label: 'val:loss.x',
    });
    expect(parseColumnId('attribute:status')?.label).toBe('Status');
    expect(parseColumnId('nonsense')).toBeNull();
  });
});

describe('sorting', () => {
  it('flips the direction on the same column; a new column starts ascending, times descending', () => {
    expect(nextSort(defaultSort, 'attribute:start_time')).toEqual({
      columnId: 'attribute:start_time',
      direction: 'asc',
    });
    expect(nextSort(defaultSort, 'metric:rmse')).toEqual({ columnId: 'metric:rmse', direction: 'asc' });
    expect(nextSort({ columnId: 'metric:rmse', direction: 'asc' }, 'metric:rmse').direction).toBe('desc');
    expect(nextSort(defaultSort, 'attribute:duration').direction).toBe('desc');
  });

  it('gives aria-sort for the sorted column only', () => {
    expect(ariaSort(defaultSort, 'attribute:start_time')).toBe('descending');
    expect(ariaSort({ columnId: 'metric:rmse', direction: 'asc' }, 'metric:rmse')).toBe('ascending');
    expect(ariaSort(defaultSort, 'metric:rmse')).toBe('none');
  });

  it('maps sorts to MLflow order_by, quoting odd keys, and leaves duration to the browser', () => {
    expect(orderByFor({ columnId: 'metric:rmse', direction: 'asc' })).toEqual(['metrics.rmse ASC']);
    expect(orderByFor({ columnId: 'param:alpha', direction: 'desc' })).toEqual(['params.alpha DESC']);
    expect(orderByFor({ columnId: 'metric:val loss', direction: 'desc' })).toEqual([
      'metrics.`val loss` DESC',
    ]);
    expect(orderByFor({ columnId: 'attribute:run_name', direction: 'asc' })).toEqual([
      'attributes.run_name ASC',
    ]);
    expect(orderByFor({ columnId: 'attribute:status', direction: 'asc' })).toEqual(['attributes.status ASC']);
    expect(orderByFor(defaultSort)).toEqual(['attributes.start_time DESC']);
    expect(orderByFor({ columnId: 'attribute:duration', direction: 'asc' })).toBeNull();
    expect(orderByFor({ columnId: 'metric:a`b', direction: 'asc' })).toBeNull();
  });

  it('sorts here as the server does: missing values last either way, NaN after numbers', () => {
    const runs = [
      run('none'),
      run('nan', { rmse: Number.NaN }),
      run('high', { rmse: 0.9 }),
      run('low', { rmse: 0.1 }),
    ];
    const ids = (sorted: Run[]) => sorted.map((r) => r.id);
    expect(ids(sortRunsLocally(runs, { columnId: 'metric:rmse', direction: 'asc' }, 0))).toEqual([
      'low',
      'high',
      'nan',
      'none',
    ]);
    expect(ids(sortRunsLocally(runs, { columnId: 'metric:rmse', direction: 'desc' }, 0))).toEqual([
      'high',
      'low',
      'nan',
      'none',
    ]);
  });

  it('sorts by duration, counting a running run up to now', () => {
    const runs = [
      run('short', { startTime: 0, endTime: 1000 }),
      run('running', { startTime: 0, endTime: null, status: 'RUNNING' }),
      run('long', { startTime: 0, endTime: 5000 }),
    ];
    const sorted = sortRunsLocally(runs, { columnId: 'attribute:duration', direction: 'desc' }, 3000);
    expect(sorted.map((r) => r.id)).toEqual(['long', 'running', 'short']);
  });
});
