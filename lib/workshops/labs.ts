/**
 * A workshop's labs, stored as a JSON list of lab ids, read back against the lab catalog and put
 * in the course's order (by chapter, as on /labs), whatever order the instructor ticked them in:
 * the first is where a learner who joins starts, and the dashboard's columns follow it.
 */
import 'server-only';
import { getChapters } from '@/lib/content/course';
import type { Workshop } from '@/lib/generated/prisma/client';
import { getLab } from '@/lib/labs/catalog';
import type { WorkshopLabInfo } from './dashboard';

/** Lab ids sorted as the course teaches them: by their chapter's order, then by title. */
export function inCourseOrder(labIds: readonly string[]): string[] {
  const chapterOrder = new Map(getChapters().map((chapter) => [chapter.slug, chapter.order]));
  const rank = (id: string) => chapterOrder.get(getLab(id)?.chapter ?? '') ?? Number.MAX_SAFE_INTEGER;
  const title = (id: string) => getLab(id)?.title ?? id;
  return [...labIds].sort((a, b) => rank(a) - rank(b) || title(a).localeCompare(title(b)));
}

/** The lab ids stored with a workshop (JSON), those that still exist in the catalog, in course order. */
export function labIdsOf(workshop: Pick<Workshop, 'labs'>): string[] {
  let value: unknown;
  try {
    value = JSON.parse(workshop.labs);
  } catch {
    return [];
  }
  return Array.isArray(value)
    ? inCourseOrder(value.filter((id): id is string => typeof id === 'string' && !!getLab(id)))
    : [];
}

export function labsOf(workshop: Pick<Workshop, 'labs'>): WorkshopLabInfo[] {
  return labIdsOf(workshop).flatMap((id) => {
    const lab = getLab(id);
    return lab ? [{ id, title: lab.title, steps: lab.steps.map((s) => ({ id: s.id, title: s.title })) }] : [];
  });
}
