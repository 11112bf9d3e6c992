import { describe, expect, it } from 'vitest';
import type { RunnerCapacity } from '@/lib/runner/client';
import { capacitySummary, levelOf } from './capacity';

const gib = 1024 * 1024 * 1024;

function capacity(overrides: Partial<RunnerCapacity> = {}): RunnerCapacity {
  return {
    maxSessions: 40,
    maxSessionsPerUser: 2,
    poolSize: 2,
    poolReady: 1,
    active: 10,
    stopped: 3,
    idleStopMs: 30 * 60_000,
    sandboxMemoryMb: 1024,
    sandboxCpus: 1,
    host: { memoryTotalBytes: 64 * gib, memoryAvailableBytes: 48 * gib, cpus: 16 },
    ...overrides,
  };
}

describe('capacitySummary', () => {
  it('sets what is in use against what is configured', () => {
    expect(capacitySummary(capacity())).toEqual({
      sandboxes: { inUse: 10, limit: 40, percent: 25, level: 'fine' },
      stopped: 3,
      pool: { ready: 1, configured: 2 },
      perLearnerLimit: 2,
      idleStopMinutes: 30,
      memory: {
        hostUsedMb: 16 * 1024,
        hostTotalMb: 64 * 1024,
        hostPercent: 25,
        sandboxLimitMb: 1024,
        committedMb: 10 * 1024,
        configuredMb: 40 * 1024,
        isOvercommitted: false,
      },
      hostCpus: 16,
    });
  });

  it('says when MAX_SESSIONS sandboxes at their memory limit would not fit in the host', () => {
    const summary = capacitySummary(
      capacity({ host: { memoryTotalBytes: 8 * gib, memoryAvailableBytes: gib, cpus: 2 } }),
    );
    expect(summary.memory).toMatchObject({ isOvercommitted: true, hostPercent: 88 });
  });
});

describe('levelOf', () => {
  it('is fine below 80 %, busy from 80 %, full at the limit', () => {
    expect(levelOf(0, 10)).toBe('fine');
    expect(levelOf(7, 10)).toBe('fine');
    expect(levelOf(8, 10)).toBe('busy');
    expect(levelOf(10, 10)).toBe('full');
    expect(levelOf(11, 10)).toBe('full');
  });
});
