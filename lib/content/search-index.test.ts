import MiniSearch from 'minisearch';
import { describe, expect, it } from 'vitest';
import { loadChapters } from './chapters';
import { compileMdx } from './compile';
import { loadGlossary } from './glossary';
import { buildSearchIndex, plainText, searchDocuments, searchOptions, splitSections } from './search-index';

describe('splitSections', () => {
  it('splits at ## headings outside code fences', () => {
    const source = '---\ntitle: x\n---\nIntro\n## One\nA\n```yaml\n## not a heading\n```\n### Sub\nB\n## Two\nC\n';
    expect(splitSections(source).map((s) => s.heading)).toEqual(['One', 'Two']);
    expect(splitSections(source)[0]?.body).toContain('### Sub');
  });
});

describe('plainText', () => {
  it('drops code, tags and markup but keeps link text', () => {
    expect(plainText('A **bold** [link](/x) <Callout type="tip">tip</Callout>\n```py\ncode\n```')).toBe('A bold link tip');
  });
});

describe('the course search index', () => {
  it('finds sections and glossary terms, and survives serialisation as the browser loads it', async () => {
    const chapters = await Promise.all(
      loadChapters().map(async (chapter) => ({ chapter, toc: (await compileMdx(chapter)).toc })),
    );
    const index = buildSearchIndex(searchDocuments(chapters, loadGlossary()));
    const restored = MiniSearch.loadJSON(JSON.stringify(index), searchOptions);
    const results = restored.search('reproducible');
    expect(results.length).toBeGreaterThan(0);
    expect(results.some((r) => String(r.url).startsWith('/learn/'))).toBe(true);
    const glossaryHit = restored.search('population stability').find((r) => r.kind === 'term');
    expect(glossaryHit?.url).toBe('/learn/glossary#psi');
  });
});
