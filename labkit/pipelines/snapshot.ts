/**
 * A stage's lock entry taken from the workspace as it is now: each dependency's hash, each
 * parameter's value and (after a run) each output's hash. Something that should be there and is
 * not is an error naming the dvc.yaml, the stage and the field, in DVC's words where it has them
 * (`Parameters 'lr' are missing from 'params.yaml'.`).
 */
import type { HashedPath } from '../data/hash';
import { buildLockStage, lockEntry, type LockEntry, type LockParams, type LockStage } from './lockfile';
import { currentHash, readParamValues, type StatusContext } from './stage-status';
import type { Stage } from './stage';

export class StageError extends Error {
  override name = 'StageError';
}

function where(stage: Stage, field: string): string {
  return `(${stage.dvcfileDisplay}, stage '${stage.name}', ${field})`;
}

/** Current hashes of the dependencies; a missing one is a `StageError`. */
export function snapshotDeps(stage: Stage, context: StatusContext): LockEntry[] {
  const missing = stage.deps.filter((dep) => !dep.external && !currentHash(context, dep.absolute));
  if (missing.length) {
    const names = missing.map((dep) => `'${dep.path}'`).join(', ');
    throw new StageError(
      `missing ${missing.length > 1 ? 'dependencies' : 'dependency'} ${names} ${where(stage, 'deps')}: ` +
        'no stage produces it and it is not in the workspace.',
    );
  }
  return stage.deps
    .filter((dep) => !dep.external)
    .map((dep) => lockEntry(dep.path, currentHash(context, dep.absolute)!.info));
}

/** Current values of the parameters; a missing file or key is a `StageError`. */
export function snapshotParams(stage: Stage, context: StatusContext): LockParams {
  const params: LockParams = {};
  for (const dep of stage.params) {
    const display = context.repo.relative(dep.absolute);
    const current = readParamValues(dep, context.files, display);
    if (!current) {
      throw new StageError(`Parameters file '${display}' does not exist ${where(stage, 'params')}.`);
    }
    if (current.missing.length) {
      const keys = current.missing.map((key) => `'${key}'`).join(', ');
      throw new StageError(`Parameters ${keys} are missing from '${display}' ${where(stage, 'params')}.`);
    }
    params[dep.file] = current.values;
  }
  return params;
}

/** Current hashes of the outputs (with directory listings); a missing one is a `StageError`. */
export function snapshotOuts(stage: Stage, context: StatusContext): Map<string, HashedPath> {
  const hashed = new Map<string, HashedPath>();
  for (const out of stage.outs) {
    if (out.external) continue;
    const current = currentHash(context, out.absolute);
    if (!current) throw new StageError(`output '${out.path}' does not exist ${where(stage, out.kind)}.`);
    hashed.set(out.path, current);
  }
  return hashed;
}

/** The entry keyed for the run-cache and `LABKIT_PIPELINE_LOCK_HASH`: outputs by path only. */
export function inputsEntry(stage: Stage, context: StatusContext): LockStage {
  const outs = stage.outs.filter((out) => !out.external).map((out) => ({ path: out.path }));
  return buildLockStage(stage.cmd, snapshotDeps(stage, context), snapshotParams(stage, context), outs);
}

/** The full lock entry of a stage whose outputs are in place. */
export function fullEntry(stage: Stage, context: StatusContext, outs: Map<string, HashedPath>): LockStage {
  return buildLockStage(
    stage.cmd,
    snapshotDeps(stage, context),
    snapshotParams(stage, context),
    [...outs].map(([defPath, hashed]) => lockEntry(defPath, hashed.info)),
  );
}
