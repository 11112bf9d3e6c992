/**
 * Data for the tracking pages' charts (recharts wants one array of rows) and the sentences that
 * describe each chart for people who cannot see it. Non-finite values (NaN, ±∞) cannot be drawn:
 * they become gaps, and the summaries say so.
 */
import { formatMetric, formatMetricExact } from './format';
import type { Metric, Run } from './tracking-client';

export type HistoryPoint = { step: number; value: number | null; timestamp: number };

/** A metric's history by step (then time), with values that cannot be drawn as gaps. */
export function historyPoints(history: readonly Metric[]): HistoryPoint[] {
  return [...history]
    .sort((a, b) => a.step - b.step || a.timestamp - b.timestamp)
    .map((m) => ({ step: m.step, value: Number.isFinite(m.value) ? m.value : null, timestamp: m.timestamp }));
}

/** Worth a line chart: the metric was logged at more than one step. */
export function hasSeveralSteps(history: readonly Metric[]): boolean {
  return new Set(history.map((m) => m.step)).size > 1;
}

export type CompareSeries = { runId: string; runName: string; history: readonly Metric[] };
/** One row per step: `{ step, [runId]: value }` (the last value logged at that step). */
export type CompareRow = { step: number } & Record<string, number | null>;

/** Rows for one metric's compare chart: one line per run, over the steps any run logged. */
export function compareRows(series: readonly CompareSeries[]): CompareRow[] {
  const rows = new Map<number, CompareRow>();
  for (const { runId, history } of series) {
    for (const point of historyPoints(history)) {
      const row = rows.get(point.step) ?? ({ step: point.step } as CompareRow);
      row[runId] = point.value;
      rows.set(point.step, row);
    }
  }
  return [...rows.values()].sort((a, b) => a.step - b.step);
}

/** Each run's last value of a metric (null when it is not a finite number), for a bar chart. */
export function finalValues(
  series: readonly CompareSeries[],
): { runId: string; runName: string; value: number | null }[] {
  return series.map(({ runId, runName, history }) => ({
    runId,
    runName,
    value: historyPoints(history).at(-1)?.value ?? null,
  }));
}

/** "val_auc, one value per run: run-a 0.91; run-b 0.88." */
export function describeFinalValues(metricKey: string, series: readonly CompareSeries[]): string {
  const parts = series.map(({ runName, history }) => {
    const last = [...history].sort((a, b) => a.step - b.step || a.timestamp - b.timestamp).at(-1);
    return `${runName} ${last ? formatMetric(last.value) : 'no value'}`;
  });
  return `${metricKey}, one value per run: ${parts.join('; ')}.`;
}

/** "rmse over steps 0–9 for 2 runs: lucky-fox-1 from 0.9 to 0.51 (lowest 0.5); …". */
export function describeCompareChart(metricKey: string, series: readonly CompareSeries[]): string {
  const steps = series.flatMap((s) => s.history.map((m) => m.step));
  const range = steps.length === 0 ? 'no steps' : stepRange(Math.min(...steps), Math.max(...steps));
  const parts = series.map((s) => `${s.runName}: ${describeHistory(s.history)}`);
  return `${metricKey} over ${range} for ${series.length} runs. ${parts.join('; ')}.`;
}

/** "0.9 at step 0 to 0.51 at step 9 (lowest 0.5, highest 0.9)". */
export function describeHistory(history: readonly Metric[]): string {
  const points = [...history].sort((a, b) => a.step - b.step || a.timestamp - b.timestamp);
  const first = points[0];
  const last = points.at(-1);
  if (!first || !last) return 'no values';
  if (points.length === 1) return `${formatMetric(first.value)} at step ${first.step}`;
  const finite = points.map((p) => p.value).filter(Number.isFinite);
  const extremes =
    finite.length > 0
      ? ` (lowest ${formatMetric(Math.min(...finite))}, highest ${formatMetric(Math.max(...finite))})`
      : '';
  const gaps = points.length - finite.length;
  const gapNote = gaps > 0 ? `, ${gaps} value${gaps === 1 ? '' : 's'} not a finite number` : '';
  return (
    `${formatMetric(first.value)} at step ${first.step} to ${formatMetric(last.value)} at step ${last.step}` +
    `${extremes}${gapNote}`
  );
}

