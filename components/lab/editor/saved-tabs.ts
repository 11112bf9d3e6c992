/**
 * The open tabs, the active tab and the expanded folders of a lab's editor, kept in localStorage
 * so that a page reload shows the learner what they were working on.
 */
import { z } from 'zod';

const savedTabsSchema = z.object({
  open: z.array(z.string()).max(100),
  active: z.string().nullable(),
  expanded: z.array(z.string()).max(1000).default([]),
});
export type SavedTabs = z.infer<typeof savedTabsSchema>;

export function savedTabsKey(labId: string): string {
  return `mlops-academy-editor:${labId}`;
}

type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem'>;

/** What was saved for the lab, or null when nothing (valid) was. */
export function loadSavedTabs(storage: KeyValueStorage, labId: string): SavedTabs | null {
  try {
    const raw = storage.getItem(savedTabsKey(labId));
    if (raw === null) return null;
    const parsed = savedTabsSchema.safeParse(JSON.parse(raw));
    if (!parsed.success) return null;
    const { open, active, expanded } = parsed.data;
    return { open, active: active !== null && open.includes(active) ? active : (open[0] ?? null), expanded };
  } catch {
    return null; // storage refused (private browsing) or unreadable: start afresh
  }
}

export function saveTabs(storage: KeyValueStorage, labId: string, tabs: SavedTabs): void {
  try {
    storage.setItem(savedTabsKey(labId), JSON.stringify(tabs));
  } catch {
    // Storage full or refused: the tabs simply are not remembered.
  }
}
