'use client';

/**
 * The lab's sandbox as the page sees it: what state it is in, the learner's progress, the actions
 * (start, stop, reset) and, once ready, a SessionAccess for the editor and the terminal. For a
 * member of a workshop with the lab, the workshop too: asked every few seconds until its end has
 * stopped the sandboxes, so the page says within seconds that it ended (phase `ended` while the
 * end holds the sandbox stopped).
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { fetchLearnerWorkshop, type LearnerLabWorkshop } from '@/components/workshops/learner-workshop';
import { ApiError } from '@/lib/http/api-error';
import {
  labApi,
  TooManySessionsError,
  type LabProgressView,
  type RunnerSession,
  type RunningLab,
} from './lab-api';
import type { SessionAccess } from './session-access';

export type LabPhase =
  | 'loading'
  | 'signed-out'
  | 'not-started'
  | 'starting'
  | 'ready'
  | 'stopping'
  | 'stopped'
  | 'resetting'
  | 'error'
  /** An ended workshop of the learner's holds the sandbox stopped: no resume, a download only. */
  | 'ended';

export type LabSessionState = {
  phase: LabPhase;
  session: RunnerSession | null;
  progress: LabProgressView | null;
  /** When the current start (or reset) began, for the progress display. */
  busySince: number | null;
  /** A plain-words reason when phase is 'error' (or an action failed). */
  error: string | null;
  /**
   * The start was refused because the learner has as many sandboxes running as they may: the labs
   * holding them, to offer stopping one (phase 'error'). Null otherwise.
   */
  runningLabs: readonly RunningLab[] | null;
  /** The learner had been here before (a sandbox or results exist) when the page opened. */
  isReturning: boolean;
  /** The step to show when the page opens: where the learner was, else the first one not done. */
  openingStep: string | null;
  /** The learner's workshop that has this lab, or null. */
  workshop: LearnerLabWorkshop | null;
};

function openingStepOf(progress: LabProgressView): string | null {
  const ids = Object.keys(progress.steps);
  if (progress.currentStep && ids.includes(progress.currentStep)) return progress.currentStep;
  return ids.find((id) => progress.steps[id]?.status !== 'passed') ?? ids[0] ?? null;
}

const tokenMarginMs = 30_000;
const statePollMs = 30_000;
/** While the learner's workshop runs (and until its end has stopped the sandboxes). */
const workshopPollMs = 3_000;

/** The workshop is worth asking about again: it may still end, or its end is still stopping. */
const isWorkshopChanging = (workshop: LearnerLabWorkshop | null) =>
  workshop !== null && (workshop.status !== 'ended' || !workshop.sandboxesStopped);

function phaseOf(session: RunnerSession | null, workshop: LearnerLabWorkshop | null = null): LabPhase {
  if (workshop?.isLocked) return 'ended';
  if (!session) return 'not-started';
  if (session.state === 'ready') return 'ready';
  if (session.state === 'stopped') return 'stopped';
  if (session.state === 'creating') return 'starting';
  if (session.state === 'error') return 'error';
  return 'not-started';
}

function messageOf(error: unknown): string {
  return error instanceof ApiError ? error.message : 'Something went wrong; try again.';
}

