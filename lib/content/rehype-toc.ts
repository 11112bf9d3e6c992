/** Collects `h2`/`h3` headings (after rehype-slug gave them ids) into a table of contents. */
import type { Element, Root } from 'hast';
import { toString } from 'hast-util-to-string';
import type { Plugin } from 'unified';
import { visit } from 'unist-util-visit';

export type TocEntry = { id: string; text: string; depth: 2 | 3 };

export const rehypeToc: Plugin<[{ into: TocEntry[] }], Root> = (options) => (tree) => {
  visit(tree, 'element', (node: Element) => {
    if (node.tagName !== 'h2' && node.tagName !== 'h3') return;
    const id = node.properties?.id;
    if (typeof id !== 'string') return;
    options.into.push({ id, text: toString(node).trim(), depth: node.tagName === 'h2' ? 2 : 3 });
  });
};
