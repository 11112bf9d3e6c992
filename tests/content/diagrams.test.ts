// @vitest-environment jsdom
/** Every Mermaid diagram in the course parses, so no reader meets "this diagram could not be drawn". */
import { describe, expect, it } from 'vitest';
import { loadChapters } from '@/lib/content/chapters';

const chapters = loadChapters();

function diagramsOf(source: string): { line: number; chart: string }[] {
  const diagrams: { line: number; chart: string }[] = [];
  const pattern = /^```mermaid\n([\s\S]*?)^```/gm;
  for (const match of source.matchAll(pattern)) {
    diagrams.push({ line: source.slice(0, match.index).split('\n').length, chart: match[1]! });
  }
  return diagrams;
}

describe.each(chapters.map((chapter) => [chapter.slug, chapter] as const))('%s', (_slug, chapter) => {
  it('has diagrams that all parse', async () => {
    const mermaid = (await import('mermaid')).default;
    mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
    const diagrams = diagramsOf(chapter.source);
    expect(diagrams.length).toBeGreaterThanOrEqual(2);
    for (const { line, chart } of diagrams) {
      await expect(
        mermaid.parse(chart).then(() => 'parses'),
        `${chapter.file}, diagram at line ${line}`,
      ).resolves.toBe('parses');
    }
  });
});
