'use client';

/**
 * The Models tab: the registered models, and a model's versions with their stage, aliases, when
 * each was made and the run it came from (a link opens that run in the Experiments tab).
 */
import { useMemo, useState } from 'react';
import { timeAgo } from '@/components/ui/relative-time';
import type { ServicePageProps } from '../service-pages';
import { AliasBadge, StageBadge } from './Badges';
import { formatDateTime } from './format';
import { EmptyState, NoSandbox, ServiceProblem, Snippet } from './Notices';
import { TrackingClient, type RegisteredModel } from './tracking-client';
import { useLiveQuery } from './use-live-query';
import styles from './Tracking.module.css';

const pollMs = 5000;
/** Source runs named in the versions table (the rest show their id). */
const maxNamedRuns = 50;

function latestVersion(model: RegisteredModel): string | null {
  const numbers = model.latestVersions.map((v) => Number(v.version)).filter(Number.isFinite);
  return numbers.length ? String(Math.max(...numbers)) : null;
}

export function ModelsPage({ access, isActive, onNavigate }: ServicePageProps) {
  const client = useMemo(() => (access ? new TrackingClient(access) : null), [access]);
  const [chosen, setChosen] = useState<string | null>(null);

  const modelsQuery = useLiveQuery(
    // Keys name the sandbox: a new one (after a stop or reset) loads at once.
    access ? `models:${access.sessionId}` : null,
    () => {
      if (!client) throw new Error('No sandbox.');
      return client.registeredModels();
    },
    { intervalMs: pollMs, isLive: isActive },
  );
  const models = modelsQuery.data ?? [];
  const modelName = models.some((m) => m.name === chosen) ? chosen : (models[0]?.name ?? null);
  const model = models.find((m) => m.name === modelName) ?? null;

  const versionsKey = access && modelName ? `versions:${access.sessionId}:${modelName}` : null;
  const versionsQuery = useLiveQuery(
    versionsKey,
    () => {
      if (!client || !modelName) throw new Error('No model.');
      return client.modelVersions(modelName);
    },
    { intervalMs: pollMs, isLive: isActive },
  );
  const versions = versionsQuery.dataKey === versionsKey ? (versionsQuery.data ?? []) : [];

  // The source runs' names, for the lineage links (loaded again only when the runs change).
  const sourceRunIds = [...new Set(versions.flatMap((v) => (v.runId ? [v.runId] : [])))].slice(
    0,
    maxNamedRuns,
  );
  const runNamesQuery = useLiveQuery(
    client && sourceRunIds.length > 0 ? `run-names:${sourceRunIds.join(',')}` : null,
    async () => {
      if (!client) throw new Error('No sandbox.');
      const named = await Promise.all(
        sourceRunIds.map((id) =>
          client.run(id).then(
            (run) => [id, run.name] as const,
            () => [id, null] as const,
          ),
        ),
      );
      return Object.fromEntries(named) as Record<string, string | null>;
    },
    { isLive: false },
  );
  const runNames = runNamesQuery.data ?? {};
  const now = modelsQuery.updatedAt ?? 0;

  if (!client) return <NoSandbox />;
  const error = modelsQuery.error && !modelsQuery.data ? modelsQuery.error : null;

  return (
    <div className={styles.page} data-testid="tracking-models">
      {error && <ServiceProblem error={error} onRetry={modelsQuery.refresh} />}
      {!modelsQuery.data && !error && <p className={styles.muted}>Loading models…</p>}
      {modelsQuery.data && models.length === 0 && (
        <EmptyState title="No registered models yet">
          <p>
            Register a run&apos;s model to give it a name, numbered versions, a stage and aliases such as{' '}
            <code>champion</code>. From the terminal:
          </p>
          <Snippet
            label="Python"
            code={`import labkit as mlflow\n\nversion = mlflow.register_model(f"runs:/{run_id}/model", "my-model")\nmlflow.MlflowClient().set_registered_model_alias("my-model", "champion", version.version)`}
          />
        </EmptyState>
      )}
      {models.length > 0 && (
        <>
          <section className={styles.section} aria-labelledby="tracking-models-title">
            <h3 id="tracking-models-title" className={styles.sectionTitle}>
              Registered models ({models.length})
            </h3>
            <div className={styles.tableScroll} role="region" aria-label="Registered models" tabIndex={0}>
              <table className={styles.table} data-testid="tracking-models-table">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Latest version</th>
                    <th scope="col">Aliases</th>
                    <th scope="col">Updated</th>
                  </tr>
                </thead>
                <tbody>
                  {models.map((m) => (
                    <tr
                      key={m.name}
                      data-testid="tracking-model-row"
                      data-model={m.name}
                      className={m.name === modelName ? styles.chosenRow : undefined}
                    >
                      <th scope="row">
                        <button
                          type="button"
                          className={styles.runLink}
                          aria-pressed={m.name === modelName}
                          onClick={() => setChosen(m.name)}
                        >
                          {m.name}
                        </button>
                      </th>
                      <td>{latestVersion(m) ? `Version ${latestVersion(m)}` : '—'}</td>
                      <td>
                        <span className={styles.badgeRow}>
                          {m.aliases.map(({ alias, version }) => (
                            <span key={alias} title={`Version ${version}`}>
                              <AliasBadge alias={alias} />
                            </span>
                          ))}
                          {m.aliases.length === 0 && <span className={styles.missing}>—</span>}
                        </span>
                      </td>
                      <td>
                        {m.lastUpdatedTime === null ? (
                          '—'
                        ) : (
                          <time
                            dateTime={new Date(m.lastUpdatedTime).toISOString()}
                            title={formatDateTime(m.lastUpdatedTime)}
                          >
                            {timeAgo(m.lastUpdatedTime, now)}
                          </time>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>

          {model && (
            <section
              className={styles.section}
              aria-labelledby="tracking-versions-title"
              data-model={model.name}
            >
              <h3 id="tracking-versions-title" className={styles.sectionTitle}>
                {model.name}: versions
              </h3>
              {model.description && <p>{model.description}</p>}
              {versionsQuery.error && versions.length === 0 && (
                <ServiceProblem error={versionsQuery.error} onRetry={versionsQuery.refresh} />
              )}
              {versions.length === 0 && !versionsQuery.error && (
                <p className={styles.muted}>
                  {versionsQuery.isLoading ? 'Loading versions…' : 'No versions yet.'}
                </p>
              )}
              {versions.length > 0 && (
                <div
                  className={styles.tableScroll}
                  role="region"
                  aria-label={`Versions of ${model.name}`}
                  tabIndex={0}
                >
                  <table className={styles.table} data-testid="tracking-versions-table">
                    <thead>
                      <tr>
                        <th scope="col">Version</th>
                        <th scope="col">Stage</th>
                        <th scope="col">Aliases</th>
                        <th scope="col">Created</th>
                        <th scope="col">Source run</th>
                        <th scope="col">Description</th>
                      </tr>
                    </thead>
                    <tbody>
                      {versions.map((version) => (
                        <tr
                          key={version.version}
                          data-testid="tracking-model-version"
                          data-model={version.name}
                          data-version={version.version}
                        >
                          <th scope="row">Version {version.version}</th>
                          <td>
                            <StageBadge stage={version.stage} />
                          </td>
                          <td>
                            <span className={styles.badgeRow}>
                              {version.aliases.map((alias) => (
                                <AliasBadge key={alias} alias={alias} />
                              ))}
                              {version.aliases.length === 0 && <span className={styles.missing}>—</span>}
                            </span>
                          </td>
                          <td>
                            {version.creationTime === null ? (
                              '—'
                            ) : (
                              <time
                                dateTime={new Date(version.creationTime).toISOString()}
                                title={formatDateTime(version.creationTime)}
                              >
                                {timeAgo(version.creationTime, now)}
                              </time>
                            )}
                          </td>
                          <td>
                            {version.runId ? (
                              <button
                                type="button"
                                className={styles.runLink}
                                onClick={() => onNavigate('experiments', { runId: version.runId ?? '' })}
                                title={version.source}
                                data-testid="tracking-version-run-link"
                              >
                                {runNames[version.runId] ?? `Run ${version.runId.slice(0, 8)}`}
                                <span className="visually-hidden"> (opens in the Experiments tab)</span>
                              </button>
                            ) : (
                              <span className={styles.muted} title={version.source}>
                                {version.source || '—'}
                              </span>
                            )}
                          </td>
                          <td className={styles.valueCell}>
                            {version.description || <span className={styles.missing}>—</span>}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
            </section>
          )}
        </>
      )}
    </div>
  );
}
