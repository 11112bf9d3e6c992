import path from 'node:path';
import MiniSearch from 'minisearch';
import { describe, expect, it } from 'vitest';
import { listLabIds, loadLab } from '@/lab-runner/api/lab-loader';
import { loadChapters } from './chapters';
import { compileMdx } from './compile';
import { loadGlossary } from './glossary';
import {
  buildSearchIndex,
  labSearchEntry,
  plainText,
  searchDocuments,
  searchOptions,
  splitSections,
} from './search-index';

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

describe('labs in the search index', () => {
  it('finds a lab by its title, its summary and its steps, and leads to the lab page', async () => {
    const labsDir = path.join(process.cwd(), 'labs');
    const labs = listLabIds(labsDir).map((id) => labSearchEntry(loadLab(id, { labsDir })));
    const chapters = loadChapters().map((chapter) => ({ chapter, toc: [] }));
    const index = MiniSearch.loadJSON(
      JSON.stringify(buildSearchIndex(searchDocuments(chapters, [], labs))),
      searchOptions,
    );
    const labHits = (query: string) => index.search(query).filter((hit) => hit.kind === 'lab');
    expect(labHits('model registry')[0]).toMatchObject({
      title: 'Model registry',
      context: 'Lab · Chapter 5',
      url: '/labs/model-registry',
    });
    // Words of the summary and of a step's text.
    expect(labHits('lock its packages')[0]?.url).toBe('/labs/reproducible-training');
    expect(labHits('deterministic').map((hit) => hit.url)).toContain('/labs/reproducible-training');
  });
});
