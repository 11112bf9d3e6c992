import { describe, expect, it } from 'vitest';
import type { RunnerSandboxStats, RunnerSession } from '@/lib/runner/client';
import { sandboxRows, sandboxTotals, usageOf, type SandboxOwner } from './sandbox-rows';

function session(id: string, overrides: Partial<RunnerSession> = {}): RunnerSession {
  return {
    id,
    userId: 'u1',
    labId: 'lab-a',
    state: 'ready',
    createdAt: '2026-12-01T10:00:00.000Z',
    readyAt: '2026-12-01T10:00:02.000Z',
    lastActivityAt: '2026-12-01T10:05:00.000Z',
    idleStopAt: '2026-12-01T10:35:00.000Z',
    expiresAt: '2026-12-01T14:00:00.000Z',
    startKind: 'warm',
    error: null,
    ...overrides,
  } as RunnerSession;
}

const ada: SandboxOwner = { id: 'u1', email: 'ada@example.com', name: 'Ada', guest: false };
const owners = new Map([[ada.id, ada]]);
const titles = (labId: string) => ({ 'lab-a': 'Lab A' })[labId];
const mib = 1024 * 1024;
const stats = (memoryMb: number, cpuPercent = 2.345): RunnerSandboxStats => ({
  memoryBytes: memoryMb * mib,
  cpuPercent,
  pids: 7,
  diskUsedBytes: 3.25 * mib,
});

describe('sandboxRows', () => {
  it('joins each sandbox with its owner, its lab title and its usage in MB', () => {
    const [row] = sandboxRows([session('s1')], owners, titles, new Map([['s1', stats(123.44)]]));
    expect(row).toMatchObject({
      id: 's1',
      labTitle: 'Lab A',
      owner: ada,
      state: 'ready',
      idleStopAt: '2026-12-01T10:35:00.000Z',
      usage: { memoryMb: 123.4, cpuPercent: 2.3, pids: 7, diskMb: 3.3 },
    });
  });

  it('keeps a sandbox whose owner or lab is gone, naming the lab by its id', () => {
    const [row] = sandboxRows(
      [session('s1', { userId: 'gone', labId: 'old-lab' })],
      owners,
      titles,
      new Map(),
    );
    expect(row).toMatchObject({ owner: null, userId: 'gone', labTitle: 'old-lab', usage: null });
  });

  it('lists running sandboxes first, the most recently active first, and drops destroyed ones', () => {
    const rows = sandboxRows(
      [
        session('stopped', { state: 'stopped', lastActivityAt: '2026-12-01T11:00:00.000Z' }),
        session('old', { lastActivityAt: '2026-12-01T09:00:00.000Z' }),
        session('gone', { state: 'destroyed' }),
        session('failed', { state: 'error', error: 'no space' }),
        session('recent', { lastActivityAt: '2026-12-01T10:30:00.000Z' }),
        session('starting', { state: 'creating' }),
      ],
      owners,
      titles,
      new Map(),
    );
    expect(rows.map((r) => r.id)).toEqual(['recent', 'old', 'starting', 'stopped', 'failed']);
  });
});

describe('sandboxTotals', () => {
  it('counts states and adds up what the measured sandboxes use', () => {
    const rows = sandboxRows(
      [session('a'), session('b'), session('c', { state: 'stopped' }), session('d', { state: 'creating' })],
      owners,
      titles,
      new Map([
        ['a', stats(100, 10)],
        ['b', stats(50.5, 2.5)],
      ]),
    );
    expect(sandboxTotals(rows)).toEqual({
      running: 3,
      stopped: 1,
      failed: 0,
      memoryMb: 150.5,
      cpuPercent: 12.5,
      diskMb: 6.6,
    });
  });
});

describe('usageOf', () => {
  it('rounds to one decimal', () => {
    expect(usageOf({ memoryBytes: 0, cpuPercent: 0.04, pids: 1, diskUsedBytes: 1 })).toEqual({
      memoryMb: 0,
      cpuPercent: 0,
      pids: 1,
      diskMb: 0,
    });
  });
});
