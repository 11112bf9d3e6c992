/** Every internal link in the course goes to a page that exists, and every #anchor to an element on it. */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadChapters } from '@/lib/content/chapters';
import { compileMdx } from '@/lib/content/compile';
import { loadGlossary } from '@/lib/content/glossary';

const chapters = loadChapters();
const glossary = loadGlossary();
const compiled = new Map<string, string>();

beforeAll(async () => {
  for (const chapter of chapters) compiled.set(chapter.slug, (await compileMdx(chapter, { glossary })).code);
}, 120_000);

const idsOf = (code: string) => new Set([...code.matchAll(/\bid:"([^"]+)"/g)].map((m) => m[1]!));
const hrefsOf = (code: string) => [...code.matchAll(/\bhref:"([^"]+)"/g)].map((m) => m[1]!);

/** Pages that exist outside the chapters, with the anchors they offer. */
function staticPages(): Map<string, Set<string>> {
  return new Map([
    ['/', new Set<string>()],
    ['/learn', new Set<string>()],
    ['/learn/glossary', new Set(glossary.map((term) => term.id))],
  ]);
}

describe.each(chapters.map((chapter) => [chapter.slug, chapter] as const))('%s', (slug, chapter) => {
  it('links only to pages and anchors that exist', () => {
    const pages = staticPages();
    for (const other of chapters) pages.set(`/learn/${other.slug}`, idsOf(compiled.get(other.slug)!));
    const broken: string[] = [];
    for (const href of hrefsOf(compiled.get(slug)!)) {
      if (/^(https?:|mailto:)/.test(href)) continue;
      const [pathname, anchor] = href.startsWith('#') ? [`/learn/${slug}`, href.slice(1)] : href.split('#');
      const anchors = pages.get(pathname!.replace(/\/$/, '') || '/');
      if (!anchors) broken.push(`${href} (no such page)`);
      else if (anchor && !anchors.has(anchor)) broken.push(`${href} (no such anchor)`);
    }
    expect(broken, `broken links in ${chapter.file}`).toEqual([]);
  });
});

describe('the glossary', () => {
  it('has every term linked from at least one chapter', () => {
    const linked = new Set(
      [...compiled.values()].flatMap((code) => hrefsOf(code).filter((h) => h.startsWith('/learn/glossary#'))),
    );
    const unused = glossary.filter((term) => !linked.has(`/learn/glossary#${term.id}`)).map((term) => term.id);
    expect(unused).toEqual([]);
  });
});
