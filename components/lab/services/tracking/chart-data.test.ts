import { describe, expect, it } from 'vitest';
import {
  compareRows,
  compareTableRows,
  describeCompareChart,
  describeFinalValues,
  finalValues,
  describeHistory,
  describeScatter,
  hasSeveralSteps,
  historyPoints,
  scatterData,
  seriesColor,
  seriesColors,
} from './chart-data';
import type { Metric, Run } from './tracking-client';

const m = (step: number, value: number, timestamp = step): Metric => ({
  key: 'rmse',
  value,
  step,
  timestamp,
});

function run(id: string, params: Record<string, string>, metrics: Record<string, number>): Run {
  return {
    id,
    name: `run-${id}`,
    experimentId: '1',
    status: 'FINISHED',
    startTime: 0,
    endTime: 1000,
    artifactUri: null,
    userId: '',
    params,
    metrics: Object.fromEntries(
      Object.entries(metrics).map(([key, value]) => [key, { key, value, step: 0, timestamp: 0 }]),
    ),
    tags: {},
  };
}

describe('metric histories', () => {
  it('orders points by step then time, and turns values that cannot be drawn into gaps', () => {
    expect(historyPoints([m(2, 0.5), m(0, Number.NaN), m(1, Infinity), m(1, 0.7, 0)])).toEqual([
      { step: 0, value: null, timestamp: 0 },
      { step: 1, value: 0.7, timestamp: 0 },
      { step: 1, value: null, timestamp: 1 },
      { step: 2, value: 0.5, timestamp: 2 },
    ]);
  });

  it('charts a metric only when it was logged at more than one step', () => {
    expect(hasSeveralSteps([m(0, 1), m(0, 2)])).toBe(false);
    expect(hasSeveralSteps([m(0, 1), m(1, 2)])).toBe(true);
  });

  it('describes a history in words', () => {
    expect(describeHistory([m(1, 0.5), m(0, 0.9), m(2, 0.51)])).toBe(
      '0.9 at step 0 to 0.51 at step 2 (lowest 0.5, highest 0.9)',
    );
    expect(describeHistory([m(0, 0.8)])).toBe('0.8 at step 0');
    expect(describeHistory([m(0, 1), m(1, Number.NaN)])).toBe(
      '1 at step 0 to NaN at step 1 (lowest 1, highest 1), 1 value not a finite number',
    );
    expect(describeHistory([])).toBe('no values');
  });
});

describe('compare charts', () => {
  const series = [
    { runId: 'a', runName: 'run-a', history: [m(0, 1), m(1, 0.5)] },
    { runId: 'b', runName: 'run-b', history: [m(1, 0.7), m(2, 0.6)] },
  ];

  it('merges runs into one row per step with a value per run', () => {
    expect(compareRows(series)).toEqual([
      { step: 0, a: 1 },
      { step: 1, a: 0.5, b: 0.7 },
      { step: 2, b: 0.6 },
    ]);
  });

  it('describes the chart for screen readers', () => {
    expect(describeCompareChart('rmse', series)).toBe(
      'rmse over steps 0–2 for 2 runs. run-a: 1 at step 0 to 0.5 at step 1 (lowest 0.5, highest 1); ' +
        'run-b: 0.7 at step 1 to 0.6 at step 2 (lowest 0.6, highest 0.7).',
    );
  });

  it('gives each run its last value, for a metric logged once per run', () => {
    const finals = [
      { runId: 'a', runName: 'run-a', history: [m(0, 0.91)] },
      { runId: 'b', runName: 'run-b', history: [m(0, Number.NaN)] },
    ];
    expect(finalValues(finals)).toEqual([
      { runId: 'a', runName: 'run-a', value: 0.91 },
      { runId: 'b', runName: 'run-b', value: null },
    ]);
    expect(describeFinalValues('val_auc', finals)).toBe('val_auc, one value per run: run-a 0.91; run-b NaN.');
  });

  it('gives each run a colour, repeating after the palette', () => {
    expect(seriesColor(0)).toBe(seriesColors[0]);
    expect(seriesColor(seriesColors.length + 1)).toBe(seriesColors[1]);
  });
});

describe('param against metric', () => {
  it('uses a numeric axis when every value is a number, and leaves out runs missing either', () => {
    const runs = [
      run('a', { alpha: '0.5' }, { rmse: 0.7 }),
      run('b', { alpha: '0.1' }, { rmse: 0.9 }),
      run('c', {}, { rmse: 1 }),
    ];
    const data = scatterData(runs, 'alpha', 'rmse');
    expect(data.categories).toBeNull();
    expect(data.points.map((p) => [p.runId, p.x, p.y])).toEqual([
      ['a', 0.5, 0.7],
      ['b', 0.1, 0.9],
    ]);
    expect(data.leftOut).toBe(1);
    expect(describeScatter('alpha', 'rmse', data)).toBe(
      'rmse against alpha for 2 runs: alpha 0.1 → 0.9 (run-b); alpha 0.5 → 0.7 (run-a). 1 run left out.',
    );
  });

  it('uses categories for text values, and leaves out metrics that are not finite', () => {
    const runs = [
      run('a', { model: 'ridge' }, { rmse: 0.7 }),
      run('b', { model: 'lasso' }, { rmse: 0.9 }),
      run('c', { model: 'ridge' }, { rmse: Number.NaN }),
    ];
    const data = scatterData(runs, 'model', 'rmse');
    expect(data.categories).toEqual(['lasso', 'ridge']);
    expect(data.points.map((p) => [p.label, p.x])).toEqual([
      ['ridge', 1],
      ['lasso', 0],
    ]);
    expect(data.leftOut).toBe(1);
    expect(describeScatter('model', 'f1', scatterData(runs, 'model', 'f1'))).toBe(
      'No run has both model and a finite f1.',
    );
  });
});

describe('the side-by-side table', () => {
  it('lists attributes, params and metrics with a value per run and marks rows that differ', () => {
    const runs = [
      run('a', { alpha: '0.1', model: 'ridge' }, { rmse: 0.81234 }),
      run('b', { alpha: '0.5', model: 'ridge' }, { rmse: 0.81236 }),
    ];
    const rows = compareTableRows(runs, { status: () => 'Finished', duration: () => '1.0 s' });
    expect(rows.map((r) => [r.id, r.values, r.differs])).toEqual([
      ['status', ['Finished', 'Finished'], false],
      ['duration', ['1.0 s', '1.0 s'], false],
      ['param:alpha', ['0.1', '0.5'], true],
      ['param:model', ['ridge', 'ridge'], false],
      // Shown alike, compared exactly.
      ['metric:rmse', ['0.8123', '0.8124'], true],
    ]);
  });

  it('counts a value missing from one run as a difference', () => {
    const rows = compareTableRows([run('a', { alpha: '1' }, {}), run('b', {}, {})], {
      status: () => '',
      duration: () => '',
    });
    expect(rows.find((r) => r.id === 'param:alpha')).toMatchObject({ values: ['1', null], differs: true });
  });
});
