'use client';

/**
 * The Pipelines tab: the learner's DVC pipeline as the pipelines service reads it. The DAG with
 * each stage's state (up to date, changed, running, failed, frozen); a stage's command, deps with
 * their hashes, params, outs, last run and log; the params and metrics against the last commit;
 * the plots. It runs nothing: the Run commands are copied for the learner's terminal, and the page
 * follows a `repro` running there (every second while one runs, every few seconds otherwise).
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { timeAgo } from '@/components/ui/relative-time';
import {
  projectShellPath,
  reproCommand,
  shellWord,
  type DiffRow,
  type PipelineView,
  type Plot,
  type StageView,
  type StageState,
} from '@/labkit/pipelines/wire';
import type { ServicePageProps } from '../service-pages';
import { formatDuration } from '../tracking/format';
import { useLiveQuery } from '../tracking/use-live-query';
import type { TrackingError } from '../tracking/tracking-client';
import { emptyLog, followLog, type FollowedLog } from './log-follow';
import { PipelineGraphView } from './PipelineGraphView';
import { pipelineGraph, stateClass } from './pipeline-graph';
import { PipelinesClient } from './pipelines-client';
import styles from './Pipelines.module.css';

/** How often the page asks while a repro runs, and otherwise. */
const livePollMs = 1000;
const idlePollMs = 4000;
/** The diff and plots are asked again when the pipeline changes, and at least this often. */
const slowPollMs = 10_000;

type View = 'stages' | 'compare' | 'plots';

const isBusy = (view: PipelineView | undefined) =>
  !!view && (view.repro.running || view.stages.some((stage) => stage.state === 'running'));

/** A fingerprint of what the diff and plots depend on: each stage's state and last run. */
const pipelineStamp = (view: PipelineView | undefined) =>
  view
    ? view.stages
        .map((s) => `${s.id}:${s.state}:${s.lastRun?.startedAt ?? ''}:${s.lastRun?.endedAt ?? ''}`)
        .join('|')
    : '';

