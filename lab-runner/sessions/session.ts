/**
 * What the runner remembers of a learner session, and how the API shows it. Kept apart from the
 * manager so the pool, the reaper and the routes can name a session without its lifecycle.
 */
import type { SessionStartKind, SessionView } from '../api/sessions';
import type { SessionState } from './state';

export type Session = {
  id: string;
  userId: string;
  labId: string;
  /** The labkit services the lab runs in the sandbox (`services:` in lab.yaml). */
  services: string[];
  state: SessionState;
  createdAt: number;
  readyAt?: number;
  lastActivityAt: number;
  expiresAt: number;
  startKind?: SessionStartKind;
  /** Why the session failed, in plain words. */
  error?: string;
  /** Read-only terminals open on it now (an instructor watching); kept in memory only. */
  viewers?: number;
};

/** Creating and ready sessions hold a running sandbox: they are what the capacity limits count. */
export const isActive = (session: Session) => session.state === 'creating' || session.state === 'ready';

export function viewOf(session: Session, idleStopMs: number): SessionView {
  const iso = (ms?: number) => (ms === undefined ? null : new Date(ms).toISOString());
  return {
    id: session.id,
    userId: session.userId,
    labId: session.labId,
    state: session.state,
    createdAt: iso(session.createdAt),
    readyAt: iso(session.readyAt),
    lastActivityAt: iso(session.lastActivityAt),
    idleStopAt: session.state === 'ready' ? iso(session.lastActivityAt + idleStopMs) : null,
    expiresAt: iso(session.expiresAt),
    startKind: session.startKind ?? null,
    error: session.error ?? null,
    viewers: session.viewers ?? 0,
  };
}
