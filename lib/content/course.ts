import 'server-only';
import { loadChapter, loadChapters, type Chapter } from './chapters';
import { compileMdx, type CompiledMdx } from './compile';
import { loadGlossary, type GlossaryTerm } from './glossary';

// Content is static in production: read and compile each file once per server process.
// In development, read every time so edits show on reload.
const isCaching = process.env.NODE_ENV === 'production';
let chaptersCache: Chapter[] | undefined;
let glossaryCache: GlossaryTerm[] | undefined;
const compiledCache = new Map<string, Promise<CompiledMdx>>();

export function getChapters(): Chapter[] {
  if (!isCaching) return loadChapters();
  chaptersCache ??= loadChapters();
  return chaptersCache;
}

export function getGlossary(): GlossaryTerm[] {
  if (!isCaching) return loadGlossary();
  glossaryCache ??= loadGlossary();
  return glossaryCache;
}

export function getCompiledChapter(slug: string): Promise<CompiledMdx> {
  if (!isCaching) return compileMdx(loadChapter(slug), { glossary: getGlossary() });
  let compiled = compiledCache.get(slug);
  if (!compiled) {
    compiled = compileMdx(loadChapter(slug), { glossary: getGlossary() });
    compiledCache.set(slug, compiled);
  }
  return compiled;
}
