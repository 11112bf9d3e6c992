/** A workshop's labs, stored as a JSON list of lab ids, read back against the lab catalog. */
import 'server-only';
import type { Workshop } from '@/lib/generated/prisma/client';
import { getLab } from '@/lib/labs/catalog';
import type { WorkshopLabInfo } from './dashboard';

/** The lab ids stored with a workshop (JSON), those that still exist in the catalog. */
export function labIdsOf(workshop: Pick<Workshop, 'labs'>): string[] {
  let value: unknown;
  try {
    value = JSON.parse(workshop.labs);
  } catch {
    return [];
  }
  return Array.isArray(value)
    ? value.filter((id): id is string => typeof id === 'string' && !!getLab(id))
    : [];
}

export function labsOf(workshop: Pick<Workshop, 'labs'>): WorkshopLabInfo[] {
  return labIdsOf(workshop).flatMap((id) => {
    const lab = getLab(id);
    return lab ? [{ id, title: lab.title, steps: lab.steps.map((s) => ({ id: s.id, title: s.title })) }] : [];
  });
}
