/**
 * `repro`: brings stages up to date, as `dvc repro` does, with its words.
 *
 * The plan is the targets and what they need (`-s`: the targets alone; `--downstream`: the targets
 * and what depends on them), in dependency order; the upstream of a frozen stage is not followed.
 * Each stage in turn (independent ones side by side with `-j N`):
 *
 * 1. unchanged (see `stage-status.ts`) → `Stage 'x' didn't change, skipping` (`-f` runs it anyway);
 * 2. its command and inputs match dvc.lock and the recorded outputs are in the cache, or the
 *    run-cache knows this exact command on these exact inputs → `Stage 'x' is cached - skipping
 *    run, checking out outputs` (not with `-f`; the run-cache not with `--no-run-cache`);
 * 3. otherwise its outputs are removed (not `persist` ones), `Running stage 'x':` and `> cmd`, the
 *    command runs with `LABKIT_PIPELINE_STAGE` and `LABKIT_PIPELINE_LOCK_HASH` (the run-cache key
 *    of its inputs) in its environment, its output is streamed and logged; then the outputs are
 *    cached (and git-ignored), the run remembered in the run-cache, and its entry in dvc.lock
 *    rewritten atomically (`Updating lock file 'dvc.lock'`).
 *
 * A failure (a missing dependency or parameter, a command exiting non-zero, an output the command
 * did not write) stops the run: nothing more starts, the failing stage's lock entry and the cache
 * stay as they were, and the error names the file, the stage and the field.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ignoreOutput } from '../data/gitignore';
import { gitTopLevel } from '../data/git';
import type { HashedPath } from '../data/hash';
import { withDownstream, withUpstream, topologicalOrder, type Dag } from './dag';
import { runShellCommand } from './execute';
import { entryHash, lockPathFor, writeLockStage, type LockStage } from './lockfile';
import type { Project } from './project';
import { canUseRunCache, RunCache, runCacheKey } from './run-cache';
import { acquireReproLock, RunStateStore } from './run-state';
import { fullEntry, inputsEntry, snapshotOuts, StageError } from './snapshot';
import { commandLines, type Stage } from './stage';
import { stageStatus, type StatusContext } from './stage-status';
import { resolveTargets } from './targets';

export type ReproOptions = {
  targets: string[];
  force?: boolean;
  single?: boolean;
  downstream?: boolean;
  dry?: boolean;
  runCache?: boolean;
  jobs?: number;
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
};

export type ReproOutput = { out: (line: string) => void; err: (line: string) => void };

export type StageOutcome = 'skipped' | 'ran' | 'restored' | 'would run' | 'frozen';

export type ReproResult = {
  outcomes: Map<string, StageOutcome>;
  failure?: { stage: string; message: string };
  /** Files a git user should add (dvc.lock files, .gitignore files changed). */
  gitFiles: string[];
};

/** The stages `repro` would consider, in order. */
export function planRepro(project: Project, dag: Dag, options: ReproOptions): Stage[] {
  const targets = resolveTargets(project.stages, options.targets, options.cwd, project.repo.root);
  const ids = targets.map((stage) => stage.addressing);
  let planned: Set<string>;
  if (options.single) planned = new Set(ids);
  else if (options.downstream) planned = withDownstream(dag, ids);
  else planned = withUpstream(dag, ids);
  return topologicalOrder(dag, planned)
    .map((id) => dag.nodes.get(id)!)
    .filter((node) => node.kind === 'stage')
    .map((node) => (node.kind === 'stage' ? node.stage : (undefined as never)));
}

type Runner = {
  project: Project;
  options: ReproOptions;
  output: ReproOutput;
  status: StatusContext;
  runCache: RunCache;
  runs: RunStateStore;
  gitFiles: Set<string>;
};

/** A stage's dvc.lock entry: as loaded, or as this run last wrote it. */
function lockOf(runner: Runner, stage: Stage): LockStage | undefined {
  return runner.project.locks.get(stage.dvcfile)?.stages.get(stage.name);
}

/** Forgets the hashes of a stage's outputs (they were just rewritten). */
function forgetOutputs(runner: Runner, stage: Stage): void {
  for (const out of stage.outs) {
    for (const key of runner.status.hashes.keys()) {
      if (key === out.absolute || key.startsWith(`${out.absolute}${path.sep}`))
        runner.status.hashes.delete(key);
    }
  }
}

function recordLock(runner: Runner, stage: Stage, entry: LockStage): void {
  const file = lockPathFor(stage.dvcfile);
  const display = runner.project.repo.relative(file);
  const { created, changed } = writeLockStage(file, display, stage.name, entry);
  const locks = runner.project.locks;
  if (!locks.has(stage.dvcfile)) locks.set(stage.dvcfile, { file, stages: new Map() });
  locks.get(stage.dvcfile)!.stages.set(stage.name, entry);
  if (created) runner.output.out(`Generating lock file '${display}'`);
  if (changed) {
    runner.output.out(`Updating lock file '${display}'`);
    runner.gitFiles.add(display);
  }
}

