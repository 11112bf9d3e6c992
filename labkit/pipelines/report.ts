/**
 * The machine-readable view of a pipeline, printed by `status --json` and `dag --json` for a
 * future Pipelines tab: every stage with its command, dependencies, parameters and outputs, the
 * stages it needs, and one state — `up to date`, `changed` (with DVC's reasons), `running`,
 * `failed` (its last run failed and it is still out of date) or `frozen` — with its last run
 * (when, how long, exit code, log file).
 */
import type { Dag } from './dag';
import type { Project } from './project';
import { RunStateStore, type StageRun } from './run-state';
import type { Stage } from './stage';
import { stageStatus, type StageStatus, type StatusContext } from './stage-status';

export type StageState = 'up to date' | 'changed' | 'running' | 'failed' | 'frozen';

export type StageReport = {
  name: string;
  addressing: string;
  dvcfile: string;
  wdir: string;
  cmd: string | string[];
  desc?: string;
  frozen: boolean;
  deps: string[];
  params: { file: string; keys: string[] }[];
  outs: { path: string; kind: string; cache: boolean; persist: boolean }[];
  upstream: string[];
  state: StageState;
  changes?: {
    command: boolean;
    alwaysChanged: boolean;
    deps: StageStatus['deps'];
    params: StageStatus['params'];
    outs: StageStatus['outs'];
    external: string[];
  };
  lastRun?: StageRun;
};

export type PipelineReport = { root: string; stages: StageReport[]; edges: { from: string; to: string }[] };

export function stateOf(status: StageStatus, lastRun: StageRun | undefined): StageState {
  if (lastRun?.state === 'running') return 'running';
  if (status.stage.frozen) return 'frozen';
  if (!status.changed) return 'up to date';
  return lastRun?.state === 'failed' ? 'failed' : 'changed';
}

function describe(stage: Stage, project: Project, dag: Dag): Omit<StageReport, 'state'> {
  const relative = (absolute: string) => project.repo.relative(absolute);
  const report: Omit<StageReport, 'state'> = {
    name: stage.name,
    addressing: stage.addressing,
    dvcfile: stage.dvcfileDisplay,
    wdir: relative(stage.wdir),
    cmd: stage.cmd,
    frozen: stage.frozen,
    deps: stage.deps.map((dep) => dep.path),
    params: stage.params.map((dep) => ({ file: dep.file, keys: dep.keys })),
    outs: stage.outs.map((out) => ({
      path: out.path,
      kind: out.kind,
      cache: out.cache,
      persist: out.persist,
    })),
    upstream: [...(dag.upstream.get(stage.addressing) ?? [])].sort(),
  };
  if (stage.desc !== undefined) report.desc = stage.desc;
  return report;
}

/** Every stage (or those given) with its state, computed against dvc.lock and the workspace. */
export function pipelineReport(project: Project, dag: Dag, stages = project.stages): PipelineReport {
  const context: StatusContext = { repo: project.repo, files: project.paramsFiles, hashes: new Map() };
  const runs = new RunStateStore(project.repo).read();
  const reports = stages.map((stage): StageReport => {
    const status = stageStatus(stage, project.locks.get(stage.dvcfile)?.stages.get(stage.name), context);
    const lastRun = runs[stage.addressing];
    const report: StageReport = { ...describe(stage, project, dag), state: stateOf(status, lastRun) };
    if (status.changed) {
      report.changes = {
        command: status.commandChanged,
        alwaysChanged: status.alwaysChanged,
        deps: status.deps,
        params: status.params,
        outs: status.outs,
        external: status.external,
      };
    }
    if (lastRun) report.lastRun = lastRun;
    return report;
  });
  const edges: PipelineReport['edges'] = [];
  for (const [to, ups] of dag.upstream) for (const from of ups) edges.push({ from, to });
  return { root: project.repo.root, stages: reports, edges };
}
