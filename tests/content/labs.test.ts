/**
 * The labs as shipped (and the test fixtures): each lab.yaml validates, and so do its cheats, its
 * steps compile through the chapters' MDX pipeline, chapters and labs point at each other
 * consistently, and no program hides inline in a step's runs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultChaptersDir, loadChapters } from '@/lib/content/chapters';
import { compileMdx } from '@/lib/content/compile';
import { loadCheats } from '@/lab-runner/api/cheat-loader';
import { listLabIds, loadLab, validateLabs } from '@/lab-runner/api/lab-loader';

const root = process.cwd();
const labsDir = path.join(root, 'labs');
const fixturesDir = path.join(root, 'tests', 'fixtures', 'labs');
const chapters = loadChapters();

describe.each(listLabIds(labsDir))('lab %s', (labId) => {
  const lab = loadLab(labId, { labsDir, chaptersDir: defaultChaptersDir, root });

  it('has valid cheats, if any (cheats/<step-id>/<cheat-name>/cheat.yaml and its files)', () => {
    expect(() => loadCheats(lab, { root })).not.toThrow();
  });

  // A check is only as good as the fakes it was tried against: every step ships at least three,
  // among them the three ways learners cheat most (labs:verify proves each one fails).
  it('ships at least three cheats per step: a hard-coded output, fake work and a skipped action', () => {
    const cheats = loadCheats(lab, { root });
    for (const step of lab.steps) {
      const ofStep = cheats.filter((cheat) => cheat.stepId === step.id);
      expect(ofStep.length, `step ${step.id}: cheats`).toBeGreaterThanOrEqual(3);
      const kinds = new Set(ofStep.map((cheat) => cheat.kind));
      for (const kind of ['hard-coded-output', 'fake-work', 'skipped-action'] as const) {
        expect(kinds.has(kind), `step ${step.id}: a cheat of kind ${kind}`).toBe(true);
      }
    }
  });

  it('belongs to a chapter that lists it', () => {
    const chapter = chapters.find((c) => c.slug === lab.chapter);
    expect(chapter?.labs).toContain(lab.id);
  });

  // A program written inline in lab.yaml is seen by no linter, formatter or test; as a script in
  // checks/ (`- script: checks/<file>.py`) it is. 120 characters fit a command such as
  // `python3 train.py --model boosting && python3 register_best.py` with room to spare.
  it('keeps every inline run to one line of at most 120 characters, programs being checks/ scripts', () => {
    for (const step of lab.steps) {
      step.runs.forEach((run, index) => {
        if (typeof run !== 'string') return;
        const where = `step ${step.id}, run ${index + 1}`;
        expect(run.includes('\n'), `${where} spans several lines`).toBe(false);
        expect(run.length, `${where} is longer than 120 characters`).toBeLessThanOrEqual(120);
      });
    }
  });

  it('has step texts that compile, with hints and a solution for every step', async () => {
    for (const step of lab.steps) {
      const absolutePath = path.join(lab.dir, step.body);
      const source = fs.readFileSync(absolutePath, 'utf8');
      await expect(compileMdx({ source, absolutePath, file: step.body })).resolves.toHaveProperty('code');
      expect(step.hints.length, `${step.id} hints`).toBeGreaterThan(0);
    }
  });
});

describe('test fixture labs', () => {
  it('are valid labs with valid cheats', () => {
    const { problems, labs } = validateLabs({ labsDir: fixturesDir, chaptersDir: defaultChaptersDir, root });
    expect(problems.map((p) => p.message)).toEqual([]);
    expect(labs.length).toBeGreaterThanOrEqual(3);
    for (const lab of labs) expect(() => loadCheats(lab, { root })).not.toThrow();
    const cheats = loadCheats(labs.find((lab) => lab.id === 'cheat-cases')!, { root });
    expect(cheats.map((cheat) => `${cheat.stepId}/${cheat.name}`)).toEqual([
      'count-lines/fixed-count',
      'count-lines/planted-helper',
      'count-lines/prints-only',
    ]);
  });
});
