'use client';

/**
 * One run: what it is (status, times, ids), its params, its metrics (latest value, and a small
 * chart of the history when it was logged at several steps), its tags and its artifacts. Refreshes
 * while shown, so a run still training fills in.
 */
import { useEffect, useRef } from 'react';
import { ArtifactBrowser } from './ArtifactBrowser';
import { StatusBadge } from './Badges';
import { hasSeveralSteps } from './chart-data';
import { formatDateTime, formatDuration, formatMetric, formatMetricExact, runDurationMs } from './format';
import { HistoryChart } from './MetricChart';
import { ServiceProblem } from './Notices';
import type { Experiment, Metric, Run, TrackingClient } from './tracking-client';
import { useLiveQuery } from './use-live-query';
import styles from './Tracking.module.css';

const livePollMs = 3000;

type RunDetailProps = {
  client: TrackingClient;
  runId: string;
  experiments: readonly Experiment[];
  isLive: boolean;
  now: number;
  /** Back to the runs; with the run shown, when it had loaded. */
  onBack(run: Run | null): void;
};

export function RunDetail({ client, runId, experiments, isLive, now, onBack }: RunDetailProps) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus({ preventScroll: true }), [runId]);

  const run = useLiveQuery(`run:${runId}`, () => client.run(runId), { intervalMs: livePollMs, isLive });
  const current = run.dataKey === `run:${runId}` ? run.data : undefined;

  // Histories load again only when a metric's latest point changes.
  const metricKeys = current ? Object.keys(current.metrics).sort() : [];
  const historyKey = current
    ? `history:${runId}:${metricKeys.map((key) => `${key}@${current.metrics[key]?.step}/${current.metrics[key]?.timestamp}`).join(',')}`
    : null;
  const histories = useLiveQuery(
    historyKey,
    async () => {
      const entries = await Promise.all(
        metricKeys.map(async (key) => [key, await client.metricHistory(runId, key)] as const),
      );
      return Object.fromEntries(entries) as Record<string, Metric[]>;
    },
    { isLive: false },
  );

  const userTags = current ? Object.entries(current.tags).filter(([key]) => !key.startsWith('mlflow.')) : [];
  const systemTags = current ? Object.entries(current.tags).filter(([key]) => key.startsWith('mlflow.')) : [];
  const duration = current ? runDurationMs(current, run.updatedAt ?? now) : null;
  const experimentName = current ? experiments.find((e) => e.id === current.experimentId)?.name : undefined;

  return (
    <article className={styles.detail} data-testid="tracking-run-detail" data-run-id={runId}>
      <nav className={styles.crumbs} aria-label="Run">
        <button type="button" className={styles.backButton} onClick={() => onBack(current ?? null)}>
          <span aria-hidden="true">←</span> All runs
        </button>
      </nav>
      <header className={styles.detailHeader}>
        <h3 ref={headingRef} tabIndex={-1} className={styles.detailTitle}>
          {current?.name ?? 'Run'}
        </h3>
        {current && <StatusBadge status={current.status} />}
      </header>
      {run.error && !current && <ServiceProblem error={run.error} onRetry={run.refresh} />}
      {!current && !run.error && <p className={styles.muted}>Loading the run…</p>}
      {current && (
        <>
          <dl className={styles.facts}>
            <div>
              <dt>Run ID</dt>
              <dd>
                <code>{current.id}</code>
              </dd>
            </div>
            <div>
              <dt>Experiment</dt>
              <dd>{experimentName ?? current.experimentId}</dd>
            </div>
            <div>
              <dt>Started</dt>
              <dd>{current.startTime === null ? '—' : formatDateTime(current.startTime)}</dd>
            </div>
            <div>
              <dt>Duration</dt>
              <dd>
                {duration === null ? '—' : formatDuration(duration)}
                {current.status === 'RUNNING' && ' so far'}
              </dd>
            </div>
            {current.userId && (
              <div>
                <dt>User</dt>
                <dd>{current.userId}</dd>
              </div>
            )}
          </dl>

          <section className={styles.section} aria-labelledby={`params-${runId}`}>
            <h4 id={`params-${runId}`}>Parameters ({Object.keys(current.params).length})</h4>
            {Object.keys(current.params).length === 0 ? (
              <p className={styles.muted}>No parameters logged.</p>
            ) : (
              <div className={styles.tableScroll} role="region" aria-label="Parameters" tabIndex={0}>
                <table className={`${styles.table} ${styles.keyValueTable}`}>
                  <thead>
                    <tr>
                      <th scope="col">Name</th>
                      <th scope="col">Value</th>
                    </tr>
                  </thead>
                  <tbody>
                    {Object.entries(current.params)
                      .sort(([a], [b]) => a.localeCompare(b))
                      .map(([key, value]) => (
                        <tr key={key}>
                          <th scope="row">{key}</th>
                          <td className={styles.valueCell}>{value}</td>
                        </tr>
                      ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>

          <section className={styles.section} aria-labelledby={`metrics-${runId}`}>
            <h4 id={`metrics-${runId}`}>Metrics ({metricKeys.length})</h4>
            {metricKeys.length === 0 ? (
              <p className={styles.muted}>No metrics logged.</p>
            ) : (
              <ul className={styles.metricList}>
                {metricKeys.map((key) => {
                  const metric = current.metrics[key];
                  if (!metric) return null;
                  const history = histories.data?.[key];
                  return (
                    <li key={key} className={styles.metricCard} data-metric={key}>
                      <div className={styles.metricHead}>
                        <span className={styles.metricName}>{key}</span>
                        <span className={styles.metricValue} title={formatMetricExact(metric.value)}>
                          {formatMetric(metric.value)}
                        </span>
                        <span className={styles.muted}>step {metric.step}</span>
                      </div>
                      {history && hasSeveralSteps(history) && (
                        <HistoryChart metricKey={key} history={history} />
                      )}
                    </li>
                  );
                })}
              </ul>
            )}
          </section>

          <section className={styles.section} aria-labelledby={`tags-${runId}`}>
            <h4 id={`tags-${runId}`}>Tags ({userTags.length})</h4>
            {userTags.length === 0 ? (
              <p className={styles.muted}>
                No tags of your own (<code>mlflow.set_tag(&quot;key&quot;, &quot;value&quot;)</code> adds
                one).
              </p>
            ) : (
              <TagTable tags={userTags} label="Tags" />
            )}
            {systemTags.length > 0 && (
              <details className={styles.systemTags}>
                <summary>System tags ({systemTags.length})</summary>
                <TagTable tags={systemTags} label="System tags" />
              </details>
            )}
          </section>

          <section className={styles.section} aria-labelledby={`artifacts-${runId}`}>
            <h4 id={`artifacts-${runId}`}>Artifacts</h4>
            <ArtifactBrowser client={client} run={current} isLive={isLive} />
          </section>
        </>
      )}
    </article>
  );
}

function TagTable({ tags, label }: { tags: [string, string][]; label: string }) {
  return (
    <div className={styles.tableScroll} role="region" aria-label={label} tabIndex={0}>
      <table className={`${styles.table} ${styles.keyValueTable}`}>
        <thead>
          <tr>
            <th scope="col">Key</th>
            <th scope="col">Value</th>
          </tr>
        </thead>
        <tbody>
          {tags
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([key, value]) => (
              <tr key={key}>
                <th scope="row">{key}</th>
                <td className={styles.valueCell}>{value}</td>
              </tr>
            ))}
        </tbody>
      </table>
    </div>
  );
}