/** Caches the cached outputs, git-ignores them; returns their hashes. */
function commitOutputs(runner: Runner, stage: Stage): Map<string, HashedPath> {
  const { repo } = runner.project;
  const outs = snapshotOuts(stage, runner.status);
  for (const out of stage.outs) {
    const hashed = outs.get(out.path);
    if (!hashed || !out.cache) continue;
    repo.cache.save(out.absolute, hashed.info, hashed.tree);
    const gitignore = ignoreOutput(out.absolute);
    if (gitignore) runner.gitFiles.add(repo.relative(gitignore));
  }
  return outs;
}

/** Checks out every output of a recorded entry, if the cache holds all of them. */
function restoreFrom(runner: Runner, stage: Stage, entry: LockStage): boolean {
  const { repo } = runner.project;
  const recorded = new Map((entry.outs ?? []).map((out) => [out.path, entryHash(out)]));
  const outs = stage.outs.filter((out) => !out.external);
  const complete = outs.every((out) => {
    const hash = recorded.get(out.path);
    return hash !== undefined && repo.cache.store.isComplete(hash.md5);
  });
  if (!complete) return false;
  runner.output.out(`Stage '${stage.addressing}' is cached - skipping run, checking out outputs`);
  for (const out of outs) {
    repo.cache.checkout(out.absolute, recorded.get(out.path)!, (file) => repo.hasher.hashFile(file).md5);
    if (out.cache) {
      const gitignore = ignoreOutput(out.absolute);
      if (gitignore) runner.gitFiles.add(repo.relative(gitignore));
    }
  }
  forgetOutputs(runner, stage);
  return true;
}

function removeOutputs(stage: Stage): void {
  for (const out of stage.outs) {
    if (out.external) continue;
    if (out.persist) {
      // A persisted output may be a link into the read-only cache: make it a writable copy.
      const stat = fs.lstatSync(out.absolute, { throwIfNoEntry: false });
      if (stat?.isSymbolicLink() || (stat?.isFile() && stat.nlink > 1)) {
        const temporary = `${out.absolute}.labkit-unprotect`;
        fs.copyFileSync(out.absolute, temporary);
        fs.chmodSync(temporary, 0o644);
        fs.renameSync(temporary, out.absolute);
      }
      continue;
    }
    fs.rmSync(out.absolute, { recursive: true, force: true });
  }
}

async function execute(runner: Runner, stage: Stage, lockHash: string): Promise<void> {
  const { repo } = runner.project;
  const logFile = runner.runs.logPath(stage.addressing);
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const logFd = fs.openSync(logFile, 'w');
  const startedAt = Date.now();
  const logDisplay = repo.relative(logFile);
  runner.runs.record(stage.addressing, { state: 'running', startedAt, log: logDisplay, pid: process.pid });
  fs.writeSync(
    logFd,
    `# labkit pipeline repro: stage '${stage.addressing}', started ${new Date(startedAt).toISOString()}\n`,
  );
  const env = {
    ...runner.options.env,
    LABKIT_PIPELINE_STAGE: stage.addressing,
    LABKIT_PIPELINE_LOCK_HASH: lockHash,
  };
  let exitCode = 0;
  let failed: string | undefined;
  try {
    runner.output.out(`Running stage '${stage.addressing}':`);
    for (const command of commandLines(stage)) {
      runner.output.out(`> ${command}`);
      fs.writeSync(logFd, `> ${command}\n`);
      const result = await runShellCommand(command, {
        cwd: stage.wdir,
        env,
        logFd,
        onLine: (line, stream) => (stream === 'stdout' ? runner.output.out(line) : runner.output.err(line)),
      });
      if (result.exitCode !== 0) {
        exitCode = result.exitCode;
        failed = command;
        break;
      }
    }
  } finally {
    const durationMs = Date.now() - startedAt;
    fs.writeSync(logFd, `# exited with ${exitCode} after ${(durationMs / 1000).toFixed(1)} s\n`);
    fs.closeSync(logFd);
    runner.runs.record(stage.addressing, {
      state: failed === undefined ? 'succeeded' : 'failed',
      startedAt,
      endedAt: startedAt + durationMs,
      durationMs,
      exitCode,
      log: logDisplay,
      pid: process.pid,
    });
  }
  if (failed !== undefined) {
    throw new StageError(
      `failed to run: ${failed}, exited with ${exitCode} (${stage.dvcfileDisplay}, stage '${stage.name}', cmd). ` +
        `Its output is in ${logDisplay}.`,
    );
  }
}

