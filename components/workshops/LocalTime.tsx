'use client';

/** A date in the reader's own time zone and language (the server does not know either). */
import { useSyncExternalStore } from 'react';

const subscribe = () => () => undefined;

export function LocalTime({ iso, withTime = true }: { iso: string; withTime?: boolean }) {
  const isClient = useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
  const date = new Date(iso);
  const text = isClient
    ? date.toLocaleString(undefined, {
        dateStyle: 'medium',
        ...(withTime ? { timeStyle: 'short' as const } : {}),
      })
    : `${iso.slice(0, 16).replace('T', ' ')} UTC`;
  return <time dateTime={iso}>{text}</time>;
}
