/**
 * `labkit pipeline …`: DVC pipelines on DVC's files (dvc.yaml, params.yaml, dvc.lock) with DVC's
 * words — `repro`, `status`, `dag`, `params diff`, `metrics show|diff`, `plots show`, `exp run|show`.
 */
import path from 'node:path';
import { gitTopLevel, resolveRevision } from '../data/git';
import { toPlain, type PyValue } from '../data/python-json';
import { buildDag, renderMermaid, renderText } from '../pipelines/dag';
import { applyOverrides, ExperimentStore, parseOverride, valuesToRecord } from '../pipelines/experiments';
import {
  diffValues,
  formatValue,
  metricsFiles,
  readMetrics,
  readParams,
  revisionReader,
  trackedParams,
  workspaceReader,
  type DiffRow,
  type ValuesByFile,
} from '../pipelines/metrics';
import { renderPlots } from '../pipelines/plots';
import { pipelineReport } from '../pipelines/report';
import { planRepro, reproduce } from '../pipelines/repro';
import { stageStatus, statusLines } from '../pipelines/stage-status';
import { resolveTargets } from '../pipelines/targets';
import { trackedOutputs } from '../pipelines/tracked';
import { parseOptions, positiveInteger } from './command';
import {
  loadWorkspace,
  nestedGroup,
  noPositionals,
  runDvcGroup,
  type DvcGroup,
  type DvcSubcommand,
} from './data';
import { CliError, processIo, UsageError, type CliIo } from './io';
import { renderTable, type Cell, type Column } from './table';

// ── repro ───────────────────────────────────────────────────────────────────────────────────────

const repro: DvcSubcommand = {
  usage: `Usage: labkit pipeline repro [STAGE…] [-f] [-s] [--downstream] [--dry] [--no-run-cache] [-j N]

Runs the stages whose command, dependencies, parameters or outputs changed since dvc.lock recorded
them (and what they need), as \`dvc repro\` does. STAGE: a stage name, a foreach/matrix group,
file:stage or a dvc.yaml (default: the dvc.yaml here).
  -f, --force        run them even if nothing changed (and not from the run-cache)
  -s, --single-item  only the named stages, not what they need
  --downstream       the named stages and every stage that depends on them
  --dry              print the commands that would run, run nothing
  --no-run-cache     do not restore outputs from earlier runs of the same inputs
  -j, --jobs N       run up to N independent stages at a time (default 1)

Each command gets LABKIT_PIPELINE_STAGE (the stage) and LABKIT_PIPELINE_LOCK_HASH (the run-cache
key of its inputs) in its environment; its output is kept in .dvc/tmp/labkit/logs/<stage>.log.`,
  async run(args, io, cwd) {
    const { values, positionals } = parseOptions(args, {
      force: { type: 'boolean', short: 'f' },
      'single-item': { type: 'boolean', short: 's' },
      downstream: { type: 'boolean' },
      dry: { type: 'boolean' },
      'no-run-cache': { type: 'boolean' },
      jobs: { type: 'string', short: 'j' },
    });
    const { project, dag } = loadWorkspace(cwd);
    const result = await reproduce(
      project,
      dag,
      {
        targets: positionals,
        force: values.force ?? false,
        single: values['single-item'] ?? false,
        downstream: values.downstream ?? false,
        dry: values.dry ?? false,
        runCache: !values['no-run-cache'],
        jobs: positiveInteger(values.jobs, '--jobs', 1),
        cwd,
        env: io.env,
      },
      io,
    );
    if (result.failure)
      throw new CliError(`failed to reproduce '${result.failure.stage}': ${result.failure.message}`);
    return 0;
  },
};

// ── status ──────────────────────────────────────────────────────────────────────────────────────

