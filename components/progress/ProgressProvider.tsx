'use client';

/**
 * The signed-in learner's progress for a static page (the course map, a chapter): asked once in the
 * browser, so the page itself stays static, and only once the page knows someone is signed in.
 * Signed out, `summary` is null and the components that decorate the page render nothing. Logging
 * in from the header refreshes it.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { accountChangedEvent } from '@/components/ui/account-changed';
import { fetchCurrentUser } from '@/components/ui/current-user';
import { fetchProgressSummary, type ChapterSummary, type ProgressSummary } from './progress-api';

export type ProgressState =
  { status: 'loading' } | { status: 'signed-out' } | { status: 'signed-in'; summary: ProgressSummary };

type ProgressContextValue = {
  state: ProgressState;
  /** The chapter this page shows, on a chapter page: where its quizzes are saved. */
  chapter?: string;
  /** Reads the summary again, after the page saved something. */
  refresh: () => void;
};

const ProgressContext = createContext<ProgressContextValue | null>(null);

export function ProgressProvider({ chapter, children }: { chapter?: string; children: ReactNode }) {
  const [state, setState] = useState<ProgressState>({ status: 'loading' });

  const [generation, setGeneration] = useState(0);
  const refresh = useCallback(() => setGeneration((value) => value + 1), []);

  useEffect(() => {
    let isCurrent = true;
    // A visitor's page asks only who is signed in: no request for progress that would answer 401.
    fetchCurrentUser()
      .then((user) => (user ? fetchProgressSummary() : null))
      .then((summary) => {
        if (isCurrent) setState(summary ? { status: 'signed-in', summary } : { status: 'signed-out' });
      })
      // Progress is decoration: when it cannot be read, the page shows what a signed-out reader sees.
      .catch(() => {
        if (isCurrent) setState({ status: 'signed-out' });
      });
    return () => {
      isCurrent = false;
    };
  }, [generation]);

  // Logging in or out from the header changes whose progress this is.
  useEffect(() => {
    window.addEventListener(accountChangedEvent, refresh);
    return () => window.removeEventListener(accountChangedEvent, refresh);
  }, [refresh]);

  const value = useMemo(() => ({ state, chapter, refresh }), [state, chapter, refresh]);
  return <ProgressContext.Provider value={value}>{children}</ProgressContext.Provider>;
}

/** The progress of the page's learner, or null outside a ProgressProvider (a lab step's text). */
export function useProgress(): ProgressContextValue | null {
  return useContext(ProgressContext);
}

/** The learner's summary of one chapter, when someone is signed in. */
export function useChapterProgress(slug: string): ChapterSummary | undefined {
  const state = useProgress()?.state;
  return state?.status === 'signed-in'
    ? state.summary.chapters.find((chapter) => chapter.slug === slug)
    : undefined;
}
