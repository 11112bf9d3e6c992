'use client';

/**
 * Two or more runs side by side: one chart per metric with a line per run over steps, a param
 * against a metric (chosen from two lists) with a point per run, and a table of every param and
 * metric where the rows that differ between the runs are marked.
 */
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { statusWord } from './Badges';
import { compareTableRows, scatterData, seriesColor, type CompareSeries } from './chart-data';
import { formatDuration, runDurationMs } from './format';
import { CompareChart, ParamScatter } from './MetricChart';
import { ServiceProblem } from './Notices';
import { collectKeys } from './runs-table';
import type { Metric, Run, TrackingClient } from './tracking-client';
import { useLiveQuery } from './use-live-query';
import styles from './Tracking.module.css';

const livePollMs = 5000;

type CompareRunsProps = {
  client: TrackingClient;
  runIds: readonly string[];
  isLive: boolean;
  now: number;
  onBack(): void;
  onOpenRun(runId: string): void;
};

/** The param whose values differ most between the runs (the likeliest thing the sweep varied). */
function mostVariedParam(runs: readonly Run[], keys: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestCount = 0;
  for (const key of keys) {
    const count = new Set(runs.map((run) => run.params[key])).size;
    if (count > bestCount) {
      best = key;
      bestCount = count;
    }
  }
  return best;
}

