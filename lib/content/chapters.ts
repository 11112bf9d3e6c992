/**
 * Reads and validates the course's chapters: `content/chapters/NN-slug.mdx` with frontmatter.
 * Nothing here hard-codes a chapter; the files are the list.
 */
import fs from 'node:fs';
import path from 'node:path';
import matter from 'gray-matter';
import { projectRoot } from '@/lib/config';
import { chapterFileName, chapterFrontmatterSchema, type ChapterFrontmatter } from './chapter-schema';
import { ContentError } from '@/lab-runner/api/content-error';
import { firstIssue } from '@/lab-runner/api/zod-issues';

export const defaultChaptersDir = path.join(projectRoot, 'content', 'chapters');

export type Chapter = ChapterFrontmatter & {
  /** The file name without `.mdx`, e.g. `01-mlops-fundamentals`; also the URL segment. */
  slug: string;
  /** Path relative to the project root, for messages. */
  file: string;
  absolutePath: string;
  /** The whole file, frontmatter included, so compiler line numbers match the file. */
  source: string;
};

export function relativeToProject(absolutePath: string): string {
  return path.relative(projectRoot, absolutePath) || absolutePath;
}

export function parseChapter(absolutePath: string, source: string): Chapter {
  const file = relativeToProject(absolutePath);
  const fileName = path.basename(absolutePath);
  const nameMatch = chapterFileName.exec(fileName);
  if (!nameMatch) {
    throw new ContentError(file, undefined, 'file name must look like NN-slug.mdx, e.g. 01-mlops-fundamentals.mdx');
  }
  if (!/^---\r?\n/.test(source)) {
    throw new ContentError(file, undefined, 'starts without a frontmatter block (--- … ---)');
  }

  let data: unknown;
  try {
    data = matter(source).data;
  } catch (error) {
    throw new ContentError(file, undefined, `frontmatter is not valid YAML: ${(error as Error).message}`);
  }

  const parsed = chapterFrontmatterSchema.safeParse(data);
  if (!parsed.success) {
    const { field, message } = firstIssue(parsed.error);
    throw new ContentError(file, field || undefined, message);
  }
  const prefix = Number(nameMatch[1]);
  if (parsed.data.order !== prefix) {
    throw new ContentError(file, 'order', `is ${parsed.data.order} but the file name starts with ${nameMatch[1]}`);
  }

  return { ...parsed.data, slug: fileName.replace(/\.mdx$/, ''), file, absolutePath, source };
}

/** Every chapter in `dir`, validated and sorted by `order`. Throws a ContentError on the first problem. */
export function loadChapters(dir: string = defaultChaptersDir): Chapter[] {
  if (!fs.existsSync(/*turbopackIgnore: true*/ dir)) {
    throw new ContentError(relativeToProject(dir), undefined, 'chapters folder not found');
  }
  const chapters = fs
    .readdirSync(/*turbopackIgnore: true*/ dir)
    .filter((name) => name.endsWith('.mdx'))
    .map((name) => {
      const absolutePath = path.join(dir, name);
      return parseChapter(absolutePath, fs.readFileSync(/*turbopackIgnore: true*/ absolutePath, 'utf8'));
    })
    .sort((a, b) => a.order - b.order);

  for (let i = 1; i < chapters.length; i++) {
    const [previous, current] = [chapters[i - 1]!, chapters[i]!];
    if (previous.order === current.order) {
      throw new ContentError(current.file, 'order', `${current.order} is also used by ${previous.file}`);
    }
  }
  return chapters;
}

/** One chapter by slug, or a ContentError naming the file that was expected. */
export function loadChapter(slug: string, dir: string = defaultChaptersDir): Chapter {
  const absolutePath = path.join(dir, `${slug}.mdx`);
  if (!chapterFileName.test(`${slug}.mdx`) || !fs.existsSync(/*turbopackIgnore: true*/ absolutePath)) {
    throw new ContentError(relativeToProject(absolutePath), undefined, 'chapter file not found');
  }
  return parseChapter(absolutePath, fs.readFileSync(/*turbopackIgnore: true*/ absolutePath, 'utf8'));
}

export type ChapterNeighbours = { previous?: Chapter; next?: Chapter };

export function neighboursOf(chapters: Chapter[], slug: string): ChapterNeighbours {
  const index = chapters.findIndex((chapter) => chapter.slug === slug);
  if (index === -1) return {};
  return { previous: chapters[index - 1], next: chapters[index + 1] };
}
