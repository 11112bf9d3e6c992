/**
 * `labkit runs list|show|compare`: the runs on the tracking server, read in a terminal. `list` is a
 * table with a column per param and metric, `show` is everything about one run, `compare` puts
 * runs side by side and marks what differs. Runs are named by id or by a prefix of at least 4
 * characters of it, as printed by `list`.
 */
import { CliError, processIo, UsageError, type CliIo } from './io';
import { parseOptions, positiveInteger, runGroup, type CommandGroup, type Subcommand } from './command';
import {
  formatBytes,
  formatDuration,
  formatLocalTime,
  formatNumber,
  formatRelativeTime,
  renderPairs,
  renderTable,
  type Cell,
  type Column,
  type Style,
} from './table';
import { toJson, type Experiment, type Run } from '../tracking/wire';
import { TrackingClient } from './tracking-client';

export const defaultMaxRuns = 100;
/** The most artifact entries `runs show` draws before it says how many more there are. */
export const maxArtifactEntries = 200;
const shortIdLength = 8;
const minPrefixLength = 4;

// ── usage ───────────────────────────────────────────────────────────────────────────────────────

const listUsage = `Usage: labkit runs list [--experiment NAME|ID]… [--filter EXPR] [--order-by "KEY [ASC|DESC]"]… [--max N] [--json]

Lists runs, newest first, with a column per param and metric.
  --experiment, -e   the experiment, by name or id (repeatable). Default: $MLFLOW_EXPERIMENT_NAME
                     (or $MLFLOW_EXPERIMENT_ID) when set, else every active experiment
  --filter           MLflow's search syntax, clauses joined by AND, e.g.
                       --filter "metrics.rmse < 1 and params.model = 'forest'"
                       --filter "attributes.status = 'FINISHED'"
  --order-by         e.g. "metrics.rmse ASC" (repeatable; default: newest first)
  --max              show at most N runs (default ${defaultMaxRuns})
  --json             print the runs as the server sends them, as JSON`;

const showUsage = `Usage: labkit runs show RUN_ID [--all] [--json]

Shows one run: its details, params, latest metrics (with how many values each has logged), tags
and artifacts. RUN_ID may be the first ${minPrefixLength} or more characters of the id, as \`labkit runs list\` shows it.
  --all    also show the mlflow.* tags MLflow sets for itself
  --json   print the run as the server sends it, as JSON`;

const compareUsage = `Usage: labkit runs compare RUN_ID RUN_ID [RUN_ID…] [--diff]

Puts two or more runs side by side: a column per run, a row per param and metric. Rows where
the runs differ are marked with ≠. RUN_IDs may be prefixes of ${minPrefixLength} or more characters.
  --diff   show only the params and metrics that differ`;

export const runsUsage = `Usage: labkit runs list [--experiment NAME|ID] [--filter EXPR] [--order-by EXPR] [--max N] [--json]
       labkit runs show RUN_ID [--all] [--json]
       labkit runs compare RUN_ID RUN_ID [RUN_ID…] [--diff]

Reads the runs on the tracking server at $MLFLOW_TRACKING_URI (default http://127.0.0.1:5000).
Run \`labkit runs <subcommand> --help\` for the details of one.`;

// ── shared helpers ──────────────────────────────────────────────────────────────────────────────

export function shortId(runId: string): string {
  return runId.slice(0, shortIdLength);
}

export function statusStyle(status: string): Style | undefined {
  if (status === 'FINISHED') return 'green';
  if (status === 'FAILED' || status === 'KILLED') return 'red';
  if (status === 'RUNNING' || status === 'SCHEDULED') return 'yellow';
  return undefined;
}

function durationOf(run: Run): string {
  const { start_time: start, end_time: end } = run.info;
  return start !== undefined && end !== undefined ? formatDuration(end - start) : '-';
}

function runName(run: Run): string {
  return run.info.run_name || run.data.tags.find((tag) => tag.key === 'mlflow.runName')?.value || '';
}

const isNumeric = (text: string) => text.trim() !== '' && Number.isFinite(Number(text));
const missing: Cell = { text: '-', style: 'dim' };

