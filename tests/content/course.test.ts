/**
 * The course as shipped: every chapter in content/chapters validates and compiles, and each meets
 * the bar chapter 1 sets for the others (prose length, diagrams, a quiz, a lab).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultChaptersDir, loadChapters, parseChapter } from '@/lib/content/chapters';
import { compileMdx } from '@/lib/content/compile';

// Each file on its own, so one broken chapter fails its own tests and not the others'.
const chapterFiles = fs
  .readdirSync(defaultChaptersDir)
  .filter((name) => name.endsWith('.mdx'))
  .sort();
const readChapter = (name: string) => {
  const absolutePath = path.join(defaultChaptersDir, name);
  return parseChapter(absolutePath, fs.readFileSync(absolutePath, 'utf8'));
};

/** Words of prose: frontmatter, fenced blocks, JSX tags and table pipes removed. */
function proseWordCount(source: string): number {
  const prose = source
    .replace(/^---[\s\S]*?\n---\n/, '')
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\|/g, ' ');
  return prose.split(/\s+/).filter((word) => /[A-Za-z]/.test(word)).length;
}

describe('the course content', () => {
  it('loads as a whole: valid chapters, unique orders, starting at 1', () => {
    const chapters = loadChapters();
    expect(chapters.length).toBe(chapterFiles.length);
    expect(chapters[0]?.order).toBe(1);
  });

  describe.each(chapterFiles.map((name) => [name.replace(/\.mdx$/, ''), name] as const))('%s', (_slug, name) => {
    const chapter = () => readChapter(name);

    it('compiles, with at least two diagrams, one quiz of 4–6 questions and a table of contents', async () => {
      const compiled = await compileMdx(chapter());
      expect(compiled.diagrams.length).toBeGreaterThanOrEqual(2);
      expect(compiled.quizzes).toHaveLength(1);
      expect(compiled.quizzes[0]!.questions.length).toBeGreaterThanOrEqual(4);
      expect(compiled.quizzes[0]!.questions.length).toBeLessThanOrEqual(6);
      expect(compiled.toc.length).toBeGreaterThanOrEqual(3);
    });

    it('has at least 1,500 words of prose and a comparison table', () => {
      expect(proseWordCount(chapter().source)).toBeGreaterThanOrEqual(1500);
      expect(chapter().source).toMatch(/^\|.*\|\s*\n\|\s*:?-{3,}/m);
    });

    it('links to every lab it lists in its frontmatter', () => {
      for (const lab of chapter().labs) expect(chapter().source).toContain(`<LabCard lab="${lab}"`);
    });
  });
});
