/**
 * Reads and validates labs from `labs/<id>/`: the lab.yaml against the schema, then everything it
 * points at (step texts, checks, run scripts, solutions, starter files, chapter). Every problem is
 * a ContentError naming the file and field, so `npm test` and `next build` fail with a message an
 * author can act on. Plain Node: the web app, the lab runner and the scripts all use it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ContentError } from './content-error';
import { firstIssue } from './zod-issues';
import { availableServices, labIdSchema, labSchema, type LabDefinition } from './lab-schema';

export type Lab = LabDefinition & {
  /** Absolute path of the lab's folder. */
  dir: string;
};

export type LabFile = { path: string; content: Buffer; mode: number };

export type LoadOptions = {
  /** Folder holding `<id>/lab.yaml`. */
  labsDir: string;
  /** When given, the lab's chapter must exist there as `<chapter>.mdx`. */
  chaptersDir?: string;
  /** Paths in messages are relative to this folder (the project root). */
  root?: string;
};

/** Every file under `dir` (sorted, relative paths with `/`), regular files only, links skipped. */
export function readFolder(dir: string, prefix = ''): LabFile[] {
  if (!fs.existsSync(/*turbopackIgnore: true*/ dir)) return [];
  return fs
    .readdirSync(/*turbopackIgnore: true*/ dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
      const absolute = path.join(dir, entry.name);
      if (entry.isDirectory()) return readFolder(absolute, relative);
      if (!entry.isFile()) return [];
      const mode = fs.statSync(/*turbopackIgnore: true*/ absolute).mode & 0o111 ? 0o755 : 0o644;
      return [{ path: relative, content: fs.readFileSync(/*turbopackIgnore: true*/ absolute), mode }];
    });
}

/** Ids of the folders in `labsDir` that hold a lab.yaml, sorted. */
export function listLabIds(labsDir: string): string[] {
  if (!fs.existsSync(/*turbopackIgnore: true*/ labsDir)) return [];
  return fs
    .readdirSync(/*turbopackIgnore: true*/ labsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .filter((name) => fs.existsSync(/*turbopackIgnore: true*/ path.join(labsDir, name, 'lab.yaml')))
    .sort();
}

export function labExists(labId: string, labsDir: string): boolean {
  return (
    labIdSchema.safeParse(labId).success &&
    fs.existsSync(/*turbopackIgnore: true*/ path.join(labsDir, labId, 'lab.yaml'))
  );
}

/** A regular file, not a symbolic link (links are never copied into a sandbox). */
function isFile(file: string): boolean {
  try {
    return fs.lstatSync(/*turbopackIgnore: true*/ file).isFile();
  } catch {
    return false;
  }
}

/** Names the grader puts beside a check; a lab's own file of that name would be replaced. */
export const reservedCheckFiles = ['academy_check.py', 'academy_tracking.py', 'runs.json'];

/**
 * A run's script reaches its interpreter as one argument (`python3 -c <script>`), and Linux limits
 * one argument to 128 KiB; half of that leaves room and is far more than a run's program needs.
 */
export const maxRunScriptBytes = 64 * 1024;

/** Loads one lab; throws a ContentError on the first problem found. */
export function loadLab(labId: string, options: LoadOptions): Lab {
  const root = options.root ?? process.cwd();
  const dir = path.join(options.labsDir, labId);
  const yamlFile = path.join(dir, 'lab.yaml');
  const shown = (file: string) => path.relative(root, file) || file;
  const problem = (field: string | undefined, detail: string) =>
    new ContentError(shown(yamlFile), field, detail);

  if (!labIdSchema.safeParse(labId).success) {
    throw new ContentError(shown(dir), undefined, 'a lab folder name must be a kebab-case lab id');
  }
  if (!isFile(yamlFile)) throw new ContentError(shown(yamlFile), undefined, 'file not found');

  let raw: unknown;
  try {
    raw = parseYaml(fs.readFileSync(/*turbopackIgnore: true*/ yamlFile, 'utf8'));
  } catch (error) {
    throw problem(undefined, `is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  const parsed = labSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const { field, message } = firstIssue(parsed.error);
    throw problem(field || undefined, message);
  }
  const lab = parsed.data;

  if (lab.id !== labId) throw problem('id', `is "${lab.id}" but the folder is labs/${labId}`);
  if (options.chaptersDir && !isFile(path.join(options.chaptersDir, `${lab.chapter}.mdx`))) {
    throw problem('chapter', `there is no chapter "${lab.chapter}" (content/chapters/${lab.chapter}.mdx)`);
  }
  lab.services.forEach((service, index) => {
    if (!availableServices.includes(service)) {
      const known = availableServices.join(', ');
      throw problem(`services.${index}`, `"${service}" is not a labkit service (available: ${known})`);
    }
  });
  const workspace = path.join(dir, 'workspace');
  if (!fs.existsSync(/*turbopackIgnore: true*/ workspace)) {
    throw problem(undefined, 'the lab has no workspace/ folder (the starter files)');
  }
  lab.open.forEach((file, index) => {
    if (!isFile(path.join(workspace, file)))
      throw problem(`open.${index}`, `workspace/${file} does not exist`);
  });

  for (const reserved of reservedCheckFiles) {
    if (fs.existsSync(/*turbopackIgnore: true*/ path.join(dir, 'checks', reserved))) {
      throw new ContentError(
        shown(path.join(dir, 'checks', reserved)),
        undefined,
        'this name is reserved for the grader',
      );
    }
  }

  const stepIds = new Set<string>();
  lab.steps.forEach((step, index) => {
    const field = (name: string) => `steps.${index}.${name}`;
    if (stepIds.has(step.id)) throw problem(field('id'), `"${step.id}" is used by two steps`);
    stepIds.add(step.id);
    if (!isFile(path.join(dir, step.body))) throw problem(field('body'), `${step.body} does not exist`);
    if (!isFile(path.join(dir, step.check))) throw problem(field('check'), `${step.check} does not exist`);
    step.runs.forEach((run, runIndex) => {
      if (typeof run === 'string') return;
      const script = path.join(dir, run.script);
      if (!isFile(script)) throw problem(field(`runs.${runIndex}.script`), `${run.script} does not exist`);
      if (fs.statSync(/*turbopackIgnore: true*/ script).size > maxRunScriptBytes) {
        throw problem(
          field(`runs.${runIndex}.script`),
          `${run.script} is larger than ${maxRunScriptBytes / 1024} KiB (it is passed to its interpreter as an argument)`,
        );
      }
    });
    const hintStates = new Set<string>();
    step.hints.forEach((hint, hintIndex) => {
      if (hint.when === undefined) return;
      if (hintStates.has(hint.when)) {
        throw problem(field(`hints.${hintIndex}.when`), `two hints are for the detail "${hint.when}"`);
      }
      hintStates.add(hint.when);
    });
    if (readFolder(path.join(dir, step.solution)).length === 0) {
      throw problem(field('solution'), `${step.solution}/ does not exist or holds no files`);
    }
  });
  return { ...lab, dir };
}

/** Every lab in `labsDir`, or the problems found (one per broken lab). */
export function validateLabs(options: LoadOptions): { labs: Lab[]; problems: ContentError[] } {
  const labs: Lab[] = [];
  const problems: ContentError[] = [];
  for (const id of listLabIds(options.labsDir)) {
    try {
      labs.push(loadLab(id, options));
    } catch (error) {
      if (!(error instanceof ContentError)) throw error;
      problems.push(error);
    }
  }
  return { labs, problems };
}
