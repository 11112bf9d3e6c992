/**
 * The search index: one document per chapter, per chapter section (## heading), per lab and per
 * glossary term, indexed with MiniSearch at build time and searched in the browser.
 */
import fs from 'node:fs';
import path from 'node:path';
import MiniSearch from 'minisearch';
import type { Lab } from '@/lab-runner/api/lab-loader';
import type { Chapter } from './chapters';
import type { GlossaryTerm } from './glossary';
import type { TocEntry } from './rehype-toc';
import { searchOptions, type SearchDocument } from './search-options';

export { searchOptions, type SearchDocument };

/** Markdown/MDX to plain words: no code, no tags, no markup. */
export function plainText(markdown: string): string {
  return markdown
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[`*_|#>]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function excerptOf(text: string, length = 160): string {
  return text.length <= length ? text : `${text.slice(0, length).replace(/\s+\S*$/, '')}…`;
}

/** The body split at `## ` headings that are not inside code fences. */
export function splitSections(source: string): { heading: string; body: string }[] {
  const body = source.replace(/^---[\s\S]*?\n---\n/, '');
  const sections: { heading: string; body: string }[] = [];
  let current: { heading: string; lines: string[] } | undefined;
  let isInFence = false;
  for (const line of body.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) isInFence = !isInFence;
    if (!isInFence && line.startsWith('## ')) {
      if (current) sections.push({ heading: current.heading, body: current.lines.join('\n') });
      current = { heading: line.slice(3).trim(), lines: [] };
    } else {
      current?.lines.push(line);
    }
  }
  if (current) sections.push({ heading: current.heading, body: current.lines.join('\n') });
  return sections;
}

/** A lab as the index needs it: what it is about and the words of its steps. */
export type SearchableLab = Pick<Lab, 'id' | 'title' | 'summary' | 'chapter'> & {
  steps: { title: string; text: string }[];
};

/** A lab with its step texts read from their files, as plain words. */
export function labSearchEntry(lab: Lab): SearchableLab {
  return {
    id: lab.id,
    title: lab.title,
    summary: lab.summary,
    chapter: lab.chapter,
    steps: lab.steps.map((step) => ({
      title: step.title,
      text: plainText(fs.readFileSync(/*turbopackIgnore: true*/ path.join(lab.dir, step.body), 'utf8')),
    })),
  };
}

export function searchDocuments(
  chapters: { chapter: Chapter; toc: TocEntry[] }[],
  glossary: GlossaryTerm[],
  labs: SearchableLab[] = [],
): SearchDocument[] {
  const documents: SearchDocument[] = [];
  for (const { chapter, toc } of chapters) {
    const context = `Chapter ${chapter.order} · ${chapter.title}`;
    const summaryText = [chapter.summary, ...chapter.objectives].join(' ');
    documents.push({
      id: chapter.slug,
      kind: 'chapter',
      title: chapter.title,
      context: `Chapter ${chapter.order}`,
      url: `/learn/${chapter.slug}`,
      text: summaryText,
      excerpt: excerptOf(chapter.summary),
    });
    const anchors = toc.filter((entry) => entry.depth === 2);
    splitSections(chapter.source).forEach((section, index) => {
      const anchor = anchors[index];
      const text = plainText(section.body);
      documents.push({
        id: `${chapter.slug}#${anchor?.id ?? index}`,
        kind: 'section',
        title: anchor?.text ?? plainText(section.heading),
        context,
        url: anchor ? `/learn/${chapter.slug}#${anchor.id}` : `/learn/${chapter.slug}`,
        text,
        excerpt: excerptOf(text),
      });
    });
  }
  for (const lab of labs) {
    const chapter = chapters.find((entry) => entry.chapter.slug === lab.chapter)?.chapter;
    documents.push({
      id: `lab:${lab.id}`,
      kind: 'lab',
      title: lab.title,
      context: chapter ? `Lab · Chapter ${chapter.order}` : 'Lab',
      url: `/labs/${lab.id}`,
      text: [lab.summary, ...lab.steps.flatMap((step) => [step.title, step.text])].join(' '),
      excerpt: excerptOf(lab.summary),
    });
  }
  for (const term of glossary) {
    documents.push({
      id: `glossary#${term.id}`,
      kind: 'term',
      title: term.term,
      context: 'Glossary',
      url: `/learn/glossary#${term.id}`,
      text: `${term.aliases.join(' ')} ${term.definition}`,
      excerpt: excerptOf(term.definition),
    });
  }
  return documents;
}

export function buildSearchIndex(documents: SearchDocument[]): MiniSearch<SearchDocument> {
  const index = new MiniSearch<SearchDocument>(searchOptions);
  index.addAll(documents);
  return index;
}