async function reproduceStage(
  runner: Runner,
  stage: Stage,
  upstreamWouldRun: boolean,
): Promise<StageOutcome> {
  const { options, output } = runner;
  const lock = lockOf(runner, stage);
  const status = stageStatus(stage, lock, runner.status);
  if (stage.frozen) {
    output.err(
      `WARNING: stage: '${stage.addressing}' is frozen. Its dependencies are not going to be reproduced.`,
    );
    if (status.changed) {
      output.out(`Stage '${stage.addressing}' is frozen: its command is not run.`);
      return 'frozen';
    }
    output.out(`Stage '${stage.addressing}' didn't change, skipping`);
    return 'skipped';
  }
  if (!options.force && !status.changed && !upstreamWouldRun) {
    output.out(`Stage '${stage.addressing}' didn't change, skipping`);
    return 'skipped';
  }
  const [external] = status.external;
  if (external !== undefined) {
    const field = stage.deps.some((dep) => dep.path === external) ? 'deps' : 'outs';
    throw new StageError(
      `labkit cannot reach '${external}' (${stage.dvcfileDisplay}, stage '${stage.name}', ${field}): ` +
        'remote dependencies and outputs (s3://, https://…) are not supported.',
    );
  }
  if (options.dry) {
    output.out(`Running stage '${stage.addressing}':`);
    for (const command of commandLines(stage)) output.out(`> ${command}`);
    return 'would run';
  }
  const inputs = inputsEntry(stage, runner.status);
  const lockHash = runCacheKey(inputs);
  if (!options.force) {
    const inputsUnchanged =
      lock !== undefined && !status.commandChanged && !status.deps.length && !status.params.length;
    if (inputsUnchanged && !status.alwaysChanged && restoreFrom(runner, stage, lock)) {
      recordLock(runner, stage, fullEntry(stage, runner.status, snapshotOuts(stage, runner.status)));
      return 'restored';
    }
    if (options.runCache !== false && canUseRunCache(stage)) {
      for (const entry of runner.runCache.load(lockHash)) {
        if (restoreFrom(runner, stage, entry)) {
          recordLock(runner, stage, fullEntry(stage, runner.status, commitOutputs(runner, stage)));
          return 'restored';
        }
      }
    }
  }
  removeOutputs(stage);
  forgetOutputs(runner, stage);
  await execute(runner, stage, lockHash);
  forgetOutputs(runner, stage);
  const outs = commitOutputs(runner, stage);
  const entry = fullEntry(stage, runner.status, outs);
  if (canUseRunCache(stage)) {
    // As DVC does for the run-cache, outputs kept out of the cache are stored too, so a restore brings them back.
    for (const out of stage.outs) {
      const hashed = outs.get(out.path);
      if (hashed && !out.cache) runner.project.repo.cache.save(out.absolute, hashed.info, hashed.tree);
    }
    runner.runCache.save(entry);
  }
  recordLock(runner, stage, entry);
  return 'ran';
}

/** Runs the plan; stages start when what they need has finished, at most `jobs` at a time. */
export async function reproduce(
  project: Project,
  dag: Dag,
  options: ReproOptions,
  output: ReproOutput,
): Promise<ReproResult> {
  const plan = planRepro(project, dag, options);
  const planned = new Set(plan.map((stage) => stage.addressing));
  const runner: Runner = {
    project,
    options,
    output,
    status: { repo: project.repo, files: project.paramsFiles, hashes: new Map() },
    runCache: new RunCache(project.repo.cacheDir),
    runs: new RunStateStore(project.repo),
    gitFiles: new Set(),
  };
  const outcomes = new Map<string, StageOutcome>();
  const jobs = Math.max(1, options.jobs ?? 1);
  const running = new Map<string, Promise<void>>();
  const waiting = [...plan];
  let failure: ReproResult['failure'];

  const upstreamOf = (stage: Stage) =>
    [...(dag.upstream.get(stage.addressing) ?? [])].filter((id) => planned.has(id));
  const ready = (stage: Stage) => upstreamOf(stage).every((id) => outcomes.has(id));
  const runPlan = async () => {
    while ((waiting.length > 0 && !failure) || running.size > 0) {
      while (!failure && running.size < jobs) {
        const index = waiting.findIndex(ready);
        if (index === -1) break;
        const [stage] = waiting.splice(index, 1) as [Stage];
        const upstreamWouldRun = upstreamOf(stage).some((id) => outcomes.get(id) === 'would run');
        const task = reproduceStage(runner, stage, upstreamWouldRun)
          .then((outcome) => {
            outcomes.set(stage.addressing, outcome);
          })
          .catch((error: unknown) => {
            if (!(error instanceof StageError)) throw error;
            failure ??= { stage: stage.addressing, message: error.message };
          })
          .finally(() => running.delete(stage.addressing));
        running.set(stage.addressing, task);
      }
      if (running.size === 0) break;
      await Promise.race(running.values());
    }
  };
  // Two repro at once would race over the same outputs: the second is refused, as DVC's lock does.
  const release = options.dry ? () => {} : acquireReproLock(project.repo);
  try {
    await runPlan();
  } finally {
    release();
    project.repo.close();
  }

  if (!options.dry && !failure) {
    const reproduced = [...outcomes.values()].some((outcome) => outcome === 'ran' || outcome === 'restored');
    if (!reproduced) {
      output.out('Data and pipelines are up to date.');
    } else {
      if (runner.gitFiles.size && gitTopLevel(project.repo.root)) {
        output.out('');
        output.out('To track the changes with git, run:');
        output.out('');
        output.out(`\tgit add ${[...runner.gitFiles].sort().join(' ')}`);
      }
      output.out('Use `labkit data push` to send your updates to remote storage.');
    }
  }
  const result: ReproResult = { outcomes, gitFiles: [...runner.gitFiles].sort() };
  if (failure) result.failure = failure;
  return result;
}
