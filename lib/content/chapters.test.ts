import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirsForEachTest } from '@/tests/support/temp-dir';
import { loadChapter, loadChapters, neighboursOf } from './chapters';
import { ContentError } from '@/lab-runner/api/content-error';

const validFrontmatter = {
  title: 'A valid chapter',
  summary: 'A chapter used by the tests to check loading.',
  order: 1,
  difficulty: 'beginner',
  minutes: 12,
  objectives: ['Explain what a test chapter is'],
  labs: ['reproducible-training'],
  maturityLevel: 0,
};

function chapterSource(frontmatter: Record<string, unknown>, body = '## Hello\n\nText.\n'): string {
  const yaml = Object.entries(frontmatter)
    .map(([key, value]) => `${key}: ${JSON.stringify(value)}`)
    .join('\n');
  return `---\n${yaml}\n---\n\n${body}`;
}

const makeDir = tempDirsForEachTest();

function writeChapters(files: Record<string, string>): string {
  const dir = makeDir();
  for (const [name, source] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), source);
  return dir;
}

function loadError(dir: string): ContentError {
  try {
    loadChapters(dir);
  } catch (error) {
    expect(error).toBeInstanceOf(ContentError);
    return error as ContentError;
  }
  throw new Error('expected loadChapters to fail');
}

describe('loadChapters', () => {
  it('loads a valid chapter with its slug, metadata and source', () => {
    const dir = writeChapters({ '01-valid-chapter.mdx': chapterSource(validFrontmatter) });
    const [chapter] = loadChapters(dir);
    expect(chapter).toMatchObject({ ...validFrontmatter, slug: '01-valid-chapter' });
    expect(chapter?.source).toContain('## Hello');
  });

  it('sorts chapters by order and links neighbours', () => {
    const dir = writeChapters({
      '02-second.mdx': chapterSource({ ...validFrontmatter, order: 2, title: 'Second' }),
      '01-first.mdx': chapterSource({ ...validFrontmatter, order: 1, title: 'First' }),
      '03-third.mdx': chapterSource({ ...validFrontmatter, order: 3, title: 'Third' }),
    });
    const chapters = loadChapters(dir);
    expect(chapters.map((c) => c.slug)).toEqual(['01-first', '02-second', '03-third']);
    const { previous, next } = neighboursOf(chapters, '02-second');
    expect(previous?.slug).toBe('01-first');
    expect(next?.slug).toBe('03-third');
    expect(neighboursOf(chapters, '01-first').previous).toBeUndefined();
  });

  it('defaults labs to an empty list', () => {
    const { labs: _labs, ...withoutLabs } = validFrontmatter;
    const dir = writeChapters({ '01-no-labs.mdx': chapterSource(withoutLabs) });
    expect(loadChapters(dir)[0]?.labs).toEqual([]);
  });

  it.each([
    ['a missing required field', { title: undefined }, 'title', /expected string/i],
    ['a field of the wrong type', { minutes: 'twelve' }, 'minutes', /expected number/i],
    ['an unknown difficulty', { difficulty: 'expert' }, 'difficulty', /beginner|intermediate|advanced/],
    ['an empty objectives list', { objectives: [] }, 'objectives', /too small|at least/i],
    ['a lab id that is not kebab-case', { labs: ['Reproducible Training'] }, 'labs.0', /kebab-case/],
    ['an unknown field (a typo)', { minuts: 5 }, '', /minuts/],
    ['a fractional order', { order: 1.5 }, 'order', /integer|int/i],
    ['a maturity level outside 0–2', { maturityLevel: 3 }, 'maturityLevel', /invalid|expected/i],
  ])('rejects %s, naming the file and the field', (_label, change, field, message) => {
    const frontmatter: Record<string, unknown> = { ...validFrontmatter, ...change };
    for (const key of Object.keys(frontmatter)) if (frontmatter[key] === undefined) delete frontmatter[key];
    const dir = writeChapters({ '01-broken.mdx': chapterSource(frontmatter) });
    const error = loadError(dir);
    expect(error.file).toMatch(/01-broken\.mdx$/);
    if (field) expect(error.field).toBe(field);
    expect(error.message).toMatch(message);
    expect(error.message).toContain('01-broken.mdx');
  });

  it('rejects frontmatter that is not valid YAML', () => {
    const dir = writeChapters({ '01-bad-yaml.mdx': '---\ntitle: [unclosed\n---\n\nText\n' });
    expect(loadError(dir).message).toMatch(/01-bad-yaml\.mdx: frontmatter is not valid YAML/);
  });

  it('rejects a chapter without frontmatter', () => {
    const dir = writeChapters({ '01-bare.mdx': '## Just text\n' });
    expect(loadError(dir).message).toMatch(/01-bare\.mdx: starts without a frontmatter block/);
  });

  it('rejects a file name that is not NN-slug.mdx', () => {
    const dir = writeChapters({ 'Intro Chapter.mdx': chapterSource(validFrontmatter) });
    expect(loadError(dir).message).toMatch(/Intro Chapter\.mdx: file name must look like NN-slug\.mdx/);
  });

  it('rejects an order that disagrees with the file name', () => {
    const dir = writeChapters({ '02-misnumbered.mdx': chapterSource({ ...validFrontmatter, order: 3 }) });
    const error = loadError(dir);
    expect(error.field).toBe('order');
    expect(error.message).toMatch(/is 3 but the file name starts with 02/);
  });

  it('rejects two chapters with the same order, naming both files', () => {
    const dir = writeChapters({
      '01-first.mdx': chapterSource(validFrontmatter),
      '01-also-first.mdx': chapterSource(validFrontmatter),
    });
    const error = loadError(dir);
    expect(error.field).toBe('order');
    expect(error.message).toMatch(/01-(also-)?first\.mdx: field "order": 1 is also used by .*01-(also-)?first\.mdx/);
  });

  it('reports a missing chapters folder', () => {
    const missing = path.join(makeDir(), 'does-not-exist');
    expect(loadError(missing).message).toMatch(/does-not-exist: chapters folder not found/);
  });
});

describe('loadChapter', () => {
  it('loads one chapter by slug', () => {
    const dir = writeChapters({ '01-valid-chapter.mdx': chapterSource(validFrontmatter) });
    expect(loadChapter('01-valid-chapter', dir).title).toBe('A valid chapter');
  });

  it('reports a missing file by the path it expected', () => {
    const dir = writeChapters({});
    expect(() => loadChapter('07-missing', dir)).toThrowError(/07-missing\.mdx: chapter file not found/);
  });

  it('refuses slugs that could escape the chapters folder', () => {
    const dir = writeChapters({ '01-valid-chapter.mdx': chapterSource(validFrontmatter) });
    expect(() => loadChapter('../01-valid-chapter', dir)).toThrowError(ContentError);
  });
});
