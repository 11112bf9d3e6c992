/**
 * The runs table's model: which columns the runs have (attributes, then every param and metric),
 * how a click on a header changes the sort, and how a sort becomes MLflow's `order_by` so the
 * server sorts (duration, which MLflow cannot order by, is sorted here).
 */
import { runDurationMs } from './format';
import { quoteKey, type Run } from './tracking-client';

export type ColumnKind = 'attribute' | 'param' | 'metric';
export type AttributeKey = 'run_name' | 'status' | 'start_time' | 'duration';

export type Column = { id: string; kind: ColumnKind; key: string; label: string };
export type SortDirection = 'asc' | 'desc';
export type RunSort = { columnId: string; direction: SortDirection };

export const attributeColumns: Column[] = [
  { id: 'attribute:run_name', kind: 'attribute', key: 'run_name', label: 'Run' },
  { id: 'attribute:status', kind: 'attribute', key: 'status', label: 'Status' },
  { id: 'attribute:start_time', kind: 'attribute', key: 'start_time', label: 'Started' },
  { id: 'attribute:duration', kind: 'attribute', key: 'duration', label: 'Duration' },
];

/** What MLflow sorts by when no order_by is sent. */
export const defaultSort: RunSort = { columnId: 'attribute:start_time', direction: 'desc' };

export function columnId(kind: ColumnKind, key: string): string {
  return `${kind}:${key}`;
}

/** The column an id names (params and metrics are read back from the id itself). */
export function parseColumnId(id: string): Column | null {
  const attribute = attributeColumns.find((column) => column.id === id);
  if (attribute) return attribute;
  const match = /^(param|metric):(.+)$/s.exec(id);
  if (!match) return null;
  const kind = match[1] as 'param' | 'metric';
  const key = match[2] ?? '';
  return { id, kind, key, label: key };
}

/** The param and metric keys found in any of the runs, each sorted by name. */
export function collectKeys(runs: readonly Run[]): { params: string[]; metrics: string[] } {
  const params = new Set<string>();
  const metrics = new Set<string>();
  for (const run of runs) {
    for (const key of Object.keys(run.params)) params.add(key);
    for (const key of Object.keys(run.metrics)) metrics.add(key);
  }
  const byName = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });
  return { params: [...params].sort(byName), metrics: [...metrics].sort(byName) };
}

/** Every column of the table for these runs: attributes, params, metrics. */
export function collectColumns(runs: readonly Run[]): Column[] {
  const { params, metrics } = collectKeys(runs);
  return [
    ...attributeColumns,
    ...params.map((key) => ({ id: columnId('param', key), kind: 'param' as const, key, label: key })),
    ...metrics.map((key) => ({ id: columnId('metric', key), kind: 'metric' as const, key, label: key })),
  ];
}

/**
 * The sort after a click on a column's header: the same column flips its direction; another one
 * starts descending for times and durations (newest, longest first) and ascending otherwise.
 */
export function nextSort(current: RunSort, clickedId: string): RunSort {
  if (current.columnId === clickedId) {
    return { columnId: clickedId, direction: current.direction === 'asc' ? 'desc' : 'asc' };
  }
  const startsDescending = clickedId === 'attribute:start_time' || clickedId === 'attribute:duration';
  return { columnId: clickedId, direction: startsDescending ? 'desc' : 'asc' };
}

/** `aria-sort` for a column's header. */
export function ariaSort(sort: RunSort, id: string): 'ascending' | 'descending' | 'none' {
  if (sort.columnId !== id) return 'none';
  return sort.direction === 'asc' ? 'ascending' : 'descending';
}

/**
 * MLflow's `order_by` for a sort, e.g. `["metrics.rmse ASC"]`; `null` when the server cannot sort
 * by it (duration, or a key that cannot be quoted) and the table sorts the runs itself.
 */
export function orderByFor(sort: RunSort): string[] | null {
  const column = parseColumnId(sort.columnId);
  if (!column) return null;
  const direction = sort.direction.toUpperCase();
  if (column.kind === 'attribute') {
    if (column.key === 'duration') return null;
    return [`attributes.${column.key} ${direction}`];
  }
  const key = quoteKey(column.key);
  if (key === null) return null;
  return [`${column.kind === 'param' ? 'params' : 'metrics'}.${key} ${direction}`];
}

type SortValue = string | number | undefined;

function sortValue(run: Run, column: Column, now: number): SortValue {
  if (column.kind === 'param') return run.params[column.key];
  if (column.kind === 'metric') return run.metrics[column.key]?.value;
  switch (column.key as AttributeKey) {
    case 'run_name':
      return run.name;
    case 'status':
      return run.status;
    case 'start_time':
      return run.startTime ?? undefined;
    case 'duration':
      return runDurationMs(run, now) ?? undefined;
  }
}

/**
 * Sorts runs here, the way MLflow's server does: missing values last in either direction, NaN
 * after numbers; ties keep the server's order.
 */
export function sortRunsLocally(runs: readonly Run[], sort: RunSort, now: number): Run[] {
  const column = parseColumnId(sort.columnId);
  if (!column) return [...runs];
  const sign = sort.direction === 'asc' ? 1 : -1;
  const rank = (value: SortValue) =>
    value === undefined ? 2 : typeof value === 'number' && Number.isNaN(value) ? 1 : 0;
  return runs
    .map((run, index) => ({ run, index, value: sortValue(run, column, now) }))
    .sort((a, b) => {
      const rankA = rank(a.value);
      const rankB = rank(b.value);
      if (rankA !== rankB || rankA !== 0) return rankA - rankB || a.index - b.index;
      const left = a.value as string | number;
      const right = b.value as string | number;
      const order = left < right ? -1 : left > right ? 1 : 0;
      return order * sign || a.index - b.index;
    })
    .map(({ run }) => run);
}