const status: DvcSubcommand = {
  usage: `Usage: labkit pipeline status [STAGE…] [--json]

Which stages \`repro\` would run, and why, in \`dvc status\`'s words (changed deps, changed outs,
changed command, always changed). --json: every stage with its command, dependencies, outputs,
the stages it needs and its state (up to date, changed, running, failed, frozen) and last run.`,
  async run(args, io, cwd) {
    const { values, positionals } = parseOptions(args, { json: { type: 'boolean' } });
    const { repo, project, dag } = loadWorkspace(cwd);
    const stages = positionals.length
      ? resolveTargets(project.stages, positionals, cwd, repo.root)
      : project.stages;
    if (values.json) {
      io.out(JSON.stringify(pipelineReport(project, dag, stages), null, 2));
      repo.close();
      return 0;
    }
    const context = { repo, files: project.paramsFiles, hashes: new Map() };
    let changed = 0;
    for (const stage of stages) {
      const result = stageStatus(stage, project.locks.get(stage.dvcfile)?.stages.get(stage.name), context);
      if (!result.changed) continue;
      changed += 1;
      io.out(`${stage.addressing}:`);
      for (const line of statusLines(result)) io.out(line);
    }
    repo.close();
    if (stages.length === 0) io.out('There are no pipelines in this project yet (no dvc.yaml).');
    else if (changed === 0) io.out('Data and pipelines are up to date.');
    return 0;
  },
};

// ── dag ─────────────────────────────────────────────────────────────────────────────────────────

const dagCommand: DvcSubcommand = {
  usage: `Usage: labkit pipeline dag [STAGE] [--mermaid | --md | --json]

The pipeline graph: each stage with the stages (and .dvc files) it needs, in run order.
  --mermaid   as a Mermaid flowchart, as \`dvc dag --mermaid\` writes it
  --md        the same inside a \`\`\`mermaid block
  --json      stages, dependencies, outputs, states and edges, for tools`,
  async run(args, io, cwd) {
    const { values, positionals } = parseOptions(args, {
      mermaid: { type: 'boolean' },
      md: { type: 'boolean' },
      json: { type: 'boolean' },
    });
    if (positionals.length > 1) throw new UsageError('Name at most one stage.');
    const { repo, project, dag } = loadWorkspace(cwd);
    let shown = dag;
    if (positionals.length === 1) {
      const plan = planRepro(project, dag, { targets: positionals, cwd, env: io.env });
      const keep = new Set(plan.map((stage) => stage.addressing));
      for (const stage of plan) for (const up of dag.upstream.get(stage.addressing) ?? []) keep.add(up);
      const stages = project.stages.filter((stage) => keep.has(stage.addressing));
      const sources = project.dataSources.filter((source) => keep.has(source.addressing));
      shown = buildDag(stages, sources, repo.root);
    }
    if (values.json) {
      const stages = project.stages.filter((stage) => shown.nodes.has(stage.addressing));
      io.out(JSON.stringify(pipelineReport(project, shown, stages), null, 2));
    } else if (values.mermaid || values.md) {
      const mermaid = renderMermaid(shown);
      io.out(values.md ? `\`\`\`mermaid\n${mermaid}\n\`\`\`` : mermaid);
    } else {
      for (const line of renderText(shown)) io.out(line);
    }
    repo.close();
    return 0;
  },
};

// ── params diff, metrics show|diff ──────────────────────────────────────────────────────────────

function revisions(positionals: string[]): { a: string; b?: string } {
  if (positionals.length > 2) throw new UsageError('Give at most two revisions.');
  const [a = 'HEAD', b] = positionals;
  return b === undefined ? { a } : { a, b };
}

function printDiffTable(
  io: CliIo,
  rows: DiffRow[],
  labels: [string, string],
  what: string,
  withChange: boolean,
): void {
  const columns: Column[] = [
    { header: 'Path', minWidth: 8 },
    { header: what, minWidth: 8 },
    { header: labels[0], align: 'right', minWidth: 6 },
    { header: labels[1], align: 'right', minWidth: 6 },
  ];
  if (withChange) columns.push({ header: 'Change', align: 'right', minWidth: 6 });
  const cells: Cell[][] = rows.map((row) => {
    const line: Cell[] = [row.file, row.key, formatValue(row.old), formatValue(row.new)];
    if (withChange) line.push(row.change === undefined ? '-' : formatValue(row.change));
    return line;
  });
  const table = renderTable(columns, cells, { width: io.width, color: io.color, keep: 2 });
  for (const line of table.lines) io.out(line);
}

function diffJson(rows: DiffRow[]): string {
  const result: Record<string, Record<string, { old: unknown; new: unknown; diff?: number }>> = {};
  for (const row of rows) {
    result[row.file] ??= {};
    result[row.file]![row.key] = {
      old: row.old ?? null,
      new: row.new ?? null,
      ...(row.change === undefined ? {} : { diff: row.change }),
    };
  }
  return JSON.stringify(toPlain(result as unknown as PyValue), null, 2);
}

