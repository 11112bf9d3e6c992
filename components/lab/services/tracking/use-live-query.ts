'use client';

/**
 * Data that stays fresh while it is on screen: fetched when its key changes, then again every
 * `intervalMs` while `isLive` and the browser tab is visible (one request at a time). A refresh
 * that brings the same data keeps the old object, so nothing re-renders and nothing flickers;
 * while a new key loads, the previous data stays (with `dataKey` saying whose it is).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { TrackingError } from './tracking-client';

export type LiveQuery<T> = {
  data: T | undefined;
  /** The key `data` was fetched for (it lags behind `key` while a new key loads). */
  dataKey: string | null;
  error: TrackingError | null;
  /** The key of the request that failed, when `error` is set. */
  errorKey: string | null;
  isLoading: boolean;
  /** When the data was last confirmed by the server (ms since the epoch). */
  updatedAt: number | null;
  refresh(): void;
};

type State<T> = Omit<LiveQuery<T>, 'refresh'> & { fingerprint: string | null };

/** A stable fingerprint of a reply (NaN and ±∞ included, which JSON would turn into null). */
export function fingerprintOf(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    typeof item === 'number' && !Number.isFinite(item) ? `#${String(item)}` : item,
  );
}

function asTrackingError(error: unknown): TrackingError {
  if (error instanceof TrackingError) return error;
  return new TrackingError('BAD_RESPONSE', error instanceof Error ? error.message : String(error), 0);
}

export function useLiveQuery<T>(
  key: string | null,
  fetcher: () => Promise<T>,
  { intervalMs, isLive }: { intervalMs?: number; isLive: boolean },
): LiveQuery<T> {
  const [state, setState] = useState<State<T>>({
    data: undefined,
    dataKey: null,
    error: null,
    errorKey: null,
    isLoading: key !== null,
    updatedAt: null,
    fingerprint: null,
  });
  const fetcherRef = useRef(fetcher);
  useEffect(() => {
    fetcherRef.current = fetcher;
  });
  const requestRef = useRef(0);
  const [refreshes, setRefreshes] = useState(0);

  const run = useCallback(async (forKey: string) => {
    const request = ++requestRef.current;
    try {
      const data = await fetcherRef.current();
      if (request !== requestRef.current) return;
      const fingerprint = fingerprintOf(data);
      setState((previous) => ({
        data: previous.dataKey === forKey && previous.fingerprint === fingerprint ? previous.data : data,
        dataKey: forKey,
        fingerprint,
        error: null,
        errorKey: null,
        isLoading: false,
        updatedAt: Date.now(),
      }));
    } catch (error) {
      if (request !== requestRef.current) return;
      setState((previous) => ({
        ...previous,
        error: asTrackingError(error),
        errorKey: forKey,
        isLoading: false,
      }));
    }
  }, []);

  // A new key: load it at once (keeping the previous data on screen meanwhile).
  useEffect(() => {
    if (key === null) {
      requestRef.current++;
      return;
    }
    setState((previous) => ({ ...previous, isLoading: true }));
    void run(key);
  }, [key, run, refreshes]);

  // Shown again: catch up at once rather than after an interval.
  const wasLiveRef = useRef(isLive);
  useEffect(() => {
    if (isLive && !wasLiveRef.current && key !== null) void run(key);
    wasLiveRef.current = isLive;
  }, [isLive, key, run]);

  // Live: poll while shown and the browser tab is visible; catch up when it becomes visible.
  useEffect(() => {
    if (key === null || !isLive || !intervalMs) return;
    let timer: number | undefined;
    let isStopped = false;
    const schedule = () => {
      timer = window.setTimeout(async () => {
        if (document.visibilityState === 'visible') await run(key);
        if (!isStopped) schedule();
      }, intervalMs);
    };
    const onVisible = () => {
      if (document.visibilityState === 'visible') void run(key);
    };
    schedule();
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      isStopped = true;
      window.clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [key, isLive, intervalMs, run]);

  const refresh = useCallback(() => setRefreshes((n) => n + 1), []);
  return {
    data: state.data,
    dataKey: state.dataKey,
    error: state.error,
    errorKey: state.errorKey,
    isLoading: state.isLoading,
    updatedAt: state.updatedAt,
    refresh,
  };
}
