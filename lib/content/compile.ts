/**
 * Compiles a chapter's MDX with mdx-bundler (esbuild + MDX 3) at build time: GFM tables, fenced
 * Mermaid and quiz blocks turned into components, heading ids, a table of contents and code blocks
 * highlighted with Shiki in a light and a dark theme.
 */
import path from 'node:path';
import rehypeShiki from '@shikijs/rehype';
import { bundleMDX } from 'mdx-bundler';
import rehypeSlug from 'rehype-slug';
import remarkGfm from 'remark-gfm';
import type { Chapter } from './chapters';
import { ContentError } from './errors';
import type { Quiz } from './quiz-schema';
import { rehypeToc, type TocEntry } from './rehype-toc';
import { remarkFencedComponents } from './remark-fenced-components';

export type CompiledChapter = {
  /** Function body produced by mdx-bundler; render with components/mdx/MdxContent. */
  code: string;
  toc: TocEntry[];
  quizzes: Quiz[];
  diagrams: string[];
};

/** Languages highlighted in course and lab text; anything else falls back to plain text. */
const highlightedLanguages = [
  'python',
  'yaml',
  'json',
  'bash',
  'shellsession',
  'typescript',
  'javascript',
  'sql',
  'dockerfile',
  'toml',
  'ini',
  'diff',
  'text',
];

type EsbuildFailure = { errors?: { text: string; location?: { line: number } | null }[] };

export async function compileChapter(chapter: Pick<Chapter, 'source' | 'file' | 'absolutePath'>) {
  const problems: ContentError[] = [];
  const toc: TocEntry[] = [];
  const quizzes: Quiz[] = [];
  const diagrams: string[] = [];

  let code: string;
  try {
    ({ code } = await bundleMDX({
      source: chapter.source,
      cwd: path.dirname(chapter.absolutePath),
      mdxOptions(options) {
        options.remarkPlugins = [
          ...(options.remarkPlugins ?? []),
          remarkGfm,
          [remarkFencedComponents, { file: chapter.file, problems, quizzes, diagrams }],
        ];
        options.rehypePlugins = [
          ...(options.rehypePlugins ?? []),
          rehypeSlug,
          [rehypeToc, { into: toc }],
          [
            rehypeShiki,
            {
              themes: { light: 'github-light', dark: 'github-dark' },
              langs: highlightedLanguages,
              fallbackLanguage: 'text',
              defaultLanguage: 'text',
              addLanguageClass: true,
            },
          ],
        ];
        return options;
      },
    }));
  } catch (error) {
    if (problems[0]) throw problems[0];
    const first = (error as EsbuildFailure).errors?.[0];
    if (first) {
      const where = first.location ? `line ${first.location.line}: ` : '';
      throw new ContentError(chapter.file, undefined, `${where}${first.text}`);
    }
    throw error;
  }
  if (problems[0]) throw problems[0];
  return { code, toc, quizzes, diagrams } satisfies CompiledChapter;
}