/** The run with this id, or the only run whose id starts with this prefix (any experiment, deleted too). */
export async function resolveRun(client: TrackingClient, reference: string): Promise<Run> {
  const prefix = reference.trim().toLowerCase();
  if (!/^[0-9a-f]+$/.test(prefix)) {
    throw new UsageError(
      `"${reference}" is not a run id: run ids are hexadecimal, like the first column of \`labkit runs list\`.`,
    );
  }
  if (prefix.length < minPrefixLength) {
    throw new UsageError(
      `"${reference}" is too short to pick a run: give at least ${minPrefixLength} characters of its id.`,
    );
  }
  if (prefix.length === 32) {
    try {
      return await client.getRun(prefix);
    } catch (error) {
      if ((error as { isNotFound?: boolean }).isNotFound) {
        throw new CliError(`No run has the id ${prefix}. \`labkit runs list\` shows the runs there are.`);
      }
      throw error;
    }
  }
  const experiments = await client.searchExperiments('ALL');
  const { runs } = await client.searchRuns({
    experimentIds: experiments.map((experiment) => experiment.experiment_id),
    filter: `attributes.run_id LIKE '${prefix}%'`,
    viewType: 'ALL',
    max: 11,
  });
  const [only, ...others] = runs;
  if (!only) {
    throw new CliError(
      `No run has an id starting with "${prefix}". \`labkit runs list\` shows the runs there are.`,
    );
  }
  if (others.length > 0) {
    const candidates = runs
      .slice(0, 10)
      .map((run) => `  ${run.info.run_id}  ${runName(run)}`)
      .join('\n');
    throw new UsageError(
      `"${prefix}" is the start of more than one run id; type more of it:\n${candidates}${runs.length > 10 ? '\n  …' : ''}`,
    );
  }
  return only;
}

/** An experiment by id or name; the message lists the ones there are when there is no such experiment. */
async function resolveExperiment(
  client: TrackingClient,
  reference: string,
  origin = '',
): Promise<Experiment> {
  const notFound = (error: unknown) => (error as { isNotFound?: boolean }).isNotFound === true;
  if (/^\d+$/.test(reference)) {
    try {
      return await client.getExperiment(reference);
    } catch (error) {
      if (!notFound(error)) throw error;
    }
  }
  try {
    return await client.getExperimentByName(reference);
  } catch (error) {
    if (!notFound(error)) throw error;
  }
  const known = await client.searchExperiments();
  const names = known.map((experiment) => `"${experiment.name}" (${experiment.experiment_id})`).join(', ');
  throw new CliError(
    `There is no experiment "${reference}"${origin}. ` +
      (known.length ? `The experiments are: ${names}.` : 'There are no experiments yet.'),
  );
}

// ── list ────────────────────────────────────────────────────────────────────────────────────────

