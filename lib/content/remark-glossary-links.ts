/**
 * Links the first use of each glossary term in a chapter to its entry on /learn/glossary, with the
 * definition as the link's title. Headings, links, code and inline code are left alone.
 */
import type { Link, Root, Text } from 'mdast';
import type { Plugin } from 'unified';
import { SKIP, visitParents } from 'unist-util-visit-parents';
import type { GlossaryTerm } from './glossary';

const untouchable = new Set(['heading', 'link', 'linkReference', 'inlineCode', 'code', 'definition']);

type Matcher = { term: GlossaryTerm; patterns: RegExp[] };

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function glossaryMatchers(terms: GlossaryTerm[]): Matcher[] {
  return terms.map((term) => {
    const aliases = [...term.aliases].sort((a, b) => b.length - a.length);
    const sensitive = aliases.filter((alias) => /[A-Z]/.test(alias)).map(escapeRegExp);
    const insensitive = aliases.filter((alias) => !/[A-Z]/.test(alias)).map(escapeRegExp);
    // Letters, digits and hyphens around a match mean it is part of a longer word.
    const around = (body: string) => `(?<![\\p{L}\\p{N}-])(?:${body})(?![\\p{L}\\p{N}-])`;
    const patterns = [
      sensitive.length ? new RegExp(around(sensitive.join('|')), 'u') : undefined,
      insensitive.length ? new RegExp(around(insensitive.join('|')), 'iu') : undefined,
    ].filter((pattern): pattern is RegExp => pattern !== undefined);
    return { term, patterns };
  });
}

export const remarkGlossaryLinks: Plugin<[{ terms: GlossaryTerm[] }], Root> = ({ terms }) => {
  const matchers = glossaryMatchers(terms);
  return (tree) => {
    const linked = new Set<string>();
    visitParents(tree, 'text', (node: Text, ancestors) => {
      if (ancestors.some((ancestor) => untouchable.has(ancestor.type))) return;
      const parent = ancestors[ancestors.length - 1] as { children: unknown[] } | undefined;
      if (!parent) return;
      // Earliest match among the terms not linked yet in this chapter.
      let best: { index: number; text: string; term: GlossaryTerm } | undefined;
      for (const { term, patterns } of matchers) {
        if (linked.has(term.id)) continue;
        for (const pattern of patterns) {
          const match = pattern.exec(node.value);
          if (match && (best === undefined || match.index < best.index)) {
            best = { index: match.index, text: match[0], term };
          }
        }
      }
      if (!best) return;
      linked.add(best.term.id);
      const link: Link = {
        type: 'link',
        url: `/learn/glossary#${best.term.id}`,
        title: best.term.definition,
        data: { hProperties: { className: ['glossary-link'] } },
        children: [{ type: 'text', value: best.text }],
      };
      const before: Text = { type: 'text', value: node.value.slice(0, best.index) };
      const after: Text = { type: 'text', value: node.value.slice(best.index + best.text.length) };
      const index = parent.children.indexOf(node);
      parent.children.splice(index, 1, ...[before, link, after].filter((n) => n.type === 'link' || (n as Text).value));
      // Continue with the text after the link (other terms may appear in it).
      return [SKIP, index + (before.value ? 2 : 1)];
    });
  };
};
