/**
 * What a command line's stage targets name, as DVC reads them: `train`; a foreach/matrix group
 * `build` (every `build@…`) or one member `build@us`; `sub/dvc.yaml:train`; a `dvc.yaml` path (all
 * its stages). With no target: the stages of the `dvc.yaml` in the current folder, or every stage
 * of the repository when that folder has none.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Stage } from './stage';

export class TargetError extends Error {
  override name = 'TargetError';
}

export function resolveTargets(stages: Stage[], targets: string[], cwd: string, root: string): Stage[] {
  if (targets.length === 0) {
    const local = path.join(cwd, 'dvc.yaml');
    const inCwd = stages.filter((stage) => stage.dvcfile === local);
    return inCwd.length ? inCwd : stages;
  }
  const chosen = new Set<Stage>();
  for (const target of targets) {
    const colon = target.lastIndexOf(':');
    let file: string | undefined;
    let name: string | undefined = target;
    if (colon > 0) {
      file = path.resolve(cwd, target.slice(0, colon));
      name = target.slice(colon + 1);
    } else if (
      target.endsWith('dvc.yaml') ||
      (fs.existsSync(path.resolve(cwd, target)) && target.includes('/'))
    ) {
      file = path.resolve(cwd, target);
      if (fs.statSync(file, { throwIfNoEntry: false })?.isDirectory()) file = path.join(file, 'dvc.yaml');
      name = undefined;
    }
    const inFile = file === undefined ? stages : stages.filter((stage) => stage.dvcfile === file);
    if (file !== undefined && inFile.length === 0) {
      throw new TargetError(`'${path.relative(root, file) || target}' has no stages (or does not exist).`);
    }
    const matches =
      name === undefined ? inFile : inFile.filter((stage) => stage.name === name || stage.group === name);
    const preferred =
      file === undefined && matches.some((stage) => stage.dvcfile === path.join(cwd, 'dvc.yaml'))
        ? matches.filter((stage) => stage.dvcfile === path.join(cwd, 'dvc.yaml'))
        : matches;
    if (preferred.length === 0) {
      const where = file ? path.relative(root, file) : 'dvc.yaml';
      throw new TargetError(`Stage '${name}' not found inside '${where}' file.`);
    }
    const files = new Set(preferred.map((stage) => stage.dvcfile));
    if (file === undefined && files.size > 1) {
      throw new TargetError(
        `'${target}' names stages in several files: ${preferred.map((stage) => stage.addressing).join(', ')}. Name one of them.`,
      );
    }
    for (const stage of preferred) chosen.add(stage);
  }
  return stages.filter((stage) => chosen.has(stage));
}