export function useLabSession(labId: string) {
  const [state, setState] = useState<LabSessionState>({
    phase: 'loading',
    session: null,
    progress: null,
    busySince: null,
    error: null,
    runningLabs: null,
    isReturning: false,
    openingStep: null,
    workshop: null,
  });
  const tokenRef = useRef<{ sessionId: string; token: string; expiresAt: number } | null>(null);

  const load = useCallback(
    async (first = false) => {
      try {
        const [{ session, progress }, workshop] = await Promise.all([
          labApi.state(labId),
          // On opening; afterwards the workshop is asked on its own (below).
          first ? fetchLearnerWorkshop(labId).catch(() => null) : undefined,
        ]);
        const hasResults = Object.values(progress.steps).some((s) => s.attempts > 0);
        setState((previous) => {
          // Do not let a background poll undo an action in flight.
          const isBusy = ['starting', 'stopping', 'resetting'].includes(previous.phase) && !first;
          const known = workshop === undefined ? previous.workshop : workshop;
          const phase = phaseOf(session, known);
          // The running labs stay offered until the learner acts, or this lab's sandbox runs.
          const isAtLimit = previous.runningLabs !== null && (phase === 'not-started' || phase === 'stopped');
          const keepsPhase = isBusy || isAtLimit;
          return {
            ...previous,
            session,
            progress,
            workshop: known,
            phase: keepsPhase ? previous.phase : phase,
            error:
              session?.state === 'error'
                ? (session.error ?? 'The sandbox failed.')
                : keepsPhase
                  ? previous.error
                  : null,
            runningLabs: isAtLimit ? previous.runningLabs : null,
            isReturning: first
              ? Boolean(session) || hasResults || Boolean(progress.startedAt)
              : previous.isReturning,
            openingStep: previous.openingStep ?? openingStepOf(progress),
          };
        });
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) {
          // Labs need an account; the page shows the instructions and a way to log in.
          setState((previous) => ({ ...previous, phase: 'signed-out', session: null, error: null }));
        } else if (first) {
          setState((previous) => ({ ...previous, phase: 'error', error: messageOf(error) }));
        }
      }
    },
    [labId],
  );

  useEffect(() => {
    void load(true);
    // Notice an idle stop (or a runner restart) while the page stays open.
    const timer = window.setInterval(() => {
      if (document.visibilityState === 'visible') void load();
    }, statePollMs);
    const onVisible = () => {
      if (document.visibilityState === 'visible') void load();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      window.clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [load]);

  // The workshop's end, heard within seconds: the page says so at once, and the session is asked
  // again until the end has stopped the sandbox.
  const isWatchingWorkshop = isWorkshopChanging(state.workshop);
  useEffect(() => {
    if (!isWatchingWorkshop) return;
    const ask = async () => {
      if (document.visibilityState !== 'visible') return;
      const workshop = await fetchLearnerWorkshop(labId).catch(() => undefined);
      if (workshop === undefined) return;
      setState((previous) => {
        if (workshop?.isLocked) return { ...previous, workshop, phase: 'ended' };
        const phase = previous.phase === 'ended' ? phaseOf(previous.session) : previous.phase;
        return { ...previous, workshop, phase };
      });
      if (workshop?.status === 'ended') await load();
    };
    const timer = window.setInterval(() => void ask(), workshopPollMs);
    const onVisible = () => void ask();
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      window.clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [isWatchingWorkshop, labId, load]);

  const act = useCallback(
    /** Runs a lifecycle action; true when it succeeded. */
    async (busy: LabPhase, action: () => Promise<{ session: RunnerSession }>, onError: LabPhase) => {
      setState((previous) => ({
        ...previous,
        phase: busy,
        busySince: Date.now(),
        error: null,
        runningLabs: null,
      }));
      try {
        const { session } = await action();
        tokenRef.current = null;
        setState((previous) => ({
          ...previous,
          session,
          phase: phaseOf(session, previous.workshop),
          busySince: null,
        }));
        await load();
        return true;
      } catch (error) {
        setState((previous) => ({
          ...previous,
          phase: onError,
          busySince: null,
          error: messageOf(error),
          runningLabs: error instanceof TooManySessionsError ? error.runningLabs : null,
        }));
        return false;
      }
    },
    [load],
  );

  const start = useCallback(() => act('starting', () => labApi.start(labId), 'error'), [act, labId]);
  const stop = useCallback(() => act('stopping', () => labApi.stop(labId), 'ready'), [act, labId]);
  const reset = useCallback(() => act('resetting', () => labApi.reset(labId), 'ready'), [act, labId]);
  /** At the limit of running sandboxes: stops another lab's sandbox (files kept), then starts this one. */
  const stopOtherAndStart = useCallback(
    (otherLabId: string) =>
      act(
        'starting',
        async () => {
          await labApi.stop(otherLabId);
          return labApi.start(labId);
        },
        'error',
      ),
    [act, labId],
  );

  const sessionId = state.phase === 'ready' ? (state.session?.id ?? null) : null;

  const access = useMemo<SessionAccess | null>(() => {
    if (!sessionId) return null;
    const fetchToken = async () => {
      try {
        const fresh = await labApi.token(labId);
        tokenRef.current = fresh;
        return fresh.token;
      } catch (error) {
        if (
          error instanceof ApiError &&
          (error.code === 'SANDBOX_NOT_READY' || error.code === 'LAB_NOT_STARTED')
        ) {
          void load();
        }
        throw error;
      }
    };
    return {
      sessionId,
      runnerBase: '/runner',
      async token() {
        const cached = tokenRef.current;
        if (cached && cached.sessionId === sessionId && cached.expiresAt - tokenMarginMs > Date.now()) {
          return cached.token;
        }
        return fetchToken();
      },
      // A terminal token works once: never hand out the cached one.
      freshToken: async () => {
        const fresh = await labApi.token(labId).catch((error: unknown) => {
          if (error instanceof ApiError && error.code === 'SANDBOX_NOT_READY') void load();
          throw error;
        });
        return fresh.token;
      },
    };
  }, [labId, sessionId, load]);

  return { state, access, start, stop, reset, stopOtherAndStart, reload: load };
}
