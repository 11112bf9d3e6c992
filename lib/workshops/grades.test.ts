import { describe, expect, it } from 'vitest';
import { shapeDashboard } from './dashboard';
import { gradesCsv, gradesFileName } from './grades';

const at = (minute: number) => new Date(Date.UTC(2026, 11, 1, 9, minute));

describe('gradesCsv', () => {
  const view = shapeDashboard({
    labs: [
      {
        id: 'reproducible-training',
        title: 'Reproducible training',
        steps: [
          { id: 'deterministic-run', title: 'Deterministic' },
          { id: 'record-environment', title: 'Environment' },
          { id: 'write-metrics', title: 'Metrics' },
        ],
      },
    ],
    members: [
      { userId: 'u1', email: 'ada@example.com', name: 'Lovelace, Ada', joinedAt: at(0) },
      { userId: 'u2', email: 'eve@example.com', name: '=HYPERLINK("http://evil","click")', joinedAt: at(0) },
    ],
    results: [
      {
        userId: 'u1',
        labId: 'reproducible-training',
        stepId: 'deterministic-run',
        status: 'pass',
        automatic: false,
        createdAt: at(4),
      },
      {
        userId: 'u1',
        labId: 'reproducible-training',
        stepId: 'record-environment',
        status: 'fail',
        automatic: false,
        createdAt: at(6),
      },
      {
        userId: 'u2',
        labId: 'reproducible-training',
        stepId: 'record-environment',
        status: 'pass',
        automatic: true,
        createdAt: at(7),
      },
    ],
    reveals: [{ userId: 'u1', labId: 'reproducible-training', stepId: 'deterministic-run' }],
    skips: [{ userId: 'u2', labId: 'reproducible-training', stepId: 'deterministic-run' }],
    progress: [],
    sandboxes: [],
    now: at(10),
  });

  it('has a header, then one row per learner with pass, fail and — per step', () => {
    const lines = gradesCsv(view).split('\r\n');
    expect(lines[0]).toBe(
      'email,name,reproducible-training/deterministic-run,reproducible-training/record-environment,reproducible-training/write-metrics,steps passed,solution reveals,last activity',
    );
    expect(lines).toContain(`ada@example.com,"Lovelace, Ada",pass,fail,—,1,1,${at(6).toISOString()}`);
    expect(lines.at(-1)).toBe('');
  });

  it('writes a skipped step as skipped, which is not a pass, and a background pass as a pass', () => {
    expect(gradesCsv(view).split('\r\n')).toContain(
      `eve@example.com,"'=HYPERLINK(""http://evil"",""click"")",skipped,pass,—,1,0,${at(7).toISOString()}`,
    );
  });

  it('neutralises a formula in a name', () => {
    const csv = gradesCsv(view);
    expect(csv).toContain(`eve@example.com,"'=HYPERLINK(""http://evil"",""click"")",`);
    expect(csv).not.toMatch(/,=HYPERLINK/);
  });
});

describe('gradesFileName', () => {
  it('keeps letters and digits of the title and adds the date', () => {
    expect(gradesFileName('MLOps 101: Day 1 / "Berlin"', at(0))).toBe(
      'mlops-101-day-1-berlin-grades-2026-12-01.csv',
    );
    expect(gradesFileName('<script>', at(0))).toBe('script-grades-2026-12-01.csv');
    expect(gradesFileName('!!!', at(0))).toBe('workshop-grades-2026-12-01.csv');
  });
});
