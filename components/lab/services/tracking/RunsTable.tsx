'use client';

/**
 * The runs of an experiment as a table: a checkbox to select each run, its name (opens the run),
 * status, start, duration, then one column per param and per metric. Headers sort (the page asks
 * the server to sort); the table scrolls sideways in a narrow pane with the name kept in view.
 */
import { memo, useEffect, useRef } from 'react';
import { timeAgo } from '@/components/ui/relative-time';
import { StatusBadge } from './Badges';
import { formatDateTime, formatDuration, formatMetric, formatMetricExact, runDurationMs } from './format';
import { ariaSort, type Column, type RunSort } from './runs-table';
import type { Run } from './tracking-client';
import styles from './Tracking.module.css';

type RunsTableProps = {
  runs: readonly Run[];
  columns: readonly Column[];
  sort: RunSort;
  caption: string;
  selected: ReadonlySet<string>;
  now: number;
  isBusy: boolean;
  onSort(columnId: string): void;
  onToggle(runId: string): void;
  onToggleAll(select: boolean): void;
  onOpen(runId: string): void;
};

function SortIcon({ direction }: { direction: 'ascending' | 'descending' | 'none' }) {
  return (
    <span className={styles.sortIcon} aria-hidden="true">
      {direction === 'ascending' ? '▲' : direction === 'descending' ? '▼' : '↕'}
    </span>
  );
}

function HeaderCell({ column, sort, onSort }: { column: Column; sort: RunSort; onSort(id: string): void }) {
  const direction = ariaSort(sort, column.id);
  const kind = column.kind === 'attribute' ? null : column.kind;
  return (
    <th
      scope="col"
      aria-sort={direction}
      className={`${styles[`col_${column.kind}`] ?? ''} ${column.id === 'attribute:run_name' ? styles.stickyName : ''}`}
    >
      <button
        type="button"
        className={styles.sortButton}
        onClick={() => onSort(column.id)}
        title={column.label}
      >
        {kind && <span className={styles.columnKind}>{kind}</span>}
        <span className={styles.columnLabel}>{column.label}</span>
        <SortIcon direction={direction} />
      </button>
    </th>
  );
}

const RunRow = memo(function RunRow({
  run,
  columns,
  isSelected,
  now,
  onToggle,
  onOpen,
}: {
  run: Run;
  columns: readonly Column[];
  isSelected: boolean;
  now: number;
  onToggle(runId: string): void;
  onOpen(runId: string): void;
}) {
  const duration = runDurationMs(run, now);
  return (
    <tr data-testid="tracking-run-row" data-run-id={run.id} data-selected={isSelected || undefined}>
      <td className={styles.stickyCheck}>
        <input
          type="checkbox"
          checked={isSelected}
          onChange={() => onToggle(run.id)}
          aria-label={`Select run ${run.name}`}
        />
      </td>
      {columns.map((column) => {
        if (column.kind === 'param') {
          const value = run.params[column.key];
          return (
            <td key={column.id} className={styles.col_param} title={value}>
              {value ?? <span className={styles.missing}>—</span>}
            </td>
          );
        }
        if (column.kind === 'metric') {
          const metric = run.metrics[column.key];
          return (
            <td
              key={column.id}
              className={styles.col_metric}
              title={metric && formatMetricExact(metric.value)}
            >
              {metric ? formatMetric(metric.value) : <span className={styles.missing}>—</span>}
            </td>
          );
        }
        switch (column.key) {
          case 'run_name':
            return (
              <th key={column.id} scope="row" className={styles.stickyName}>
                <button
                  type="button"
                  className={styles.runLink}
                  onClick={() => onOpen(run.id)}
                  title={run.id}
                >
                  {run.name}
                </button>
              </th>
            );
          case 'status':
            return (
              <td key={column.id}>
                <StatusBadge status={run.status} />
              </td>
            );
          case 'start_time':
            return (
              <td key={column.id}>
                {run.startTime === null ? (
                  '—'
                ) : (
                  <time
                    dateTime={new Date(run.startTime).toISOString()}
                    title={formatDateTime(run.startTime)}
                  >
                    {timeAgo(run.startTime, now)}
                  </time>
                )}
              </td>
            );
          default:
            return (
              <td key={column.id} className={styles.col_metric}>
                {duration === null ? '—' : formatDuration(duration)}
              </td>
            );
        }
      })}
    </tr>
  );
});

export function RunsTable({
  runs,
  columns,
  sort,
  caption,
  selected,
  now,
  isBusy,
  onSort,
  onToggle,
  onToggleAll,
  onOpen,
}: RunsTableProps) {
  const selectedHere = runs.filter((run) => selected.has(run.id)).length;
  const allRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (allRef.current) allRef.current.indeterminate = selectedHere > 0 && selectedHere < runs.length;
  }, [selectedHere, runs.length]);

  return (
    <div className={styles.tableScroll} role="region" aria-label="Runs" tabIndex={0}>
      <table className={styles.table} data-testid="tracking-runs-table" aria-busy={isBusy}>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col" className={styles.stickyCheck}>
              <input
                ref={allRef}
                type="checkbox"
                checked={runs.length > 0 && selectedHere === runs.length}
                onChange={(event) => onToggleAll(event.target.checked)}
                aria-label="Select all runs shown"
              />
            </th>
            {columns.map((column) => (
              <HeaderCell key={column.id} column={column} sort={sort} onSort={onSort} />
            ))}
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => (
            <RunRow
              key={run.id}
              run={run}
              columns={columns}
              isSelected={selected.has(run.id)}
              now={now}
              onToggle={onToggle}
              onOpen={onOpen}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}