const paramsDiff: DvcSubcommand = {
  usage: `Usage: labkit pipeline params diff [A_REV [B_REV]] [--all] [--json]

The parameters the stages track, compared between two git revisions (default: HEAD and the
workspace); only those that differ unless --all.`,
  async run(args, io, cwd) {
    const { values, positionals } = parseOptions(args, {
      all: { type: 'boolean' },
      json: { type: 'boolean' },
    });
    const { a, b } = revisions(positionals);
    const { repo, project } = loadWorkspace(cwd);
    const tracked = trackedParams(project);
    const before = readParams(tracked, revisionReader(project, a));
    const after = readParams(tracked, b ? revisionReader(project, b) : workspaceReader(repo.root));
    const rows = diffValues(before, after, values.all ?? false).map(({ change: _change, ...row }) => row);
    if (values.json) io.out(diffJson(rows));
    else if (rows.length) printDiffTable(io, rows, [a, b ?? 'workspace'], 'Param', false);
    return 0;
  },
};

const metricsShow: DvcSubcommand = {
  usage: `Usage: labkit pipeline metrics show [--json]

The values in the metrics files (the stages' metrics outputs and dvc.yaml's top-level metrics).`,
  async run(args, io, cwd) {
    const { values, positionals } = parseOptions(args, { json: { type: 'boolean' } });
    noPositionals(positionals);
    const { repo, project } = loadWorkspace(cwd);
    const metrics = readMetrics(metricsFiles(project), workspaceReader(repo.root));
    if (values.json) {
      io.out(JSON.stringify(valuesToRecord(metrics), null, 2));
      return 0;
    }
    if (metrics.size === 0) {
      io.out('No metrics files found: add `metrics:` to a stage in dvc.yaml, and run it.');
      return 0;
    }
    const keys = [...new Set([...metrics.values()].flatMap((flat) => [...flat.keys()]))].sort();
    const table = renderTable(
      [
        { header: 'Path', minWidth: 8 },
        ...keys.map((key): Column => ({ header: key, align: 'right', minWidth: 6 })),
      ],
      [...metrics].map(([file, flat]) => [
        file,
        ...keys.map((key) => (flat.has(key) ? formatValue(flat.get(key)) : '-')),
      ]),
      { width: io.width, color: io.color },
    );
    for (const line of table.lines) io.out(line);
    if (table.hidden.length) io.err(`Not shown for lack of width: ${table.hidden.join(', ')}.`);
    return 0;
  },
};

const metricsDiff: DvcSubcommand = {
  usage: `Usage: labkit pipeline metrics diff [A_REV [B_REV]] [--all] [--json]

The metrics compared between two git revisions (default: HEAD and the workspace), with the change.`,
  async run(args, io, cwd) {
    const { values, positionals } = parseOptions(args, {
      all: { type: 'boolean' },
      json: { type: 'boolean' },
    });
    const { a, b } = revisions(positionals);
    const { repo, project } = loadWorkspace(cwd);
    const files = metricsFiles(project);
    const before = readMetrics(files, revisionReader(project, a));
    const after = readMetrics(files, b ? revisionReader(project, b) : workspaceReader(repo.root));
    const rows = diffValues(before, after, values.all ?? false);
    if (values.json) io.out(diffJson(rows));
    else if (rows.length) printDiffTable(io, rows, [a, b ?? 'workspace'], 'Metric', true);
    return 0;
  },
};

// ── plots show ──────────────────────────────────────────────────────────────────────────────────

const plotsShow: DvcSubcommand = {
  usage: `Usage: labkit pipeline plots show [-o DIR]

Draws the plots dvc.yaml declares (stage plots outputs and top-level plots: JSON, YAML, CSV or TSV
data as line, scatter, bar or confusion charts; images as they are) into DIR/index.html
(default dvc_plots/), as SVG, viewable without a network.`,
  async run(args, io, cwd) {
    const { values, positionals } = parseOptions(args, { out: { type: 'string', short: 'o' } });
    noPositionals(positionals);
    const { project } = loadWorkspace(cwd);
    const outDir = path.resolve(cwd, values.out ?? 'dvc_plots');
    const result = renderPlots(project, outDir);
    for (const warning of result.warnings) io.err(`WARNING: ${warning}`);
    if (result.count === 0) {
      io.out('No plots to show: add `plots:` to dvc.yaml (a stage output or a top-level entry).');
      return 0;
    }
    io.out(`file://${result.index}`);
    return 0;
  },
};

