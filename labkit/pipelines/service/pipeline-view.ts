/**
 * The Pipelines tab's picture of a project, computed as `labkit pipeline status` computes it: each
 * stage with its one state and why (against dvc.lock and the workspace), its command, dependencies
 * with their hashes now and as locked, parameters with their values now and as locked, outputs,
 * and its last run; and the graph of stages and the data between them.
 */
import { pythonNumberStr, toPlain, type PyValue, PyFloat } from '../../data/python-json';
import type { DvcRepo } from '../../data/repo';
import { buildDag, topologicalOrder, type Dag } from '../dag';
import { entryHash, type LockEntry, type LockStage } from '../lockfile';
import { loadProject, type Project } from '../project';
import { stateOf } from '../report';
import { RunStateStore, reproRunning, type StageRun } from '../run-state';
import type { Stage } from '../stage';
import {
  currentHash,
  readParamValues,
  stageStatus,
  type StageStatus,
  type StatusContext,
} from '../stage-status';
import type {
  DataNode,
  EntryState,
  GraphEdge,
  LastRun,
  PipelineView,
  StageDep,
  StageOut,
  StageParam,
  StageView,
} from '../wire';

/** A loaded project, or why it could not be loaded (a dvc.yaml that does not parse, a cycle…). */
export type LoadedProject = { project: Project; dag: Dag } | { problem: string };

export function loadForView(repo: DvcRepo): LoadedProject {
  try {
    const project = loadProject(repo);
    return { project, dag: buildDag(project.stages, project.dataSources, repo.root) };
  } catch (error) {
    return { problem: (error as Error).message };
  }
}