export function PipelinesPage({ access, isActive }: ServicePageProps) {
  const client = useMemo(() => (access ? new PipelinesClient(access) : null), [access]);
  const [project, setProject] = useState<string | undefined>(undefined);
  const [chosenStage, setChosenStage] = useState<string | null>(null);
  const [view, setView] = useState<View>('stages');
  const [showFiles, setShowFiles] = useState(true);
  const [busy, setBusy] = useState(false);

  const pipelineQuery = useLiveQuery(
    access ? `pipeline:${access.sessionId}:${project ?? ''}` : null,
    async () => {
      if (!client) throw new Error('No sandbox.');
      const shown = await client.pipeline(project);
      setBusy(isBusy(shown));
      return shown;
    },
    { intervalMs: busy ? livePollMs : idlePollMs, isLive: isActive },
  );
  const pipeline = pipelineQuery.data;

  const stage =
    pipeline?.stages.find((item) => item.id === chosenStage) ??
    pipeline?.stages.find((item) => item.state === 'running') ??
    pipeline?.stages[0] ??
    null;
  const shownProject = pipeline?.project ?? undefined;
  const stamp = pipelineStamp(pipeline);
  const canCompare = !!pipeline?.project && pipeline.problem === null;

  const diffQuery = useLiveQuery(
    access && canCompare && view === 'compare' ? `diff:${access.sessionId}:${shownProject}:${stamp}` : null,
    () => {
      if (!client) throw new Error('No sandbox.');
      return client.diff(shownProject);
    },
    { intervalMs: slowPollMs, isLive: isActive },
  );
  const plotsQuery = useLiveQuery(
    access && canCompare && view === 'plots' ? `plots:${access.sessionId}:${shownProject}:${stamp}` : null,
    () => {
      if (!client) throw new Error('No sandbox.');
      return client.plots(shownProject);
    },
    { intervalMs: slowPollMs, isLive: isActive },
  );

  const graph = useMemo(
    () => (pipeline ? pipelineGraph(pipeline, { showFiles, selected: stage?.id ?? null }) : null),
    [pipeline, showFiles, stage?.id],
  );

  if (!client) {
    return (
      <div className={styles.page}>
        <div className={styles.empty}>
          <h3>Start the lab first</h3>
          <p>This page shows your sandbox&apos;s pipeline once the sandbox is running.</p>
        </div>
      </div>
    );
  }
  const error = pipelineQuery.error && !pipeline ? pipelineQuery.error : null;

  return (
    <div className={styles.page} data-testid="pipelines-page">
      <div className={styles.toolbar}>
        {pipeline && pipeline.projects.length > 1 ? (
          <label className={styles.inline}>
            Project{' '}
            <select value={pipeline.project ?? ''} onChange={(event) => setProject(event.target.value)}>
              {pipeline.projects.map((name) => (
                <option key={name} value={name}>
                  {name === '.' ? '~/work' : name}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        {pipeline && pipeline.stages.length > 0 ? (
          <div className={styles.viewSwitch} role="group" aria-label="Show">
            {(
              [
                ['stages', 'Stages'],
                ['compare', 'Params & metrics'],
                ['plots', 'Plots'],
              ] as const
            ).map(([id, title]) => (
              <button
                key={id}
                type="button"
                aria-pressed={view === id}
                className={styles.viewButton}
                onClick={() => setView(id)}
              >
                {title}
              </button>
            ))}
          </div>
        ) : null}
        <LiveNote pipeline={pipeline} updatedAt={pipelineQuery.updatedAt} />
      </div>

      {error ? <Problem error={error} onRetry={pipelineQuery.refresh} /> : null}
      {!pipeline && !error ? <p className={styles.muted}>Reading the pipeline…</p> : null}
      {pipeline && pipeline.project === null ? <NoProject /> : null}
      {pipeline?.problem ? (
        <div className={styles.problem} role="alert">
          <p>
            <strong>The pipeline cannot be read.</strong>
          </p>
          <pre className={styles.problemText}>{pipeline.problem}</pre>
          <p className={styles.muted}>
            Fix the file and save it: this page reads it again every few seconds.
          </p>
        </div>
      ) : null}
      {pipeline && pipeline.project !== null && !pipeline.problem && pipeline.stages.length === 0 ? (
        <div className={styles.empty}>
          <h3>No stages yet</h3>
          <p>
            Add stages to <code>dvc.yaml</code>, for example with <code>labkit pipeline</code>&apos;s format:
          </p>
          <pre className={styles.code}>
            {'stages:\n  train:\n    cmd: python train.py\n    deps: [train.py]\n    outs: [model.pkl]'}
          </pre>
        </div>
      ) : null}

      {pipeline && pipeline.stages.length > 0 && view === 'stages' && graph ? (
        <>
          <RunCommands project={pipeline.project ?? '.'} stage={null} />
          <section className={styles.section} aria-label="Pipeline graph">
            <div className={styles.sectionHead}>
              <h3 className={styles.sectionTitle}>Graph</h3>
              <label className={styles.checkLabel}>
                <input
                  type="checkbox"
                  checked={showFiles}
                  onChange={(event) => setShowFiles(event.target.checked)}
                />{' '}
                Show files
              </label>
            </div>
            <PipelineGraphView graph={graph} onChoose={setChosenStage} />
            <Legend />
          </section>
          <div className={styles.stagesLayout}>
            <nav aria-label="Stages" className={styles.stageList}>
              <ul>
                {pipeline.stages.map((item) => (
                  <li key={item.id}>
                    <button
                      type="button"
                      className={styles.stageButton}
                      data-testid="pipelines-stage"
                      data-stage={item.id}
                      data-state={item.state}
                      aria-current={item.id === stage?.id ? 'true' : undefined}
                      onClick={() => setChosenStage(item.id)}
                    >
                      <span className={styles.stageName}>{item.id}</span>
                      <StateBadge state={item.state} />
                    </button>
                  </li>
                ))}
              </ul>
            </nav>
            {stage ? (
              <StageDetail
                key={`${pipeline.project}:${stage.id}`}
                client={client}
                project={pipeline.project ?? '.'}
                stage={stage}
                isLive={isActive}
                now={pipelineQuery.updatedAt ?? 0}
              />
            ) : null}
          </div>
        </>
      ) : null}

      {pipeline && pipeline.stages.length > 0 && view === 'compare' ? (
        diffQuery.data ? (
          <CompareView diff={diffQuery.data} />
        ) : diffQuery.error ? (
          <Problem error={diffQuery.error} onRetry={diffQuery.refresh} />
        ) : (
          <p className={styles.muted}>Comparing with the last commit…</p>
        )
      ) : null}

      {pipeline && pipeline.stages.length > 0 && view === 'plots' ? (
        plotsQuery.data ? (
          <PlotsView
            client={client}
            project={pipeline.project ?? undefined}
            plots={plotsQuery.data.plots}
            warnings={plotsQuery.data.warnings}
          />
        ) : plotsQuery.error ? (
          <Problem error={plotsQuery.error} onRetry={plotsQuery.refresh} />
        ) : (
          <p className={styles.muted}>Drawing the plots…</p>
        )
      ) : null}
    </div>
  );
}

function LiveNote({ pipeline, updatedAt }: { pipeline: PipelineView | undefined; updatedAt: number | null }) {
  const running = pipeline?.repro.running;
  return (
    <span className={styles.liveNote} aria-live="polite">
      <span className={styles.liveDot} data-on={running ? 'true' : 'false'} />
      {running ? 'repro running…' : updatedAt ? 'Live' : ''}
    </span>
  );
}

function Problem({ error, onRetry }: { error: TrackingError; onRetry(): void }) {
  return (
    <div className={styles.problem} role="alert">
      <p>
        <strong>
          {error.isUnavailable ? 'The pipelines service is not answering.' : 'Something went wrong.'}
        </strong>{' '}
        {error.message}
      </p>
      <p className={styles.muted}>
        {error.isUnavailable
          ? 'It starts with your sandbox; this page keeps trying every few seconds.'
          : 'This page keeps trying every few seconds.'}
      </p>
      <button type="button" className={`button button--secondary ${styles.smallButton}`} onClick={onRetry}>
        Try again now
      </button>
    </div>
  );
}

function NoProject() {
  return (
    <div className={styles.empty}>
      <h3>No DVC project yet</h3>
      <p>
        This page shows the pipeline in <code>~/work</code> (or a folder below it) once it is a DVC project.
        In the terminal:
      </p>
      <pre className={styles.code}>labkit data init</pre>
    </div>
  );
}

export function StateBadge({ state }: { state: StageState }) {
  return (
    <span className={`${styles.badge} ${styles[stateClass(state)]}`}>
      {state === 'running' ? <span className={styles.pulse} aria-hidden="true" /> : null}
      {state}
    </span>
  );
}

function Legend() {
  const states: StageState[] = ['up to date', 'changed', 'running', 'failed', 'frozen'];
  return (
    <p className={styles.legend}>
      {states.map((state) => (
        <StateBadge key={state} state={state} />
      ))}
      <span className={styles.muted}>Cylinders are files; dashed ones are metrics and plots.</span>
    </p>
  );
}

/** A command to paste into the terminal, with a Copy button. */
function CopyCommand({ label, command }: { label: string; command: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(command);
      setCopied(true);
      window.setTimeout(() => setCopied(false), 2000);
    } catch {
      setCopied(false);
    }
  };
  return (
    <div className={styles.command}>
      <span className={styles.commandLabel}>{label}</span>
      <code className={styles.commandText}>{command}</code>
      <button type="button" className={`button button--secondary ${styles.smallButton}`} onClick={copy}>
        {copied ? 'Copied' : 'Copy'}
      </button>
    </div>
  );
}

/** The Run commands: the whole pipeline, or one stage (with what it needs, or alone). */
function RunCommands({ project, stage }: { project: string; stage: string | null }) {
  const inProject = (command: string) =>
    project === '.' ? command : `cd ~/work/${shellWord(project)} && ${command}`;
  const where = projectShellPath(project);
  return (
    <section className={styles.runBox} aria-label="Run">
      <p className={styles.muted}>
        Run it in the terminal below (in <code>{where}</code>); this page follows the run.
      </p>
      {stage === null ? (
        <CopyCommand label="Run what changed" command={inProject(reproCommand({ kind: 'pipeline' }))} />
      ) : (
        <>
          <CopyCommand
            label="Run up to this stage"
            command={inProject(reproCommand({ kind: 'upTo', stage }))}
          />
          <CopyCommand
            label="Run this stage only"
            command={inProject(reproCommand({ kind: 'only', stage }))}
          />
        </>
      )}
    </section>
  );
}

const shortHash = (hash: string | null) => (hash ? hash.slice(0, 8) : '—');

function StageDetail({
  client,
  project,
  stage,
  isLive,
  now,
}: {
  client: PipelinesClient;
  project: string;
  stage: StageView;
  isLive: boolean;
  now: number;
}) {
  const run = stage.lastRun;
  return (
    <section className={styles.detail} aria-label={`Stage ${stage.id}`} data-testid="pipelines-stage-detail">
      <div className={styles.sectionHead}>
        <h3 className={styles.detailTitle}>
          {stage.id} <StateBadge state={stage.state} />
        </h3>
        {stage.dvcfile !== 'dvc.yaml' || stage.wdir !== '.' ? (
          <span className={styles.muted}>
            {stage.dvcfile}
            {stage.wdir !== '.' ? `, runs in ${stage.wdir}` : ''}
          </span>
        ) : null}
      </div>
      {stage.desc ? <p className={styles.desc}>{stage.desc}</p> : null}
      {stage.reasons.length > 0 ? (
        <div>
          <h4 className={styles.subTitle}>{stage.frozen ? 'Frozen' : 'Why it would run'}</h4>
          <ul className={styles.reasons}>
            {stage.reasons.map((reason) => (
              <li key={reason}>{reason}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <div>
        <h4 className={styles.subTitle}>Command</h4>
        <pre className={styles.code}>{stage.cmd.join('\n')}</pre>
      </div>
      <RunCommands project={project} stage={stage.id} />
      {run ? (
        <p className={styles.lastRun}>
          Last run: <strong>{run.state}</strong>
          {run.exitCode !== undefined && run.exitCode !== 0 ? ` (exit code ${run.exitCode})` : ''},{' '}
          {now ? timeAgo(run.startedAt, Math.max(now, run.startedAt)) : ''}
          {run.durationMs !== undefined ? `, took ${formatDuration(run.durationMs)}` : ''}
        </p>
      ) : (
        <p className={styles.lastRun}>Not run here yet.</p>
      )}
      {stage.deps.length > 0 ? (
        <EntryTable
          title="Dependencies"
          rows={stage.deps.map((dep) => ({
            key: dep.path,
            name: dep.path,
            now: dep.external ? 'remote' : shortHash(dep.hash),
            locked: shortHash(dep.locked),
            state: dep.state,
          }))}
          columns={['Path', 'md5 now', 'md5 in dvc.lock', 'State']}
        />
      ) : null}
      {stage.params.length > 0 ? (
        <EntryTable
          title="Parameters"
          rows={stage.params.map((param) => ({
            key: `${param.file}:${param.key}`,
            name: param.key ? `${param.key}` : `${param.file} (whole file)`,
            detail: param.key ? param.file : undefined,
            now: param.value ?? '—',
            locked: param.locked ?? '—',
            state: param.state,
          }))}
          columns={['Key', 'Value now', 'In dvc.lock', 'State']}
        />
      ) : null}
      {stage.outs.length > 0 ? (
        <EntryTable
          title="Outputs"
          rows={stage.outs.map((out) => ({
            key: out.path,
            name: out.path,
            detail: [
              out.kind === 'outs' ? null : out.kind,
              out.cache ? null : 'not cached',
              out.persist ? 'persist' : null,
            ]
              .filter(Boolean)
              .join(', '),
            now: out.external ? 'remote' : shortHash(out.hash),
            locked: shortHash(out.locked),
            state: out.state,
          }))}
          columns={['Path', 'md5 now', 'md5 in dvc.lock', 'State']}
        />
      ) : null}
      <StageLog client={client} project={project} stage={stage} isLive={isLive} />
    </section>
  );
}

type EntryRow = { key: string; name: string; detail?: string; now: string; locked: string; state: string };

function EntryTable({ title, rows, columns }: { title: string; rows: EntryRow[]; columns: string[] }) {
  return (
    <div>
      <h4 className={styles.subTitle}>{title}</h4>
      <div className={styles.tableScroll}>
        <table className={styles.table}>
          <thead>
            <tr>
              {columns.map((column) => (
                <th key={column} scope="col">
                  {column}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.key} data-changed={row.state !== 'unchanged' ? 'true' : undefined}>
                <th scope="row">
                  <code>{row.name}</code>
                  {row.detail ? <span className={styles.muted}> {row.detail}</span> : null}
                </th>
                <td className={styles.mono}>{row.now}</td>
                <td className={styles.mono}>{row.locked}</td>
                <td>{row.state}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/** The stage's log, followed every second while the stage runs. */
function StageLog({
  client,
  project,
  stage,
  isLive,
}: {
  client: PipelinesClient;
  project: string;
  stage: StageView;
  isLive: boolean;
}) {
  const [log, setLog] = useState<FollowedLog>(() => emptyLog(stage.id));
  const logRef = useRef(log);
  const [failure, setFailure] = useState<string | null>(null);
  const isRunning = stage.state === 'running';
  const runStamp = `${stage.lastRun?.startedAt ?? ''}:${stage.lastRun?.endedAt ?? ''}:${stage.lastRun?.state ?? ''}`;

  /** Reads what the log gained since the last read (one request at a time). */
  const inFlightRef = useRef(false);
  const fetchMore = useCallback(async () => {
    if (inFlightRef.current) return;
    inFlightRef.current = true;
    try {
      const chunk = await client.log(stage.id, logRef.current.nextOffset, project);
      logRef.current = followLog(logRef.current, chunk);
      setLog(logRef.current);
      setFailure(null);
    } catch (error) {
      setFailure(error instanceof Error ? error.message : String(error));
    } finally {
      inFlightRef.current = false;
    }
  }, [client, stage.id, project]);

  // Shown, or a run started or ended: read what was added.
  useEffect(() => {
    if (isLive) void fetchMore();
  }, [runStamp, isLive, fetchMore]);

  // While the stage runs: every second.
  useEffect(() => {
    if (!isRunning || !isLive) return;
    const timer = window.setInterval(() => void fetchMore(), 1000);
    return () => window.clearInterval(timer);
  }, [isRunning, isLive, fetchMore]);

  return (
    <div>
      <h4 className={styles.subTitle}>Log</h4>
      {failure ? <p className={styles.inlineError}>The log could not be read: {failure}</p> : null}
      {log.text ? (
        <pre
          className={styles.log}
          tabIndex={0}
          aria-label={`Log of stage ${stage.id}`}
          data-testid="pipelines-log"
        >
          {log.truncated ? '…\n' : ''}
          {log.text}
        </pre>
      ) : (
        <p className={styles.muted}>No log yet: it is written when the stage runs.</p>
      )}
    </div>
  );
}

function DiffTable({ title, rows, commit }: { title: string; rows: DiffRow[]; commit: string | null }) {
  if (rows.length === 0) {
    return (
      <div>
        <h4 className={styles.subTitle}>{title}</h4>
        <p className={styles.muted}>None.</p>
      </div>
    );
  }
  return (
    <div>
      <h4 className={styles.subTitle}>{title}</h4>
      <div className={styles.tableScroll}>
        <table className={styles.table}>
          <thead>
            <tr>
              <th scope="col">File</th>
              <th scope="col">Key</th>
              <th scope="col">{commit ? `Last commit (${commit})` : 'Last commit'}</th>
              <th scope="col">Workspace</th>
              <th scope="col">Change</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr
                key={`${row.file}:${row.key}`}
                data-testid="pipelines-diff-row"
                data-key={`${row.file}:${row.key}`}
                data-changed={row.changed ? 'true' : undefined}
              >
                <td>
                  <code>{row.file}</code>
                </td>
                <th scope="row">
                  <code>{row.key}</code>
                </th>
                <td className={styles.mono}>{row.old ?? '—'}</td>
                <td className={styles.mono}>{row.new ?? '—'}</td>
                <td className={styles.mono}>
                  {row.change !== undefined && row.change !== 0
                    ? `${row.change > 0 ? '+' : ''}${Number(row.change.toPrecision(6))}`
                    : row.changed
                      ? 'changed'
                      : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function CompareView({ diff }: { diff: import('@/labkit/pipelines/wire').DiffView }) {
  return (
    <section className={styles.section} aria-label="Params and metrics" data-testid="pipelines-compare">
      <p className={styles.muted}>
        {diff.note ??
          `The parameters the stages track and the metrics files, in your workspace against the last commit (${diff.commit}), as labkit pipeline params diff and metrics diff show them.`}
      </p>
      <DiffTable title="Parameters" rows={diff.params} commit={diff.commit} />
      <DiffTable title="Metrics" rows={diff.metrics} commit={diff.commit} />
    </section>
  );
}

/** An image plot, fetched with the session's token and shown through an object URL. */
function ImagePlot({
  client,
  project,
  plot,
}: {
  client: PipelinesClient;
  project?: string;
  plot: Plot & { kind: 'image' };
}) {
  const [url, setUrl] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  useEffect(() => {
    let objectUrl: string | null = null;
    let cancelled = false;
    client.plotImage(plot.path, project).then(
      (blob) => {
        if (cancelled) return;
        objectUrl = URL.createObjectURL(blob);
        setUrl(objectUrl);
      },
      (error: unknown) => {
        if (!cancelled) setFailure(error instanceof Error ? error.message : String(error));
      },
    );
    return () => {
      cancelled = true;
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [client, plot.path, project]);
  if (failure) return <p className={styles.inlineError}>{failure}</p>;
  return url ? (
    // eslint-disable-next-line @next/next/no-img-element -- a blob URL, not an optimisable asset
    <img className={styles.plotImage} src={url} alt={plot.title} />
  ) : (
    <p className={styles.muted}>Loading…</p>
  );
}

function PlotsView({
  client,
  project,
  plots,
  warnings,
}: {
  client: PipelinesClient;
  project?: string;
  plots: Plot[];
  warnings: string[];
}) {
  return (
    <section className={styles.section} aria-label="Plots" data-testid="pipelines-plots">
      {plots.length === 0 ? (
        <p className={styles.muted}>
          No plots yet: declare them under <code>plots:</code> in <code>dvc.yaml</code> and run the stage that
          writes them.
        </p>
      ) : null}
      <div className={styles.plots}>
        {plots.map((plot) => (
          <figure key={plot.id} className={styles.plot}>
            <figcaption>{plot.title}</figcaption>
            {plot.kind === 'chart' ? (
              // labkit's SVG shown as an image: nothing in it can run.
              // eslint-disable-next-line @next/next/no-img-element -- a data URL, not an optimisable asset
              <img
                className={styles.plotImage}
                src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(plot.svg)}`}
                alt={`Chart: ${plot.title}`}
              />
            ) : (
              <ImagePlot client={client} project={project} plot={plot} />
            )}
          </figure>
        ))}
      </div>
      {warnings.length > 0 ? (
        <ul className={styles.warnings}>
          {warnings.map((warning) => (
            <li key={warning}>{warning}</li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