// ── exp run|show ────────────────────────────────────────────────────────────────────────────────

function collectValues(cwd: string): { params: ValuesByFile; metrics: ValuesByFile } {
  const { repo, project } = loadWorkspace(cwd);
  const read = workspaceReader(repo.root);
  return {
    params: readParams(trackedParams(project), read),
    metrics: readMetrics(metricsFiles(project), read),
  };
}

const expRun: DvcSubcommand = {
  usage: `Usage: labkit pipeline exp run [STAGE…] [-S [FILE:]KEY=VALUE]… [-n NAME] [-f]

Changes parameters (-S, repeatable; VALUE is YAML: 0.01, true, [1, 2]; +KEY=VALUE adds a key,
~KEY removes one), reproduces the pipeline and records the experiment with its parameters and
metrics (\`labkit pipeline exp show\`). The workspace keeps the results, as with \`dvc exp run\`.`,
  async run(args, io, cwd) {
    const { values, positionals } = parseOptions(args, {
      'set-param': { type: 'string', short: 'S', multiple: true },
      name: { type: 'string', short: 'n' },
      force: { type: 'boolean', short: 'f' },
    });
    const overrides = (values['set-param'] ?? []).map(parseOverride);
    const repo = loadWorkspace(cwd).repo;
    const store = new ExperimentStore(repo);
    const name = values.name ?? store.newName();
    if (values.name && store.list().some((experiment) => experiment.name === values.name)) {
      throw new CliError(`Experiment '${values.name}' already exists.`);
    }
    applyOverrides(cwd, overrides);
    const { project, dag } = loadWorkspace(cwd);
    const result = await reproduce(
      project,
      dag,
      { targets: positionals, force: values.force ?? false, cwd, env: io.env },
      io,
    );
    if (result.failure)
      throw new CliError(`failed to reproduce '${result.failure.stage}': ${result.failure.message}`);
    const after = loadWorkspace(cwd).project;
    const { params, metrics } = collectValues(cwd);
    const outputs: Record<string, Record<string, string>> = {};
    for (const output of trackedOutputs(after)) {
      if (output.hash) (outputs[output.owner] ??= {})[output.display] = output.hash.md5;
    }
    const gitRoot = gitTopLevel(repo.root);
    let baseline: string | undefined;
    if (gitRoot) {
      try {
        baseline = resolveRevision(gitRoot, 'HEAD').slice(0, 7);
      } catch {
        baseline = undefined;
      }
    }
    store.add({
      name,
      createdAt: io.now(),
      ...(baseline ? { baseline } : {}),
      overrides: overrides.map((override) => override.text),
      params: valuesToRecord(params),
      metrics: valuesToRecord(metrics),
      outputs,
    });
    io.out('');
    io.out(`Ran experiment(s): ${name}`);
    io.out('Experiment results have been applied to your workspace.');
    io.out('See them with `labkit pipeline exp show`.');
    return 0;
  },
};

