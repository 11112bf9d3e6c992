'use client';

/**
 * The split sizes a learner chose (the instructions beside the work area, the editor above the
 * terminal), remembered in this browser per learner and per split, so that their next visit opens
 * the way they left it. They are read after hydration, once the browser knows who is signed in: the
 * prerendered page always has the default sizes.
 */
import { useCallback, useEffect, useRef } from 'react';
import { useGroupRef, type Layout, type LayoutChangedMeta } from 'react-resizable-panels';
import { fetchCurrentUser } from '@/components/ui/current-user';

export function paneSizesKey(userId: string, split: string): string {
  return `academy:pane-sizes:${userId}:${split}`;
}

/** A stored layout of exactly these panels, in percentages adding up to 100; else null. */
export function parsePaneSizes(raw: string | null, panelIds: readonly string[]): Layout | null {
  if (raw === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const entries = Object.entries(value);
  if (entries.length !== panelIds.length) return null;
  const layout: Layout = {};
  for (const id of panelIds) {
    const size: unknown = (value as Record<string, unknown>)[id];
    if (typeof size !== 'number' || !Number.isFinite(size) || size < 0 || size > 100) return null;
    layout[id] = size;
  }
  const total = Object.values(layout).reduce((sum, size) => sum + size, 0);
  return Math.abs(total - 100) < 0.5 ? layout : null;
}

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null; // storage disabled: sizes are not remembered
  }
}

/**
 * For one split (a `Group`): restores the learner's sizes once they are known, and remembers the
 * sizes they drag or key to. Pass both results to the Group.
 */
export function useRememberedSplit(split: string, panelIds: readonly string[]) {
  const groupRef = useGroupRef();
  const userIdRef = useRef<string | null>(null);
  const idsKey = panelIds.join(',');

  useEffect(() => {
    let isCurrent = true;
    fetchCurrentUser().then(
      (user) => {
        if (!isCurrent || !user) return;
        userIdRef.current = user.id;
        const saved = parsePaneSizes(
          storage()?.getItem(paneSizesKey(user.id, split)) ?? null,
          idsKey.split(','),
        );
        if (saved) groupRef.current?.setLayout(saved);
      },
      () => undefined, // not known: the default sizes stay
    );
    return () => {
      isCurrent = false;
    };
  }, [split, idsKey, groupRef]);

  const onLayoutChanged = useCallback(
    (layout: Layout, meta: LayoutChangedMeta) => {
      const userId = userIdRef.current;
      if (!meta.isUserInteraction || !userId) return;
      try {
        storage()?.setItem(paneSizesKey(userId, split), JSON.stringify(meta.requestedLayout ?? layout));
      } catch {
        // storage full: the sizes hold for this visit
      }
    },
    [split],
  );

  return { groupRef, onLayoutChanged };
}
