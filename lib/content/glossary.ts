/** The course glossary: `content/glossary.yaml`, validated, one entry per term. */
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { projectRoot } from '@/lib/config';
import { ContentError } from '@/lab-runner/api/content-error';
import { firstIssue } from '@/lab-runner/api/zod-issues';

export const defaultGlossaryFile = path.join(projectRoot, 'content', 'glossary.yaml');

const termSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be a kebab-case id'),
  term: z.string().trim().min(2),
  /** Phrases that link to the term on first use in a chapter; with a capital letter they match case-sensitively. */
  aliases: z.array(z.string().trim().min(2)).min(1),
  /** The chapter that teaches the term. */
  chapter: z.string().regex(/^\d{2}-[a-z0-9-]+$/, 'must be a chapter slug such as 07-monitoring-drift'),
  definition: z.string().trim().min(20),
});

export type GlossaryTerm = z.infer<typeof termSchema>;

export function loadGlossary(file: string = defaultGlossaryFile): GlossaryTerm[] {
  const relative = path.relative(projectRoot, file);
  if (!fs.existsSync(/*turbopackIgnore: true*/ file)) throw new ContentError(relative, undefined, 'glossary not found');
  let data: unknown;
  try {
    data = parseYaml(fs.readFileSync(/*turbopackIgnore: true*/ file, 'utf8'));
  } catch (error) {
    throw new ContentError(relative, undefined, `not valid YAML: ${(error as Error).message}`);
  }
  const parsed = z.array(termSchema).safeParse(data);
  if (!parsed.success) {
    const { field, message } = firstIssue(parsed.error);
    throw new ContentError(relative, field || undefined, message);
  }
  const seen = new Set<string>();
  for (const term of parsed.data) {
    if (seen.has(term.id)) throw new ContentError(relative, 'id', `"${term.id}" is used twice`);
    seen.add(term.id);
  }
  return [...parsed.data].sort((a, b) => a.term.localeCompare(b.term, 'en'));
}
