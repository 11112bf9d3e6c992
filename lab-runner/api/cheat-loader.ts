/**
 * Reads and validates a lab's cheats, `labs/<id>/cheats/<step-id>/<cheat-name>/`: a `cheat.yaml`
 * (cheat-schema.ts) and the files the cheat overlays onto the learner's workspace. Kept apart from
 * lab-loader.ts because only authors' tools read cheats (the content tests and the lab self-test);
 * the runner and the web app never do. Every problem is a ContentError naming the file and field.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ContentError } from './content-error';
import { cheatNameSchema, cheatSchema, type CheatDefinition } from './cheat-schema';
import { readFolder, type Lab, type LabFile } from './lab-loader';
import { maxEditableFileBytes } from './requests';
import { firstIssue } from './zod-issues';

export type Cheat = CheatDefinition & {
  stepId: string;
  /** The cheat's folder name. */
  name: string;
  /** Files overlaid onto the workspace at the same relative paths: the folder minus cheat.yaml. */
  files: LabFile[];
};

const cheatFile = 'cheat.yaml';

function entries(dir: string): fs.Dirent[] {
  return fs
    .readdirSync(/*turbopackIgnore: true*/ dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Every cheat of `lab`, in step order then by name; `[]` when it has no cheats/ folder. Throws a
 * ContentError on the first problem. Paths in messages are relative to `root` (the project root).
 */
export function loadCheats(lab: Lab, options: { root?: string } = {}): Cheat[] {
  const root = options.root ?? process.cwd();
  const shown = (file: string) => path.relative(root, file) || file;
  const cheatsDir = path.join(lab.dir, 'cheats');
  if (!fs.existsSync(/*turbopackIgnore: true*/ cheatsDir)) return [];

  const byStep = new Map<string, Cheat[]>();
  for (const stepEntry of entries(cheatsDir)) {
    const stepDir = path.join(cheatsDir, stepEntry.name);
    if (stepEntry.isSymbolicLink()) continue;
    if (!stepEntry.isDirectory()) {
      throw new ContentError(shown(stepDir), undefined, 'cheats/ holds one folder per step, named by its id');
    }
    if (!lab.steps.some((step) => step.id === stepEntry.name)) {
      const known = lab.steps.map((step) => step.id).join(', ');
      throw new ContentError(
        shown(stepDir),
        undefined,
        `there is no step "${stepEntry.name}" in lab.yaml (steps: ${known})`,
      );
    }
    const cheats = entries(stepDir)
      .filter((entry) => !entry.isSymbolicLink())
      .map((entry) => loadCheat(path.join(stepDir, entry.name), stepEntry.name, entry, shown));
    byStep.set(stepEntry.name, cheats);
  }
  return lab.steps.flatMap((step) => byStep.get(step.id) ?? []);
}

function loadCheat(dir: string, stepId: string, entry: fs.Dirent, shown: (file: string) => string): Cheat {
  if (!entry.isDirectory()) {
    throw new ContentError(shown(dir), undefined, 'a step folder of cheats/ holds one folder per cheat');
  }
  if (!cheatNameSchema.safeParse(entry.name).success) {
    throw new ContentError(
      shown(dir),
      undefined,
      'a cheat folder name must be kebab-case, at most 64 characters (such as constant-metrics)',
    );
  }
  const yamlFile = path.join(dir, cheatFile);
  const problem = (field: string | undefined, detail: string) =>
    new ContentError(shown(yamlFile), field, detail);
  if (!fs.lstatSync(/*turbopackIgnore: true*/ yamlFile, { throwIfNoEntry: false })?.isFile()) {
    throw problem(undefined, 'file not found');
  }
  let raw: unknown;
  try {
    raw = parseYaml(fs.readFileSync(/*turbopackIgnore: true*/ yamlFile, 'utf8'));
  } catch (error) {
    throw problem(undefined, `is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  const parsed = cheatSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const { field, message } = firstIssue(parsed.error);
    throw problem(field || undefined, message);
  }

  const files = readFolder(dir).filter((file) => file.path !== cheatFile);
  for (const file of files) {
    if (file.content.length > maxEditableFileBytes) {
      throw new ContentError(
        shown(path.join(dir, file.path)),
        undefined,
        `is larger than ${maxEditableFileBytes / 1024 / 1024} MiB (a cheat's files are written like a solution's)`,
      );
    }
  }
  if (files.length === 0 && parsed.data.setup.length === 0) {
    throw problem(
      'setup',
      'the cheat overlays no file and has no setup: add the files it plants beside cheat.yaml, or a setup',
    );
  }
  return { ...parsed.data, stepId, name: entry.name, files };
}
