/**
 * The labs as shipped (and the test fixtures): each lab.yaml validates, its steps compile through
 * the chapters' MDX pipeline, and chapters and labs point at each other consistently.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultChaptersDir, loadChapters } from '@/lib/content/chapters';
import { compileMdx } from '@/lib/content/compile';
import { listLabIds, loadLab, validateLabs } from '@/lab-runner/api/lab-loader';

const root = process.cwd();
const labsDir = path.join(root, 'labs');
const fixturesDir = path.join(root, 'tests', 'fixtures', 'labs');
const chapters = loadChapters();

describe.each(listLabIds(labsDir))('lab %s', (labId) => {
  const lab = loadLab(labId, { labsDir, chaptersDir: defaultChaptersDir, root });

  it('belongs to a chapter that lists it', () => {
    const chapter = chapters.find((c) => c.slug === lab.chapter);
    expect(chapter?.labs).toContain(lab.id);
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
  it('are valid labs', () => {
    const { problems, labs } = validateLabs({ labsDir: fixturesDir, chaptersDir: defaultChaptersDir, root });
    expect(problems.map((p) => p.message)).toEqual([]);
    expect(labs.length).toBeGreaterThanOrEqual(3);
  });
});
