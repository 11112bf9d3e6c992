/**
 * The overview's capacity figures, from the runner's `GET /v1/capacity`: what is in use against
 * what is configured, as numbers and as a level (fine / busy / full) to colour a meter. Pure.
 */
import type { RunnerCapacity } from '@/lib/runner/client';

export type CapacityLevel = 'fine' | 'busy' | 'full';

export type CapacitySummary = {
  sandboxes: { inUse: number; limit: number; percent: number; level: CapacityLevel };
  stopped: number;
  pool: { ready: number; configured: number };
  perLearnerLimit: number;
  idleStopMinutes: number;
  memory: {
    /** What the host's kernel says is in use, of its total. */
    hostUsedMb: number;
    hostTotalMb: number;
    hostPercent: number;
    /** What running sandboxes may take at their limit, and what MAX_SESSIONS of them may take. */
    sandboxLimitMb: number;
    committedMb: number;
    configuredMb: number;
    /** MAX_SESSIONS sandboxes at their memory limit would not fit in the host's memory. */
    isOvercommitted: boolean;
  };
  hostCpus: number;
};

const mebibyte = 1024 * 1024;

/** 80 % and up is busy, the limit itself is full. */
export function levelOf(inUse: number, limit: number): CapacityLevel {
  if (limit <= 0 || inUse >= limit) return 'full';
  return inUse / limit >= 0.8 ? 'busy' : 'fine';
}

const percent = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 100) : 0);

export function capacitySummary(capacity: RunnerCapacity): CapacitySummary {
  const hostTotalMb = Math.round(capacity.host.memoryTotalBytes / mebibyte);
  const hostUsedMb = Math.round(
    (capacity.host.memoryTotalBytes - capacity.host.memoryAvailableBytes) / mebibyte,
  );
  const configuredMb = capacity.maxSessions * capacity.sandboxMemoryMb;
  return {
    sandboxes: {
      inUse: capacity.active,
      limit: capacity.maxSessions,
      percent: percent(capacity.active, capacity.maxSessions),
      level: levelOf(capacity.active, capacity.maxSessions),
    },
    stopped: capacity.stopped,
    pool: { ready: capacity.poolReady, configured: capacity.poolSize },
    perLearnerLimit: capacity.maxSessionsPerUser,
    idleStopMinutes: Math.round(capacity.idleStopMs / 60_000),
    memory: {
      hostUsedMb,
      hostTotalMb,
      hostPercent: percent(hostUsedMb, hostTotalMb),
      sandboxLimitMb: capacity.sandboxMemoryMb,
      committedMb: capacity.active * capacity.sandboxMemoryMb,
      configuredMb,
      isOvercommitted: configuredMb > hostTotalMb,
    },
    hostCpus: capacity.host.cpus,
  };
}