/** The params or metrics a sort key names first, then the rest by name. */
function orderKeys(keys: Set<string>, entity: 'params' | 'metrics', orderBy: string[]): string[] {
  const aliases =
    entity === 'params' ? ['params', 'param', 'parameters', 'parameter'] : ['metrics', 'metric'];
  const first: string[] = [];
  for (const clause of orderBy) {
    const match = /^\s*[`"]?(\w+)[`"]?\.(?:[`"](.+?)[`"]|(\S+))/.exec(clause);
    const key = match?.[2] ?? match?.[3];
    if (
      match &&
      key &&
      aliases.includes(match[1]?.toLowerCase() ?? '') &&
      keys.has(key) &&
      !first.includes(key)
    )
      first.push(key);
  }
  return [...first, ...[...keys].filter((key) => !first.includes(key)).sort()];
}

const list: Subcommand = {
  usage: listUsage,
  async run(args, io) {
    const { values, positionals } = parseOptions(args, {
      experiment: { type: 'string', short: 'e', multiple: true },
      filter: { type: 'string' },
      'order-by': { type: 'string', multiple: true },
      max: { type: 'string' },
      json: { type: 'boolean' },
    });
    if (positionals.length) {
      throw new UsageError(
        `Unexpected argument "${positionals[0]}". Quote a filter as one argument: --filter "metrics.rmse < 1".`,
      );
    }
    const max = positiveInteger(values.max, '--max', defaultMaxRuns);
    const orderBy = values['order-by'] ?? [];
    const client = TrackingClient.fromEnv(io.env);

    let experiments: Experiment[];
    if (values.experiment?.length) {
      experiments = [];
      for (const reference of values.experiment) experiments.push(await resolveExperiment(client, reference));
    } else if (io.env.MLFLOW_EXPERIMENT_NAME) {
      experiments = [
        await resolveExperiment(client, io.env.MLFLOW_EXPERIMENT_NAME, ' (from MLFLOW_EXPERIMENT_NAME)'),
      ];
    } else if (io.env.MLFLOW_EXPERIMENT_ID) {
      experiments = [
        await resolveExperiment(client, io.env.MLFLOW_EXPERIMENT_ID, ' (from MLFLOW_EXPERIMENT_ID)'),
      ];
    } else {
      experiments = await client.searchExperiments();
    }
    const { runs, more } = await client.searchRuns({
      experimentIds: experiments.map((experiment) => experiment.experiment_id),
      filter: values.filter,
      orderBy,
      max,
    });

    if (values.json) {
      io.out(toJson({ runs }, 2));
      return 0;
    }
    const where =
      experiments.length === 1
        ? `in experiment "${experiments[0]?.name}"`
        : values.experiment?.length
          ? `in experiments ${experiments.map((experiment) => `"${experiment.name}"`).join(', ')}`
          : 'in any active experiment';
    if (runs.length === 0) {
      io.out(values.filter ? `No runs ${where} match the filter ${values.filter}.` : `No runs ${where} yet.`);
      return 0;
    }

    const paramKeys = new Set<string>();
    const metricKeys = new Set<string>();
    for (const run of runs) {
      for (const param of run.data.params) paramKeys.add(param.key);
      for (const metric of run.data.metrics) metricKeys.add(metric.key);
    }
    const params = orderKeys(paramKeys, 'params', orderBy);
    const metrics = orderKeys(metricKeys, 'metrics', orderBy);
    const experimentNames = new Map(
      experiments.map((experiment) => [experiment.experiment_id, experiment.name]),
    );
    const showExperiment =
      new Set(runs.map((run) => run.info.experiment_id)).size > 1 || experiments.length > 1;
    const now = io.now();

    const columns: Column[] = [
      { header: 'run id', minWidth: shortIdLength },
      ...(showExperiment ? [{ header: 'experiment', minWidth: 10, priority: 30 }] : []),
      { header: 'name', minWidth: 8, priority: 90 },
      { header: 'status', minWidth: 8, priority: 85 },
      { header: 'start', minWidth: 16, priority: 50 },
      { header: 'duration', align: 'right', minWidth: 8, priority: 40 },
    ];
    const paramValues = params.map((key) =>
      runs.map((run) => run.data.params.find((param) => param.key === key)?.value),
    );
    params.forEach((key, i) => {
      const present = (paramValues[i] ?? []).filter((value): value is string => value !== undefined);
      const numeric = present.length > 0 && present.every(isNumeric);
      columns.push({
        header: key,
        group: 'params',
        align: numeric ? 'right' : 'left',
        minWidth: Math.min(10, Math.max(...present.map((value) => value.length), key.length)),
        priority: 70,
      });
    });
    const metricTexts = metrics.map((key) =>
      runs.map((run) => {
        const metric = run.data.metrics.find((item) => item.key === key);
        return metric === undefined ? undefined : formatNumber(metric.value);
      }),
    );
    metrics.forEach((key, i) => {
      // Numbers are never cut; a long key may be.
      const widest = Math.max(0, ...(metricTexts[i] ?? []).map((text) => text?.length ?? 0));
      columns.push({
        header: key,
        group: 'metrics',
        align: 'right',
        minWidth: Math.max(widest, Math.min(10, key.length)),
        priority: 80,
      });
    });

    const rows: Cell[][] = runs.map((run, r) => [
      shortId(run.info.run_id),
      ...(showExperiment ? [experimentNames.get(run.info.experiment_id) ?? run.info.experiment_id] : []),
      runName(run),
      { text: run.info.status, style: statusStyle(run.info.status) },
      run.info.start_time === undefined ? missing : formatRelativeTime(run.info.start_time, now),
      durationOf(run),
      ...paramValues.map((values) => values[r] ?? missing),
      ...metricTexts.map((texts) => texts[r] ?? missing),
    ]);
    const table = renderTable(columns, rows, { width: io.width, color: io.color });
    for (const line of table.lines) io.out(line);
    const notes: string[] = [];
    if (more)
      notes.push(
        `Showing the first ${runs.length} runs; there are more (raise --max, or narrow with --filter).`,
      );
    if (table.hidden.length) {
      notes.push(
        `Not shown for lack of width: ${table.hidden.join(', ')}. Widen the terminal, narrow with --filter, ` +
          'or see one run with `labkit runs show RUN_ID`.',
      );
    }
    for (const note of notes) io.err(note);
    return 0;
  },
};

// ── show ────────────────────────────────────────────────────────────────────────────────────────

/** `mlflow.*` tags `show` keeps without --all. */
const usefulSystemTags = new Set(['mlflow.runName', 'mlflow.parentRunId']);

async function artifactTree(client: TrackingClient, runId: string): Promise<string[]> {
  const lines: string[] = [];
  let shown = 0;
  let left = 0;
  const walk = async (folder: string | undefined, indent: string) => {
    const files = await client.listArtifacts(runId, folder);
    for (const [i, file] of files.entries()) {
      if (shown >= maxArtifactEntries) {
        left += files.length - i;
        return;
      }
      shown += 1;
      const isLast = i === files.length - 1;
      const name = file.path.split('/').pop() ?? file.path;
      const label = file.is_dir ? `${name}/` : `${name}  ${formatBytes(file.file_size ?? 0)}`;
      lines.push(`${indent}${isLast ? '└── ' : '├── '}${label}`);
      if (file.is_dir) await walk(file.path, `${indent}${isLast ? '    ' : '│   '}`);
    }
  };
  await walk(undefined, '  ');
  if (left > 0) lines.push(`  … and ${left} more entries (${maxArtifactEntries} shown)`);
  return lines;
}

const show: Subcommand = {
  usage: showUsage,
  async run(args, io) {
    const { values, positionals } = parseOptions(args, {
      all: { type: 'boolean' },
      json: { type: 'boolean' },
    });
    if (positionals.length !== 1) {
      throw new UsageError(
        positionals.length ? 'Name one run at a time.' : 'Name the run to show: labkit runs show RUN_ID.',
      );
    }
    const client = TrackingClient.fromEnv(io.env);
    const run = await resolveRun(client, positionals[0] ?? '');
    if (values.json) {
      io.out(toJson({ run }, 2));
      return 0;
    }
    const { info } = run;
    const experiment = await client.getExperiment(info.experiment_id).catch(() => undefined);
    const now = io.now();
    const when = (time: number | undefined) =>
      time === undefined ? '-' : `${formatLocalTime(time, true)} (${formatRelativeTime(time, now)})`;
    const pairs: [string, Cell][] = [
      ['name', runName(run) || '-'],
      ['experiment', experiment ? `${experiment.name} (id ${info.experiment_id})` : info.experiment_id],
      ['status', { text: info.status, style: statusStyle(info.status) }],
      ['started', when(info.start_time)],
      ['ended', info.end_time === undefined ? '-' : formatLocalTime(info.end_time, true)],
      ['duration', durationOf(run)],
    ];
    if (info.user_id) pairs.push(['user', info.user_id]);
    if (info.artifact_uri) pairs.push(['artifact uri', info.artifact_uri]);
    if (info.lifecycle_stage !== 'active') {
      pairs.push([
        'lifecycle',
        { text: `${info.lifecycle_stage} (restore it before logging to it)`, style: 'red' },
      ]);
    }
    const out: string[] = [`Run ${info.run_id}`, ...renderPairs(pairs, { width: io.width, color: io.color })];

    const params = [...run.data.params].sort((a, b) => a.key.localeCompare(b.key));
    out.push('', `Params (${params.length})`);
    if (params.length)
      out.push(
        ...renderPairs(
          params.map((param) => [param.key, param.value]),
          { width: io.width },
        ),
      );
    else out.push('  (none)');

    const metrics = [...run.data.metrics].sort((a, b) => a.key.localeCompare(b.key));
    out.push('', `Metrics (${metrics.length})`);
    if (metrics.length) {
      const histories = await Promise.all(
        metrics.map((metric) => client.metricHistory(info.run_id, metric.key)),
      );
      const table = renderTable(
        [
          { header: 'key' },
          { header: 'latest', align: 'right', minWidth: 10 },
          { header: 'step', align: 'right', minWidth: 4 },
          { header: 'values logged', align: 'right', minWidth: 6 },
        ],
        metrics.map((metric, i) => [
          metric.key,
          formatNumber(metric.value, 6),
          String(metric.step),
          String(histories[i]?.length ?? 0),
        ]),
        { width: io.width === undefined ? undefined : io.width - 2, color: io.color },
      );
      out.push(...table.lines.map((line) => `  ${line}`));
    } else out.push('  (none)');

    const tags = [...run.data.tags].sort((a, b) => a.key.localeCompare(b.key));
    const visible = values.all
      ? tags
      : tags.filter((tag) => !tag.key.startsWith('mlflow.') || usefulSystemTags.has(tag.key));
    out.push('', `Tags (${visible.length})`);
    if (visible.length)
      out.push(
        ...renderPairs(
          visible.map((tag) => [tag.key, tag.value]),
          { width: io.width },
        ),
      );
    else out.push('  (none)');
    if (visible.length < tags.length) {
      out.push(`  (${tags.length - visible.length} more mlflow.* tags: --all shows them)`);
    }

    out.push('', 'Artifacts');
    const tree = await artifactTree(client, info.run_id);
    out.push(...(tree.length ? tree : ['  (none)']));
    for (const line of out) io.out(line);
    return 0;
  },
};

// ── compare ─────────────────────────────────────────────────────────────────────────────────────

const compare: Subcommand = {
  usage: compareUsage,
  async run(args, io) {
    const { values, positionals } = parseOptions(args, { diff: { type: 'boolean' } });
    if (positionals.length < 2) throw new UsageError('Name at least two runs to compare.');
    const client = TrackingClient.fromEnv(io.env);
    const runs: Run[] = [];
    for (const reference of positionals) runs.push(await resolveRun(client, reference));
    const now = io.now();

    type Row = { label: string; cells: (string | undefined)[]; differs: boolean; attribute?: boolean };
    const rows: Row[] = [
      { label: 'name', cells: runs.map(runName), differs: false, attribute: true },
      { label: 'status', cells: runs.map((run) => run.info.status), differs: false, attribute: true },
      {
        label: 'start',
        cells: runs.map((run) =>
          run.info.start_time === undefined ? undefined : formatRelativeTime(run.info.start_time, now),
        ),
        differs: false,
        attribute: true,
      },
      { label: 'duration', cells: runs.map(durationOf), differs: false, attribute: true },
    ];
    const experimentIds = [...new Set(runs.map((run) => run.info.experiment_id))];
    if (experimentIds.length > 1) {
      const names = new Map<string, string>();
      for (const id of experimentIds) {
        names.set(id, (await client.getExperiment(id).catch(() => undefined))?.name ?? id);
      }
      rows.splice(1, 0, {
        label: 'experiment',
        cells: runs.map((run) => names.get(run.info.experiment_id)),
        differs: false,
        attribute: true,
      });
    }
    const keysOf = (pick: (run: Run) => { key: string }[]) =>
      [...new Set(runs.flatMap((run) => pick(run).map((item) => item.key)))].sort();
    for (const key of keysOf((run) => run.data.params)) {
      const cells = runs.map((run) => run.data.params.find((param) => param.key === key)?.value);
      rows.push({ label: `params.${key}`, cells, differs: new Set(cells).size > 1 });
    }
    for (const key of keysOf((run) => run.data.metrics)) {
      const numbers = runs.map((run) => {
        return run.data.metrics.find((item) => item.key === key)?.value;
      });
      // NaN equals NaN here: the same "no value" is no difference.
      const differs =
        new Set(numbers.map((value) => (value === undefined ? 'missing' : String(value)))).size > 1;
      rows.push({
        label: `metrics.${key}`,
        cells: numbers.map((value) => (value === undefined ? undefined : formatNumber(value))),
        differs,
      });
    }
    const shownRows = values.diff ? rows.filter((row) => row.attribute || row.differs) : rows;
    const columns: Column[] = [
      { header: '', minWidth: 1 },
      { header: 'run', minWidth: 10 },
      ...runs.map((run) => ({ header: shortId(run.info.run_id), align: 'right' as const, minWidth: 8 })),
    ];
    const table = renderTable(
      columns,
      shownRows.map((row) => {
        const style: Style | undefined = row.differs ? 'yellow' : undefined;
        return [
          row.differs ? { text: '≠', style: 'yellow' } : '',
          { text: row.label, style },
          ...row.cells.map((cell): Cell => (cell === undefined ? missing : { text: cell, style })),
        ];
      }),
      { width: io.width, color: io.color, keep: 3 },
    );
    for (const line of table.lines) io.out(line);
    const differing = rows.filter((row) => row.differs && !row.attribute).length;
    io.out('');
    io.out(
      differing === 0
        ? 'The runs have the same params and metrics.'
        : `≠ marks the ${differing === 1 ? 'row' : `${differing} rows`} where the runs differ.` +
            (values.diff ? '' : ' --diff shows only those.'),
    );
    if (table.hidden.length) {
      io.err(
        `Not shown for lack of width: runs ${table.hidden.join(', ')}. Widen the terminal or compare fewer runs.`,
      );
    }
    return 0;
  },
};

// ── the group ───────────────────────────────────────────────────────────────────────────────────

export const runsGroup: CommandGroup = {
  name: 'runs',
  summary: 'list, show and compare runs on the tracking server',
  usage: runsUsage,
  subcommands: { list, show, compare },
};

/** `labkit runs …` with the given output (tests pass captured output). */
export function runs(args: string[], io: CliIo): Promise<number> {
  return runGroup(runsGroup, args, io);
}

export const runsCommand = {
  summary: runsGroup.summary,
  run: (args: string[]) => runs(args, processIo()),
};
