'use client';

/**
 * The Experiments tab: pick an experiment, filter its runs with MLflow's filter syntax, sort them
 * by any column, select some to compare, open one for its details. The list refreshes every few
 * seconds while the tab is shown, keeping the selection and the scroll position.
 */
import {
  useCallback,
  useEffect,
  useId,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type FormEvent,
} from 'react';
import type { ServicePageProps } from '../service-pages';
import { CompareRuns } from './CompareRuns';
import { formatClock } from './format';
import { EmptyState, NoSandbox, ServiceProblem, Snippet } from './Notices';
import { RunDetail } from './RunDetail';
import { RunsTable } from './RunsTable';
import {
  collectColumns,
  defaultSort,
  nextSort,
  orderByFor,
  parseColumnId,
  sortRunsLocally,
  type RunSort,
} from './runs-table';
import { defaultExperimentId, experimentOptions } from './experiment-choice';
import { TrackingClient } from './tracking-client';
import { useLiveQuery } from './use-live-query';
import styles from './Tracking.module.css';

const runsPollMs = 3000;
const experimentsPollMs = 5000;
const filterExample = "metrics.rmse < 0.8 and params.alpha = '0.1'";

/** What the page shows, and when the learner (or a link) asked for it. */
type View = ({ kind: 'runs' } | { kind: 'run'; runId: string } | { kind: 'compare'; runIds: string[] }) & {
  at: number;
};

