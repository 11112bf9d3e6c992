/**
 * Sessions as the web app and the runner both see them: the states, the id format, and the JSON
 * views the runner answers with (`GET /v1/sessions…`, `/v1/capacity`, `/v1/sessions/:id/stats`).
 */
import crypto from 'node:crypto';
import { z } from 'zod';

/** A session's states; the transitions between them are the runner's (sessions/state.ts). */
export const sessionStates = ['creating', 'ready', 'stopped', 'error', 'destroyed'] as const;
export type SessionState = (typeof sessionStates)[number];

/** Session ids: 10 random bytes in lowercase hex. Sandbox containers and folders carry them. */
export const sessionIdPattern = /^[a-f0-9]{20}$/;
/** The same pattern without anchors, to embed in a route pattern. */
export const sessionIdSource = sessionIdPattern.source.slice(1, -1);
export const sessionIdSchema = z.string().regex(sessionIdPattern, 'is not a session id');

export function newSessionId(): string {
  return crypto.randomBytes(10).toString('hex');
}

export function isSessionId(value: string): boolean {
  return sessionIdPattern.test(value);
}

/** The web app's user ids (cuids) and anything else a caller may name a learner by. */
export const userIdSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[\w.@+-]+$/, 'letters, digits and . _ @ + - only');

export type SessionStartKind = 'warm' | 'cold' | 'adopted';

/** A session as the runner's API shows it; times are ISO strings, or null when not (yet) known. */
export type SessionView = {
  id: string;
  userId: string;
  labId: string;
  state: SessionState;
  createdAt: string | null;
  readyAt: string | null;
  lastActivityAt: string | null;
  /** When the sandbox will be stopped for idleness, while it is ready. */
  idleStopAt: string | null;
  expiresAt: string | null;
  startKind: SessionStartKind | null;
  /** Why the session failed, in plain words. */
  error: string | null;
  /** Read-only terminals open on it now (an instructor watching). */
  viewers: number;
};

/** The runner's limits and how much of them is in use (creating and ready sandboxes count). */
export type SessionCapacity = {
  maxSessions: number;
  maxSessionsPerUser: number;
  /** The warm pool's configured size, and how many pool sandboxes are ready now. */
  poolSize: number;
  poolReady: number;
  active: number;
  stopped: number;
  idleStopMs: number;
};

/**
 * What an operator's dashboard shows: the limits and their use, the default sandbox limits, and the
 * host's memory (the whole machine's, as the kernel reports it; a container's own limit is not seen).
 */
export type CapacityView = SessionCapacity & {
  sandboxMemoryMb: number;
  sandboxCpus: number;
  host: { memoryTotalBytes: number; memoryAvailableBytes: number; cpus: number };
};

/** Resource use of one running sandbox. */
export type SandboxStats = { memoryBytes: number; cpuPercent: number; pids: number; diskUsedBytes: number };
