/**
 * Turns fenced blocks that are really components into MDX elements:
 *   ```mermaid  → <Mermaid chart="…" />   (rendered to SVG in the browser; source readable without JS)
 *   ```quiz     → <Quiz quiz="{json}" />  (YAML validated against quizSchema at build time)
 * Problems are collected as ContentErrors rather than thrown, so the caller can report them cleanly.
 */
import type { Code, Root } from 'mdast';
import type { Plugin } from 'unified';
import { visit } from 'unist-util-visit';
import { parse as parseYaml } from 'yaml';
import { ContentError } from '@/lab-runner/api/content-error';
import { quizSchema, type Quiz } from './quiz-schema';
import { firstIssue } from '@/lab-runner/api/zod-issues';

export type FencedComponentsOptions = {
  /** File name used in messages. */
  file: string;
  /** Where problems are reported. */
  problems: ContentError[];
  /** Filled with every quiz found, in order. */
  quizzes?: Quiz[];
  /** Filled with every diagram source found, in order. */
  diagrams?: string[];
};

function jsxElement(name: string, attributes: Record<string, string>) {
  return {
    type: 'mdxJsxFlowElement',
    name,
    attributes: Object.entries(attributes).map(([key, value]) => ({ type: 'mdxJsxAttribute', name: key, value })),
    children: [],
  };
}

export function parseQuizBlock(yamlSource: string, file: string, line: number): Quiz {
  let data: unknown;
  try {
    data = parseYaml(yamlSource);
  } catch (error) {
    throw new ContentError(file, 'quiz', `line ${line}: not valid YAML: ${(error as Error).message}`);
  }
  const parsed = quizSchema.safeParse(data);
  if (!parsed.success) {
    const { field, message } = firstIssue(parsed.error);
    throw new ContentError(file, field ? `quiz.${field}` : 'quiz', `line ${line}: ${message}`);
  }
  return parsed.data;
}

export const remarkFencedComponents: Plugin<[FencedComponentsOptions], Root> = (options) => (tree) => {
  visit(tree, 'code', (node: Code, index, parent) => {
    if (!parent || index === undefined) return;
    const line = node.position?.start.line ?? 0;
    if (node.lang === 'mermaid') {
      options.diagrams?.push(node.value);
      parent.children[index] = jsxElement('Mermaid', { chart: node.value }) as never;
    } else if (node.lang === 'quiz') {
      try {
        const quiz = parseQuizBlock(node.value, options.file, line);
        options.quizzes?.push(quiz);
        parent.children[index] = jsxElement('Quiz', { quiz: JSON.stringify(quiz) }) as never;
      } catch (error) {
        if (!(error instanceof ContentError)) throw error;
        options.problems.push(error);
      }
    }
  });
};