const expShow: DvcSubcommand = {
  usage: `Usage: labkit pipeline exp show [--json]

The workspace and every recorded experiment (newest first) with its parameters and metrics.`,
  async run(args, io, cwd) {
    const { values, positionals } = parseOptions(args, { json: { type: 'boolean' } });
    noPositionals(positionals);
    const { repo } = loadWorkspace(cwd);
    // Newest first (the later recorded first among equal times).
    const experiments = new ExperimentStore(repo)
      .list()
      .map((experiment, index) => ({ experiment, index }))
      .sort((a, b) => b.experiment.createdAt - a.experiment.createdAt || b.index - a.index)
      .map(({ experiment }) => experiment);
    const workspace = collectValues(cwd);
    const workspaceRow = {
      name: 'workspace',
      createdAt: undefined as number | undefined,
      params: valuesToRecord(workspace.params),
      metrics: valuesToRecord(workspace.metrics),
    };
    if (values.json) {
      io.out(JSON.stringify({ workspace: workspaceRow, experiments }, null, 2));
      return 0;
    }
    const rows = [workspaceRow, ...experiments];
    const columnsOf = (kind: 'metrics' | 'params') => {
      const seen = new Map<string, [string, string]>();
      for (const row of rows) {
        for (const [file, flat] of Object.entries(row[kind])) {
          for (const key of Object.keys(flat)) seen.set(`${file}\0${key}`, [file, key]);
        }
      }
      return [...seen.values()].sort((x, y) => (x[0] + x[1]).localeCompare(y[0] + y[1]));
    };
    const metricColumns = columnsOf('metrics');
    const paramColumns = columnsOf('params');
    const columns: Column[] = [
      { header: 'Experiment', minWidth: 10 },
      { header: 'Created', minWidth: 8 },
      ...metricColumns.map(([file, key]): Column => ({
        header: key,
        group: file,
        align: 'right',
        minWidth: 6,
        priority: 2,
      })),
      ...paramColumns.map(([file, key]): Column => ({
        header: key,
        group: file,
        align: 'right',
        minWidth: 6,
        priority: 1,
      })),
    ];
    const cell = (value: unknown) => (value === undefined ? '-' : formatValue(value as never));
    const cells: Cell[][] = rows.map((row) => [
      row.name,
      row.createdAt === undefined ? '-' : new Date(row.createdAt).toISOString().slice(11, 19),
      ...metricColumns.map(([file, key]) => cell(row.metrics[file]?.[key])),
      ...paramColumns.map(([file, key]) => cell(row.params[file]?.[key])),
    ]);
    const table = renderTable(columns, cells, { width: io.width, color: io.color, keep: 1 });
    for (const line of table.lines) io.out(line);
    if (table.hidden.length) io.err(`Not shown for lack of width: ${table.hidden.join(', ')}.`);
    return 0;
  },
};

// ── the group ───────────────────────────────────────────────────────────────────────────────────

const paramsGroup: DvcGroup = {
  name: 'labkit pipeline params',
  usage: 'Usage: labkit pipeline params diff [A_REV [B_REV]] [--all] [--json]',
  subcommands: { diff: paramsDiff },
};
const metricsGroup: DvcGroup = {
  name: 'labkit pipeline metrics',
  usage: `Usage: labkit pipeline metrics show [--json]
       labkit pipeline metrics diff [A_REV [B_REV]] [--all] [--json]`,
  subcommands: { show: metricsShow, diff: metricsDiff },
};
const plotsGroup: DvcGroup = {
  name: 'labkit pipeline plots',
  usage: 'Usage: labkit pipeline plots show [-o DIR]',
  subcommands: { show: plotsShow },
};
const expGroup: DvcGroup = {
  name: 'labkit pipeline exp',
  usage: `Usage: labkit pipeline exp run [STAGE…] [-S [FILE:]KEY=VALUE]… [-n NAME]
       labkit pipeline exp show [--json]`,
  subcommands: { run: expRun, show: expShow },
};

export const pipelineUsage = `Usage: labkit pipeline <subcommand> [arguments]

DVC pipelines (dvc.yaml, params.yaml, dvc.lock), with DVC's semantics and words:
  repro [STAGE…] [-f] [-s] [--downstream] [--dry] [-j N]   run what changed
  status [STAGE…] [--json]                                 what would run, and why
  dag [STAGE] [--mermaid|--md|--json]                      the stages and what they need
  params diff [A_REV [B_REV]]                              parameters between git revisions
  metrics show | metrics diff [A_REV [B_REV]]              the metrics files' values
  plots show [-o DIR]                                      the plots, drawn into an HTML file
  exp run [-S KEY=VALUE]… | exp show                       experiments with changed parameters

Run \`labkit pipeline <subcommand> --help\` for the details of one.`;

const pipelineGroup: DvcGroup = {
  name: 'labkit pipeline',
  usage: pipelineUsage,
  subcommands: {
    repro,
    status,
    dag: dagCommand,
    params: nestedGroup(paramsGroup),
    metrics: nestedGroup(metricsGroup),
    plots: nestedGroup(plotsGroup),
    exp: nestedGroup(expGroup),
  },
};

/** `labkit pipeline …` on `io`, in the folder `cwd`. */
export function pipeline(args: string[], io: CliIo, cwd = process.cwd()): Promise<number> {
  return runDvcGroup(pipelineGroup, args, io, cwd);
}

export const pipelineCommand = {
  summary: 'DVC pipelines: repro, status, dag, params, metrics, plots, experiments',
  run: (args: string[]) => pipeline(args, processIo()),
};