export function ExperimentsPage({ access, isActive, link }: ServicePageProps) {
  const client = useMemo(() => (access ? new TrackingClient(access) : null), [access]);
  const [chosenExperiment, setChosenExperiment] = useState<string | null>(null);
  const [chosenView, setView] = useState<View>({ kind: 'runs', at: 0 });
  // A link from another page (a model version's source run) opens that run, until the next move.
  const linkedRunId = link?.pageId === 'experiments' ? link.params.runId : undefined;
  const view: View =
    link && linkedRunId && link.at > chosenView.at
      ? { kind: 'run', runId: linkedRunId, at: link.at }
      : chosenView;
  const [filterDraft, setFilterDraft] = useState('');
  const [filter, setFilter] = useState('');
  const [sort, setSort] = useState<RunSort>(defaultSort);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [lastOpened, setLastOpened] = useState<string | null>(null);
  const filterId = useId();
  const experimentSelectId = useId();

  const experimentsQuery = useLiveQuery(
    // Keys name the sandbox: a new one (after a stop or reset) loads at once.
    access ? `experiments:${access.sessionId}` : null,
    async () => {
      if (!client) throw new Error('No sandbox.');
      const experiments = await client.experiments();
      const newest = experiments.length
        ? await client.searchRuns({ experimentIds: experiments.map((e) => e.id), maxResults: 1 })
        : { runs: [] };
      return { experiments, newestRunExperimentId: newest.runs[0]?.experimentId ?? null };
    },
    { intervalMs: experimentsPollMs, isLive: isActive },
  );
  const experiments = experimentsQuery.data?.experiments ?? [];
  const experimentId =
    chosenExperiment ??
    defaultExperimentId(experiments, experimentsQuery.data?.newestRunExperimentId ?? null);
  const experiment = experiments.find((e) => e.id === experimentId) ?? null;

  const orderBy = orderByFor(sort);
  const runsKey =
    access && experimentId ? JSON.stringify([access.sessionId, experimentId, filter, orderBy ?? []]) : null;
  const runsQuery = useLiveQuery(
    runsKey,
    async () => {
      if (!client || !experimentId) throw new Error('No experiment.');
      return client.searchRuns({ experimentIds: [experimentId], filter, orderBy: orderBy ?? [] });
    },
    { intervalMs: runsPollMs, isLive: isActive && view.kind === 'runs' },
  );
  // Until the new query answers, the table keeps the previous runs (no flash of an empty table).
  const page = runsQuery.data;
  const now = runsQuery.updatedAt ?? experimentsQuery.updatedAt ?? 0;
  const runs = useMemo(
    () => (page ? (orderBy ? page.runs : sortRunsLocally(page.runs, sort, now)) : []),
    [page, orderBy, sort, now],
  );
  const columns = useMemo(() => collectColumns(runs), [runs]);
  const filterError =
    runsQuery.error && runsQuery.errorKey === runsKey && runsQuery.error.status === 400
      ? runsQuery.error
      : null;
  const serviceError =
    (runsQuery.error && !filterError ? runsQuery.error : null) ??
    (experimentsQuery.error && !experimentsQuery.data ? experimentsQuery.error : null);

  // Back to the table: focus returns to the run that was opened.
  // The page scrolls as one: a run or the compare view opens at its top, and the runs come back
  // where the learner left them.
  const pageRef = useRef<HTMLDivElement>(null);
  const runsScrollTop = useRef(0);
  const viewKey = view.kind === 'run' ? `run:${view.runId}` : view.kind;
  useLayoutEffect(() => {
    if (pageRef.current) pageRef.current.scrollTop = viewKey === 'runs' ? runsScrollTop.current : 0;
  }, [viewKey]);
  const shownKind = useRef(view.kind);
  useEffect(() => {
    shownKind.current = view.kind;
  });
  const leaveRuns = useCallback(() => {
    if (pageRef.current && shownKind.current === 'runs') runsScrollTop.current = pageRef.current.scrollTop;
  }, []);

  const isShowingRuns = view.kind === 'runs';
  useEffect(() => {
    if (!isShowingRuns || !lastOpened) return;
    const button = document.querySelector<HTMLElement>(
      `[data-testid="tracking-run-row"][data-run-id="${CSS.escape(lastOpened)}"] button`,
    );
    button?.focus({ preventScroll: true });
  }, [isShowingRuns, lastOpened]);

  const onToggle = useCallback((runId: string) => {
    setSelected((previous) => {
      const next = new Set(previous);
      if (next.has(runId)) next.delete(runId);
      else next.add(runId);
      return next;
    });
  }, []);
  const onToggleAll = useCallback(
    (select: boolean) => {
      setSelected((previous) => {
        const next = new Set(previous);
        for (const run of runs) {
          if (select) next.add(run.id);
          else next.delete(run.id);
        }
        return next;
      });
    },
    [runs],
  );
  const onOpen = useCallback(
    (runId: string) => {
      leaveRuns();
      setLastOpened(runId);
      setView({ kind: 'run', runId, at: Date.now() });
    },
    [leaveRuns],
  );
  const onSort = useCallback((id: string) => setSort((previous) => nextSort(previous, id)), []);

  const chooseExperiment = (id: string) => {
    setChosenExperiment(id);
    setSelected(new Set());
    setView({ kind: 'runs', at: Date.now() });
  };
  const applyFilter = (event: FormEvent) => {
    event.preventDefault();
    setFilter(filterDraft.trim());
  };

  if (!client) return <NoSandbox />;

  const selectedIds = [...selected];
  const sortColumn = parseColumnId(sort.columnId);
  const caption =
    `Runs of experiment ${experiment?.name ?? ''}: ${runs.length} run${runs.length === 1 ? '' : 's'}` +
    (filter ? `, filtered by ${filter}` : '') +
    (sortColumn
      ? `; sorted by ${sortColumn.label} ${sort.direction === 'asc' ? 'ascending' : 'descending'}.`
      : '.');

  return (
    <div ref={pageRef} className={styles.page} data-testid="tracking-experiments">
      <div className={styles.toolbar} hidden={view.kind !== 'runs'}>
        <label htmlFor={experimentSelectId}>Experiment</label>
        <select
          id={experimentSelectId}
          value={experimentId ?? ''}
          onChange={(event) => chooseExperiment(event.target.value)}
          data-testid="tracking-experiment-select"
        >
          {experiments.length === 0 && <option value="">Loading…</option>}
          {experimentOptions(experiments).map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
        <span className={styles.liveNote} aria-live="off">
          <span className={styles.liveDot} data-on={isActive && !serviceError} aria-hidden="true" />
          {runsQuery.updatedAt ? `Live · updated ${formatClock(runsQuery.updatedAt)}` : 'Live'}
        </span>
      </div>
      <form className={styles.filterForm} role="search" onSubmit={applyFilter} hidden={view.kind !== 'runs'}>
        <label htmlFor={filterId}>Filter runs</label>
        <input
          id={filterId}
          type="search"
          value={filterDraft}
          onChange={(event) => setFilterDraft(event.target.value)}
          placeholder={filterExample}
          spellCheck={false}
          autoComplete="off"
          aria-invalid={filterError ? true : undefined}
          aria-describedby={`${filterId}-help${filterError ? ` ${filterId}-error` : ''}`}
          data-testid="tracking-filter"
        />
        <button type="submit" className={`button ${styles.smallButton}`}>
          Apply
        </button>
        {filter && (
          <button
            type="button"
            className={`button button--secondary ${styles.smallButton}`}
            onClick={() => {
              setFilterDraft('');
              setFilter('');
            }}
          >
            Clear
          </button>
        )}
        <p id={`${filterId}-help`} className={styles.help}>
          MLflow&apos;s syntax: <code>metrics.</code>, <code>params.</code>, <code>tags.</code> or{' '}
          <code>attributes.</code> keys, joined by <code>and</code>. Press Enter to apply.
        </p>
      </form>
      {filterError && view.kind === 'runs' && (
        <p
          id={`${filterId}-error`}
          className={styles.inlineError}
          role="alert"
          data-testid="tracking-filter-error"
        >
          {filterError.message}
          {page && ' The table still shows the runs of the last filter that worked.'}
        </p>
      )}

      {serviceError && (
        <ServiceProblem
          error={serviceError}
          onRetry={() => {
            runsQuery.refresh();
            experimentsQuery.refresh();
          }}
        />
      )}

      <div className={styles.runsView} hidden={view.kind !== 'runs'}>
        <div className={styles.selectionBar}>
          <span aria-live="polite">
            {selected.size === 0
              ? `${runs.length} run${runs.length === 1 ? '' : 's'}${page?.nextPageToken ? ' (the first 1000; narrow the filter to see others)' : ''}`
              : `${selected.size} selected`}
          </span>
          <button
            type="button"
            className={`button ${styles.smallButton}`}
            disabled={selected.size < 2}
            onClick={() => {
              leaveRuns();
              setView({ kind: 'compare', runIds: selectedIds, at: Date.now() });
            }}
            title={selected.size < 2 ? 'Select two runs or more to compare them' : undefined}
            data-testid="tracking-compare-button"
          >
            Compare{selected.size >= 2 ? ` ${selected.size} runs` : ''}
          </button>
          {selected.size > 0 && (
            <button
              type="button"
              className={`button button--secondary ${styles.smallButton}`}
              onClick={() => setSelected(new Set())}
            >
              Clear selection
            </button>
          )}
        </div>
        {page && runs.length === 0 && !filter && (
          <EmptyState title={`No runs in “${experiment?.name ?? 'this experiment'}” yet`}>
            <p>
              Runs appear here a few seconds after your code logs them. Log one from the terminal with the
              MLflow API (labkit&apos;s client, or <code>mlflow</code> itself:{' '}
              <code>MLFLOW_TRACKING_URI</code> is set):
            </p>
            <Snippet
              label="In a Python script, or after python3 -c"
              code={`import labkit as mlflow\n\nmlflow.set_experiment("my-experiment")\nwith mlflow.start_run():\n    mlflow.log_param("alpha", 0.1)\n    mlflow.log_metric("rmse", 0.78)`}
            />
          </EmptyState>
        )}
        {page && runs.length === 0 && filter && !filterError && (
          <EmptyState title="No run matches this filter">
            <p>
              Check the names (<code>metrics.rmse</code>, <code>params.alpha</code>); parameter values are
              strings, so quote them: <code>params.alpha = &apos;0.1&apos;</code>.
            </p>
          </EmptyState>
        )}
        {!page && !serviceError && <p className={styles.muted}>Loading runs…</p>}
        {runs.length > 0 && (
          <RunsTable
            runs={runs}
            columns={columns}
            sort={sort}
            caption={caption}
            selected={selected}
            now={now}
            isBusy={runsQuery.isLoading}
            onSort={onSort}
            onToggle={onToggle}
            onToggleAll={onToggleAll}
            onOpen={onOpen}
          />
        )}
      </div>

      {view.kind === 'run' && (
        <RunDetail
          client={client}
          runId={view.runId}
          experiments={experiments}
          isLive={isActive}
          now={now}
          onBack={(run) => {
            // Back from a run opened by a link: show the runs of its experiment.
            if (run && run.experimentId !== experimentId) {
              setChosenExperiment(run.experimentId);
              setSelected(new Set());
            }
            setView({ kind: 'runs', at: Date.now() });
          }}
        />
      )}
      {view.kind === 'compare' && (
        <CompareRuns
          client={client}
          runIds={view.runIds}
          isLive={isActive}
          now={now}
          onBack={() => setView({ kind: 'runs', at: Date.now() })}
          onOpenRun={onOpen}
        />
      )}
    </div>
  );
}
