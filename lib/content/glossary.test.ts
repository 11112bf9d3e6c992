import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirsForEachTest } from '@/tests/support/temp-dir';
import { compileMdx } from './compile';
import { loadGlossary, type GlossaryTerm } from './glossary';

const makeDir = tempDirsForEachTest();

const terms: GlossaryTerm[] = [
  { id: 'ci', term: 'Continuous integration (CI)', aliases: ['continuous integration', 'CI'], chapter: '08-ci-cd', definition: 'Checking every change automatically and often.' },
  { id: 'canary', term: 'Canary release', aliases: ['canary release', 'canary'], chapter: '06-serving-deployment', definition: 'A small share of traffic goes to the new version first.' },
];

async function linksIn(body: string): Promise<string[]> {
  const { code } = await compileMdx(
    { source: `---\ntitle: T\n---\n\n${body}\n`, file: 'x.mdx', absolutePath: path.join(process.cwd(), 'x.mdx') },
    { glossary: terms },
  );
  return [...code.matchAll(/href:"\/learn\/glossary#([a-z-]+)"[^}]*children:"([^"]+)"/g)].map((m) => `${m[1]}=${m[2]}`);
}

describe('glossary links', () => {
  it('links only the first use of each term in a chapter, with the definition as the title', async () => {
    expect(await linksIn('We run CI on every push. CI again. A canary release, then another canary.')).toEqual([
      'ci=CI',
      'canary=canary release',
    ]);
    const { code } = await compileMdx(
      { source: '---\ntitle: T\n---\n\nCI here.\n', file: 'x.mdx', absolutePath: path.join(process.cwd(), 'x.mdx') },
      { glossary: terms },
    );
    expect(code).toContain('title:"Checking every change automatically and often."');
  });

  it('matches capitalised aliases case-sensitively and only as whole words', async () => {
    expect(await linksIn('A specific ci value, CIs and CI-like tools are not the term.')).toEqual([]);
    expect(await linksIn('Continuous Integration matters.')).toEqual(['ci=Continuous Integration']);
  });

  it('leaves headings, code, inline code and existing links alone', async () => {
    const body = '## CI in a heading\n\n`CI` inline, [CI](/learn) linked.\n\n```text\nCI in code\n```\n\nFinally CI.';
    expect(await linksIn(body)).toEqual(['ci=CI']);
  });
});

describe('loadGlossary', () => {
  it('loads the course glossary, sorted, with unique ids and existing chapters', () => {
    const glossary = loadGlossary();
    expect(glossary.length).toBeGreaterThanOrEqual(30);
    expect(new Set(glossary.map((t) => t.id)).size).toBe(glossary.length);
    const chapters = fs.readdirSync(path.join(process.cwd(), 'content', 'chapters')).map((f) => f.replace('.mdx', ''));
    for (const term of glossary) expect(chapters, `${term.id} → ${term.chapter}`).toContain(term.chapter);
  });

  it('names the field of a bad entry and refuses duplicate ids', () => {
    const dir = makeDir();
    const bad = path.join(dir, 'glossary.yaml');
    fs.writeFileSync(bad, '- id: Not Kebab\n  term: X\n  aliases: [x]\n  chapter: 01-a\n  definition: long enough definition here\n');
    expect(() => loadGlossary(bad)).toThrowError(/field "0\.id": must be a kebab-case id/);
    const entry = '- id: twin\n  term: Twin\n  aliases: [twin]\n  chapter: 01-a\n  definition: long enough definition here\n';
    fs.writeFileSync(bad, entry + entry);
    expect(() => loadGlossary(bad)).toThrowError(/"twin" is used twice/);
  });
});
