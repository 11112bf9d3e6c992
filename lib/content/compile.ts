/**
 * Compiles the course's MDX, a chapter or a lab step, with mdx-bundler (esbuild + MDX 3) at build
 * time: GFM tables, fenced Mermaid and quiz blocks turned into components, heading ids, a table of
 * contents and code blocks highlighted with Shiki in a light and a dark theme.
 */
import path from 'node:path';
import rehypeShiki from '@shikijs/rehype';
import { bundleMDX } from 'mdx-bundler';
import rehypeSlug from 'rehype-slug';
import remarkGfm from 'remark-gfm';
import type { Chapter } from './chapters';
import { ContentError } from '@/lab-runner/api/content-error';
import type { GlossaryTerm } from './glossary';
import { remarkGlossaryLinks } from './remark-glossary-links';
import type { Quiz } from './quiz-schema';
import { rehypeToc, type TocEntry } from './rehype-toc';
import { remarkFencedComponents } from './remark-fenced-components';

export type CompiledMdx = {
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

type EsbuildMessage = { text: string; location?: { line: number } | null };
type EsbuildFailure = { errors?: EsbuildMessage[] };

/** "Cannot process MDX file with esbuild:\n  1:1: Expected a closing tag … (7:1-7:22)" → the last line's message. */
function errorText(message: EsbuildMessage): string {
  const lastLine = message.text.split('\n').map((line) => line.trim()).filter(Boolean).pop() ?? message.text;
  return lastLine.replace(/^\d+:\d+:\s*/, '');
}

/** MDX reports positions inside the text, e.g. "… (7:1-7:22)"; esbuild's own location is the entry point. */
function errorLine(message: EsbuildMessage): number {
  const mdxPosition = /\((\d+):\d+(?:-\d+:\d+)?\)/.exec(message.text);
  if (mdxPosition) return Number(mdxPosition[1]);
  return message.location?.line ?? 0;
}

/** An MDX file (its whole text, frontmatter included, and where it is) compiled for MdxContent. */
export async function compileMdx(
  mdx: Pick<Chapter, 'source' | 'file' | 'absolutePath'>,
  settings: { glossary?: GlossaryTerm[] } = {},
) {
  const problems: ContentError[] = [];
  const toc: TocEntry[] = [];
  const quizzes: Quiz[] = [];
  const diagrams: string[] = [];

  let code: string;
  try {
    ({ code } = await bundleMDX({
      source: mdx.source,
      cwd: path.dirname(mdx.absolutePath),
      esbuildOptions(options) {
        // Errors are reported once, as a ContentError, by the caller.
        options.logLevel = 'silent';
        return options;
      },
      mdxOptions(options) {
        options.remarkPlugins = [
          ...(options.remarkPlugins ?? []),
          remarkGfm,
          [remarkFencedComponents, { file: mdx.file, problems, quizzes, diagrams }],
          ...(settings.glossary ? [[remarkGlossaryLinks, { terms: settings.glossary }] as const] : []),
        ];
        options.rehypePlugins = [
          ...(options.rehypePlugins ?? []),
          rehypeSlug,
          [rehypeToc, { into: toc }],
          [
            rehypeShiki,
            {
              themes: { light: 'github-light-high-contrast', dark: 'github-dark-high-contrast' },
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
      throw new ContentError(mdx.file, undefined, `line ${errorLine(first)}: ${errorText(first)}`);
    }
    throw error;
  }
  if (problems[0]) throw problems[0];
  return { code, toc, quizzes, diagrams } satisfies CompiledMdx;
}