export function CompareRuns({ client, runIds, isLive, now, onBack, onOpenRun }: CompareRunsProps) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus({ preventScroll: true }), []);
  const ids = runIds.join(',');
  const runsQuery = useLiveQuery(`compare:${ids}`, () => Promise.all(runIds.map((id) => client.run(id))), {
    intervalMs: livePollMs,
    isLive,
  });
  const runs = useMemo(() => runsQuery.data ?? [], [runsQuery.data]);
  const { params, metrics } = useMemo(() => collectKeys(runs), [runs]);

  const historyKey =
    runs.length > 0
      ? `compare-history:${runs
          .map((run) =>
            [run.id, ...Object.values(run.metrics).map((m) => `${m.key}@${m.step}/${m.timestamp}`)].join(':'),
          )
          .join('|')}`
      : null;
  const histories = useLiveQuery(
    historyKey,
    async () => {
      const pairs = runs.flatMap((run) => Object.keys(run.metrics).map((key) => ({ run, key })));
      const loaded = await Promise.all(
        pairs.map(
          async ({ run, key }) => [`${run.id}\n${key}`, await client.metricHistory(run.id, key)] as const,
        ),
      );
      return Object.fromEntries(loaded) as Record<string, Metric[]>;
    },
    { isLive: false },
  );

  const [paramChoice, setParamChoice] = useState<string>('');
  const [metricChoice, setMetricChoice] = useState<string>('');
  const paramKey = params.includes(paramChoice) ? paramChoice : (mostVariedParam(runs, params) ?? '');
  const metricKey = metrics.includes(metricChoice) ? metricChoice : (metrics[0] ?? '');
  const [onlyDifferences, setOnlyDifferences] = useState(false);
  const paramSelectId = useId();
  const metricSelectId = useId();

  const rows = compareTableRows(runs, {
    status: (run) => statusWord(run.status),
    duration: (run) => {
      const ms = runDurationMs(run, now);
      return ms === null ? '—' : formatDuration(ms);
    },
  });
  const shownRows = onlyDifferences ? rows.filter((row) => row.differs) : rows;

  const seriesFor = (key: string): CompareSeries[] =>
    runs
      .filter((run) => run.metrics[key])
      .map((run) => ({
        runId: run.id,
        runName: run.name,
        history: histories.data?.[`${run.id}\n${key}`] ?? [run.metrics[key] as Metric],
      }));

  return (
    <section
      className={styles.detail}
      data-testid="tracking-compare"
      aria-labelledby="tracking-compare-title"
    >
      <nav className={styles.crumbs} aria-label="Compare">
        <button type="button" className={styles.backButton} onClick={onBack}>
          <span aria-hidden="true">←</span> All runs
        </button>
      </nav>
      <h3 id="tracking-compare-title" ref={headingRef} tabIndex={-1} className={styles.detailTitle}>
        Comparing {runIds.length} runs
      </h3>
      {runsQuery.error && runs.length === 0 && (
        <ServiceProblem error={runsQuery.error} onRetry={runsQuery.refresh} />
      )}
      {runs.length === 0 && !runsQuery.error && <p className={styles.muted}>Loading the runs…</p>}
      {runs.length > 0 && (
        <>
          <ul className={styles.legend} aria-label="Runs compared">
            {runs.map((run, index) => (
              <li key={run.id}>
                <span
                  className={styles.swatch}
                  style={{ background: seriesColor(index) }}
                  aria-hidden="true"
                />
                <button type="button" className={styles.runLink} onClick={() => onOpenRun(run.id)}>
                  {run.name}
                </button>
              </li>
            ))}
          </ul>

          <section className={styles.section} aria-labelledby="tracking-compare-metrics">
            <h4 id="tracking-compare-metrics">Metrics over steps</h4>
            {metrics.length === 0 ? (
              <p className={styles.muted}>These runs have no metrics.</p>
            ) : (
              <div className={styles.chartGrid}>
                {metrics.map((key) => (
                  <CompareChart
                    key={key}
                    metricKey={key}
                    series={seriesFor(key)}
                    runIds={runs.map((run) => run.id)}
                  />
                ))}
              </div>
            )}
          </section>

          <section className={styles.section} aria-labelledby="tracking-compare-scatter">
            <h4 id="tracking-compare-scatter">Parameter against metric</h4>
            {params.length === 0 || metrics.length === 0 ? (
              <p className={styles.muted}>This needs runs with at least one parameter and one metric.</p>
            ) : (
              <>
                <div className={styles.toolbar}>
                  <label htmlFor={paramSelectId}>Parameter</label>
                  <select
                    id={paramSelectId}
                    value={paramKey}
                    onChange={(event) => setParamChoice(event.target.value)}
                  >
                    {params.map((key) => (
                      <option key={key} value={key}>
                        {key}
                      </option>
                    ))}
                  </select>
                  <label htmlFor={metricSelectId}>Metric</label>
                  <select
                    id={metricSelectId}
                    value={metricKey}
                    onChange={(event) => setMetricChoice(event.target.value)}
                  >
                    {metrics.map((key) => (
                      <option key={key} value={key}>
                        {key}
                      </option>
                    ))}
                  </select>
                </div>
                <ParamScatter
                  paramKey={paramKey}
                  metricKey={metricKey}
                  data={scatterData(runs, paramKey, metricKey)}
                  runIds={runs.map((run) => run.id)}
                />
              </>
            )}
          </section>

          <section className={styles.section} aria-labelledby="tracking-compare-table">
            <div className={styles.sectionHead}>
              <h4 id="tracking-compare-table">Side by side</h4>
              <label className={styles.checkLabel}>
                <input
                  type="checkbox"
                  checked={onlyDifferences}
                  onChange={(event) => setOnlyDifferences(event.target.checked)}
                />
                Only rows that differ
              </label>
            </div>
            <div className={styles.tableScroll} role="region" aria-label="Runs side by side" tabIndex={0}>
              <table
                className={`${styles.table} ${styles.compareTable}`}
                data-testid="tracking-compare-table"
              >
                <caption className="visually-hidden">
                  Parameters and metrics of the compared runs; rows whose values differ are marked “differs”.
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    {runs.map((run, index) => (
                      <th scope="col" key={run.id}>
                        <span
                          className={styles.swatch}
                          style={{ background: seriesColor(index) }}
                          aria-hidden="true"
                        />
                        {run.name}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {shownRows.map((row, index) => {
                    const startsGroup = index === 0 || shownRows[index - 1]?.group !== row.group;
                    return (
                      <tr
                        key={row.id}
                        className={`${row.differs ? styles.differs : ''} ${startsGroup ? styles.groupStart : ''}`}
                        data-differs={row.differs || undefined}
                      >
                        <th scope="row">
                          <span className={styles.columnKind}>
                            {row.group === 'Attributes' ? '' : row.group.slice(0, -1).toLowerCase()}
                          </span>
                          {row.label}
                          {row.differs && <span className={styles.differsMark}> differs</span>}
                        </th>
                        {row.values.map((value, column) => (
                          <td key={runs[column]?.id ?? column} className={styles.valueCell}>
                            {value ?? <span className={styles.missing}>—</span>}
                          </td>
                        ))}
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          </section>
        </>
      )}
    </section>
  );
}