/** A parameter's value as the tab shows it: numbers as Python writes them, lists and mappings as JSON. */
export function displayValue(value: PyValue | undefined): string | null {
  if (value === undefined) return null;
  if (value === null) return 'null';
  if (typeof value === 'number' || value instanceof PyFloat) return pythonNumberStr(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return JSON.stringify(toPlain(value));
}

export function lastRunOf(run: StageRun | undefined): LastRun | undefined {
  if (!run) return undefined;
  const { state, startedAt, endedAt, durationMs, exitCode } = run;
  return {
    state,
    startedAt,
    ...(endedAt === undefined ? {} : { endedAt }),
    ...(durationMs === undefined ? {} : { durationMs }),
    ...(exitCode === undefined ? {} : { exitCode }),
  };
}

/**
 * Why `repro` would run the stage, one short sentence each. A stage that never ran says so, and
 * then only what is missing: everything else of it is new, which is no news.
 */
export function reasonsOf(status: StageStatus): string[] {
  const reasons: string[] = [];
  const neverRun = status.lock === undefined;
  if (status.stage.frozen) reasons.push('frozen: repro never runs it');
  if (neverRun && !status.stage.frozen) reasons.push('never run (not in dvc.lock)');
  if (status.commandChanged) reasons.push('command changed');
  if (status.alwaysChanged && !status.stage.frozen) reasons.push('always changed');
  for (const dep of status.deps) {
    if (!neverRun || dep.state === 'deleted') reasons.push(`dependency ${dep.path} ${dep.state}`);
  }
  for (const param of status.params) {
    if (neverRun) continue;
    reasons.push(
      param.key === undefined
        ? `parameters file ${param.file} ${param.state}`
        : `parameter ${param.key} (${param.file}) ${param.state}`,
    );
  }
  if (!neverRun) for (const out of status.outs) reasons.push(`output ${out.path} ${out.state}`);
  for (const external of status.external) reasons.push(`${external} not checked (remote paths)`);
  return reasons;
}

function entryState(
  changes: { path: string; state: EntryState }[],
  entryPath: string,
  hasLock: boolean,
): EntryState {
  const state = changes.find((change) => change.path === entryPath)?.state;
  // Before the first run nothing is locked: what exists is new, what does not is deleted (missing).
  if (!hasLock) return state === 'deleted' ? 'deleted' : 'new';
  return state ?? 'unchanged';
}

function pathEntry(
  item: { path: string; absolute: string; external: boolean },
  locked: Map<string, LockEntry>,
  changes: { path: string; state: EntryState }[],
  context: StatusContext,
  hasLock: boolean,
): StageDep {
  if (item.external) return { path: item.path, hash: null, locked: null, state: 'unchanged', external: true };
  return {
    path: item.path,
    hash: currentHash(context, item.absolute)?.info.md5 ?? null,
    locked: entryHash(locked.get(item.path))?.md5 ?? null,
    state: entryState(changes, item.path, hasLock),
    external: false,
  };
}

function paramsOf(stage: Stage, lock: LockStage | undefined, status: StageStatus, context: StatusContext) {
  const rows: StageParam[] = [];
  for (const dep of stage.params) {
    const current = readParamValues(dep, context.files, context.repo.relative(dep.absolute));
    const recorded = lock?.params?.[dep.file];
    const changes = status.params.filter((param) => param.file === dep.file);
    // The file as a whole is new (never locked) or gone.
    const whole = changes.find((param) => param.key === undefined)?.state;
    const keys = dep.keys.length
      ? dep.keys
      : [...new Set([...Object.keys(current?.values ?? {}), ...Object.keys(recorded ?? {})])].sort();
    if (keys.length === 0) {
      rows.push({ file: dep.file, key: '', value: null, locked: null, state: whole ?? 'unchanged' });
      continue;
    }
    for (const key of keys) {
      rows.push({
        file: dep.file,
        key,
        value: displayValue(current?.values[key]),
        locked: recorded && Object.hasOwn(recorded, key) ? displayValue(recorded[key]) : null,
        state: changes.find((param) => param.key === key)?.state ?? whole ?? (lock ? 'unchanged' : 'new'),
      });
    }
  }
  return rows;
}

function stageView(
  stage: Stage,
  lock: LockStage | undefined,
  context: StatusContext,
  dag: Dag,
  lastRun: StageRun | undefined,
): StageView {
  const status = stageStatus(stage, lock, context);
  const hasLock = lock !== undefined;
  const lockedDeps = new Map((lock?.deps ?? []).map((entry) => [entry.path, entry]));
  const lockedOuts = new Map((lock?.outs ?? []).map((entry) => [entry.path, entry]));
  const view: StageView = {
    id: stage.addressing,
    name: stage.name,
    dvcfile: stage.dvcfileDisplay,
    wdir: context.repo.relative(stage.wdir),
    cmd: typeof stage.cmd === 'string' ? [stage.cmd] : [...stage.cmd],
    frozen: stage.frozen,
    state: stateOf(status, lastRun),
    reasons: status.changed ? reasonsOf(status) : stage.frozen ? reasonsOf(status) : [],
    deps: stage.deps.map((dep) => pathEntry(dep, lockedDeps, status.deps, context, hasLock)),
    params: paramsOf(stage, lock, status, context),
    outs: stage.outs.map((out): StageOut => ({
      ...pathEntry(out, lockedOuts, status.outs, context, hasLock),
      kind: out.kind,
      cache: out.cache,
      persist: out.persist,
    })),
    upstream: [...(dag.upstream.get(stage.addressing) ?? [])]
      .filter((id) => dag.nodes.get(id)?.kind === 'stage')
      .sort(),
  };
  if (stage.desc !== undefined) view.desc = stage.desc;
  const run = lastRunOf(lastRun);
  if (run) view.lastRun = run;
  return view;
}

function isInside(child: string, parent: string): boolean {
  return child === parent || child.startsWith(parent.endsWith('/') ? parent : `${parent}/`);
}

/**
 * The data of the graph: every output (by path from the project's root), every `.dvc` file's data,
 * and the dependencies no stage writes (sources). A dependency inside an output, or holding
 * outputs, is drawn as those outputs.
 */
function dataGraph(project: Project, stages: Stage[]): { data: DataNode[]; edges: GraphEdge[] } {
  const { repo } = project;
  const nodes = new Map<string, DataNode>();
  const edges: GraphEdge[] = [];
  const add = (node: DataNode) => {
    if (!nodes.has(node.id)) nodes.set(node.id, node);
    return node.id;
  };
  for (const source of project.dataSources) {
    for (const out of source.outs) {
      const relative = repo.relative(out.absolute);
      add({ id: `data:${relative}`, path: relative, kind: 'tracked' });
    }
  }
  for (const stage of stages) {
    for (const out of stage.outs) {
      const relative = out.external ? out.path : repo.relative(out.absolute);
      const id = add({ id: `data:${relative}`, path: relative, kind: out.kind, producer: stage.addressing });
      edges.push({ from: `stage:${stage.addressing}`, to: id });
    }
  }
  const written = [...nodes.values()];
  for (const stage of stages) {
    const from = new Set<string>();
    for (const dep of stage.deps) {
      const relative = dep.external ? dep.path : repo.relative(dep.absolute);
      const owners = dep.external
        ? []
        : written.filter((node) => isInside(relative, node.path) || isInside(node.path, relative));
      if (owners.length === 0) from.add(add({ id: `data:${relative}`, path: relative, kind: 'source' }));
      for (const owner of owners) if (owner.producer !== stage.addressing) from.add(owner.id);
    }
    for (const id of [...from].sort()) edges.push({ from: id, to: `stage:${stage.addressing}` });
  }
  const data = [...nodes.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { data, edges };
}

/** The whole view of one project (`project` relative to the workspace). */
export function pipelineView(repo: DvcRepo, project: string, projects: string[]): PipelineView {
  const pid = reproRunning(repo);
  const base: PipelineView = {
    project,
    projects,
    problem: null,
    repro: pid === undefined ? { running: false } : { running: true, pid },
    stages: [],
    data: [],
    edges: [],
  };
  const loaded = loadForView(repo);
  if ('problem' in loaded) return { ...base, problem: loaded.problem };
  const { project: loadedProject, dag } = loaded;
  const context: StatusContext = { repo, files: loadedProject.paramsFiles, hashes: new Map() };
  const runs = new RunStateStore(repo).read();
  const byId = new Map(loadedProject.stages.map((stage) => [stage.addressing, stage]));
  const ordered = topologicalOrder(dag, new Set(dag.nodes.keys()))
    .map((id) => byId.get(id))
    .filter((stage): stage is Stage => stage !== undefined);
  try {
    const stages = ordered.map((stage) =>
      stageView(
        stage,
        loadedProject.locks.get(stage.dvcfile)?.stages.get(stage.name),
        context,
        dag,
        runs[stage.addressing],
      ),
    );
    return { ...base, stages, ...dataGraph(loadedProject, ordered) };
  } catch (error) {
    return { ...base, problem: (error as Error).message };
  }
}
