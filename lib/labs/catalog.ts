/**
 * The labs of this platform, for the web app: validated through the shared loader, with their step
 * texts compiled by the chapters' MDX pipeline. Read once per server process in production.
 */
import 'server-only';
import fs from 'node:fs';
import path from 'node:path';
import { compileMdx } from '@/lib/content/compile';
import { getGlossary } from '@/lib/content/course';
import { projectRoot } from '@/lib/config';
import {
  labExists as labFolderExists,
  listLabIds,
  loadLab,
  readFolder,
  type Lab,
} from '@/lab-runner/api/lab-loader';
import type { LabHint } from '@/lab-runner/api/lab-schema';

export const defaultLabsDir = path.join(projectRoot, 'labs');
const chaptersDir = path.join(projectRoot, 'content', 'chapters');

const isCaching = process.env.NODE_ENV === 'production';
let labsCache: Lab[] | undefined;

export function labExists(labId: string, labsDir: string = defaultLabsDir): boolean {
  return labFolderExists(labId, labsDir);
}

/** "reproducible-training" → "Reproducible training". */
export function labTitleFromId(labId: string): string {
  const words = labId.split('-').join(' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function getLabs(): Lab[] {
  if (isCaching && labsCache) return labsCache;
  const labs = listLabIds(defaultLabsDir).map((id) =>
    loadLab(id, { labsDir: defaultLabsDir, chaptersDir, root: projectRoot }),
  );
  if (isCaching) labsCache = labs;
  return labs;
}

export function getLab(labId: string): Lab | undefined {
  return getLabs().find((lab) => lab.id === labId);
}

export type CompiledStep = {
  id: string;
  title: string;
  code: string;
  hints: LabHint[];
  autoCheck: boolean;
  /** The paths of the step's reference solution (what starting a later step writes). */
  solutionPaths: string[];
};

const compiledCache = new Map<string, Promise<CompiledStep[]>>();

async function compileSteps(lab: Lab): Promise<CompiledStep[]> {
  const glossary = getGlossary();
  return Promise.all(
    lab.steps.map(async (step) => {
      const absolutePath = path.join(lab.dir, step.body);
      const source = fs.readFileSync(/*turbopackIgnore: true*/ absolutePath, 'utf8');
      const { code } = await compileMdx(
        { source, file: path.relative(projectRoot, absolutePath), absolutePath },
        { glossary },
      );
      return {
        id: step.id,
        title: step.title,
        code,
        hints: step.hints,
        autoCheck: step.autoCheck,
        solutionPaths: solutionFiles(lab, step.id).map((file) => file.path),
      };
    }),
  );
}

export function getCompiledSteps(lab: Lab): Promise<CompiledStep[]> {
  if (!isCaching) return compileSteps(lab);
  let compiled = compiledCache.get(lab.id);
  if (!compiled) {
    compiled = compileSteps(lab);
    compiledCache.set(lab.id, compiled);
  }
  return compiled;
}

/**
 * What starting `stepId` writes into the workspace: the reference solutions of every step before
 * it, in order, a later step's file replacing an earlier one's. Sorted by path.
 */
export function referenceFilesBefore(lab: Lab, stepId: string): { path: string; content: string }[] {
  const index = lab.steps.findIndex((s) => s.id === stepId);
  const files = new Map<string, string>();
  for (const step of lab.steps.slice(0, Math.max(0, index))) {
    for (const file of solutionFiles(lab, step.id)) files.set(file.path, file.content);
  }
  return [...files]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([filePath, content]) => ({ path: filePath, content }));
}

/** A step's reference solution: its files, as text. */
export function solutionFiles(lab: Lab, stepId: string): { path: string; content: string }[] {
  const step = lab.steps.find((s) => s.id === stepId);
  if (!step) return [];
  return readFolder(path.join(lab.dir, step.solution)).map((file) => ({
    path: file.path,
    content: file.content.toString('utf8'),
  }));
}