function stepRange(from: number, to: number): string {
  return from === to ? `step ${from}` : `steps ${from}–${to}`;
}

export type ScatterPoint = { runId: string; runName: string; x: number; y: number; label: string };
export type ScatterData = {
  points: ScatterPoint[];
  /** The param's values are all numbers (a numeric axis); else categories, in order. */
  categories: string[] | null;
  /** Runs left out: the param or the metric is missing, or the metric is not a finite number. */
  leftOut: number;
};

/** A param against a metric's latest value, one point per run. */
export function scatterData(runs: readonly Run[], paramKey: string, metricKey: string): ScatterData {
  const usable = runs.filter((run) => {
    const value = run.metrics[metricKey]?.value;
    return run.params[paramKey] !== undefined && value !== undefined && Number.isFinite(value);
  });
  const texts = usable.map((run) => run.params[paramKey] ?? '');
  const isNumeric =
    texts.length > 0 && texts.every((text) => text.trim() !== '' && Number.isFinite(Number(text)));
  const categories = isNumeric
    ? null
    : [...new Set(texts)].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const points = usable.map((run) => {
    const label = run.params[paramKey] ?? '';
    return {
      runId: run.id,
      runName: run.name,
      x: categories ? categories.indexOf(label) : Number(label),
      y: run.metrics[metricKey]?.value ?? 0,
      label,
    };
  });
  return { points, categories, leftOut: runs.length - usable.length };
}

/** "rmse against alpha for 3 runs: alpha 0.1 → 0.8 (lucky-fox-1); …". */
export function describeScatter(paramKey: string, metricKey: string, data: ScatterData): string {
  if (data.points.length === 0) return `No run has both ${paramKey} and a finite ${metricKey}.`;
  const parts = [...data.points]
    .sort((a, b) => a.x - b.x)
    .map((p) => `${paramKey} ${p.label} → ${formatMetric(p.y)} (${p.runName})`);
  const leftOut = data.leftOut > 0 ? ` ${data.leftOut} run${data.leftOut === 1 ? '' : 's'} left out.` : '';
  return `${metricKey} against ${paramKey} for ${data.points.length} runs: ${parts.join('; ')}.${leftOut}`;
}

/** Line colours that read on both themes, one per run in order (they repeat after ten). */
export const seriesColors = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#59a14f',
  '#b07aa1',
  '#76b7b2',
  '#edc948',
  '#9c755f',
  '#ff9da7',
  '#bab0ac',
] as const;

export function seriesColor(index: number): string {
  return seriesColors[index % seriesColors.length] ?? seriesColors[0];
}

export type CompareTableRow = {
  id: string;
  group: 'Attributes' | 'Params' | 'Metrics';
  label: string;
  /** One text per run; null where the run has no value. */
  values: (string | null)[];
  /** Not every run has the same value. */
  differs: boolean;
};

/** Params and metrics side by side, one column per run; rows whose values differ are flagged. */
export function compareTableRows(
  runs: readonly Run[],
  describe: { status(run: Run): string; duration(run: Run): string },
): CompareTableRow[] {
  const row = (
    id: string,
    group: CompareTableRow['group'],
    label: string,
    values: (string | null)[],
    exactValues: readonly unknown[] = values,
  ) => ({ id, group, label, values, differs: new Set(exactValues).size > 1 });
  const params = [...new Set(runs.flatMap((run) => Object.keys(run.params)))].sort();
  const metrics = [...new Set(runs.flatMap((run) => Object.keys(run.metrics)))].sort();
  return [
    row('status', 'Attributes', 'Status', runs.map(describe.status)),
    row('duration', 'Attributes', 'Duration', runs.map(describe.duration)),
    ...params.map((key) =>
      row(
        `param:${key}`,
        'Params',
        key,
        runs.map((run) => run.params[key] ?? null),
      ),
    ),
    ...metrics.map((key) =>
      row(
        `metric:${key}`,
        'Metrics',
        key,
        runs.map((run) => {
          const metric = run.metrics[key];
          return metric ? formatMetric(metric.value) : null;
        }),
        // Compared exactly: two values may differ beyond the digits shown.
        runs.map((run) => {
          const metric = run.metrics[key];
          return metric ? formatMetricExact(metric.value) : null;
        }),
      ),
    ),
  ];
}
