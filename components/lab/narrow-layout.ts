'use client';

import { useSyncExternalStore } from 'react';

/**
 * When the workspace shows one pane at a time, with tabs, instead of side by side: a phone either
 * way up, or any window too small for the split panes. LabWorkspace.module.css has the same query.
 */
export const narrowLayoutQuery = '(max-width: 767px), (max-height: 500px)';

function subscribe(onChange: () => void): () => void {
  const list = window.matchMedia(narrowLayoutQuery);
  list.addEventListener('change', onChange);
  return () => list.removeEventListener('change', onChange);
}

/**
 * Whether the narrow layout applies, for what only script can do (tab roles, pane constraints);
 * the styles decide what shows. False while prerendering and hydrating.
 */
export function useNarrowLayout(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => window.matchMedia(narrowLayoutQuery).matches,
    () => false,
  );
}
