import { describe, expect, it } from 'vitest';
import type { GradeResult } from '../api/grading';
import { judgeCheat, phaseWidthOf, verdictLines, type CheatVerdict } from './verdicts';

const result = (
  status: GradeResult['status'],
  details: [string, GradeResult['status']][] = [],
): GradeResult => ({
  stepId: 'promote',
  status,
  message: status === 'pass' ? 'The gate works.' : 'The gate let a worse model through.',
  details: details.map(([name, detailStatus]) => ({ name, status: detailStatus })),
  durationMs: 2100,
});

const cheat = { name: 'constant-metrics', fakes: 'hard-codes the metrics', failsOn: 'gate refuses worse' };
const cheatVerdict = (graded: GradeResult | undefined, extra: Partial<CheatVerdict> = {}): CheatVerdict => ({
  labId: 'model-registry',
  stepId: 'promote',
  phase: 'cheat',
  expected: 'fail',
  cheat,
  prepareMs: 4300,
  result: graded,
  ok: graded ? judgeCheat(cheat.failsOn, graded).ok : false,
  ...extra,
});

describe('judgeCheat', () => {
  it('counts a cheat as caught only when the named detail failed', () => {
    const caught = result('fail', [
      ['champion promoted', 'pass'],
      ['gate refuses worse', 'fail'],
    ]);
    expect(judgeCheat('gate refuses worse', caught)).toEqual({ ok: true, got: 'fail' });
  });

  it('does not count a fail on other details, naming them', () => {
    const elsewhere = result('fail', [
      ['champion promoted', 'fail'],
      ['stages archived', 'fail'],
      ['gate refuses worse', 'pass'],
    ]);
    expect(judgeCheat('gate refuses worse', elsewhere)).toEqual({
      ok: false,
      got: 'fail on "champion promoted", "stages archived"',
    });
    expect(judgeCheat('gate refuses worse', result('fail'))).toEqual({
      ok: false,
      got: 'fail, no detail failed',
    });
  });

  it('never counts a pass or an error as caught', () => {
    expect(judgeCheat('gate refuses worse', result('pass'))).toEqual({ ok: false, got: 'pass' });
    expect(judgeCheat('gate refuses worse', result('error', [['gate refuses worse', 'fail']]))).toEqual({
      ok: false,
      got: 'error',
    });
  });
});

describe('verdictLines', () => {
  const width = 'promote'.length;
  const phaseWidth = phaseWidthOf(['constant-metrics']);

  it('prints a caught cheat on one line, with the grading time and the time to prepare it', () => {
    const verdict = cheatVerdict(result('fail', [['gate refuses worse', 'fail']]));
    expect(verdictLines(verdict, width, phaseWidth)).toEqual([
      '✓ model-registry  promote  cheat:constant-metrics expected fail on "gate refuses worse", got fail  (2.1 s, prepared in 4.3 s)',
    ]);
  });

  it('names the cheat, what it fakes and what the check said when the check passed it', () => {
    const [line] = verdictLines(cheatVerdict(result('pass')), width, phaseWidth);
    expect(line).toBe(
      '✗ model-registry  promote  cheat:constant-metrics expected fail on "gate refuses worse", got pass  (2.1 s, prepared in 4.3 s): the check passed a cheat that hard-codes the metrics; it said: The gate works.',
    );
  });

  it('says which details failed instead of the named one', () => {
    const [line] = verdictLines(
      cheatVerdict(result('fail', [['champion promoted', 'fail']])),
      width,
      phaseWidth,
    );
    expect(line).toMatch(
      /got fail on "champion promoted" {2}\(2\.1 s, prepared in 4\.3 s\): the check failed a cheat that hard-codes the metrics, but not on "gate refuses worse"; it said: The gate let a worse model through\.$/,
    );
  });

  it('shows the diagnostics of an error, and why a cheat could not be prepared', () => {
    const crashed = {
      ...result('error'),
      message: 'The check could not finish.',
      diagnostics: 'Traceback\nKeyError',
    };
    expect(verdictLines(cheatVerdict(crashed), width, phaseWidth)).toEqual([
      expect.stringMatching(
        /got error .*: the check gave error for a cheat that hard-codes the metrics: The check could not finish\.$/,
      ),
      '    Traceback\n    KeyError',
    ]);
    const unprepared = cheatVerdict(undefined, {
      unprepared: 'setup `false` exited with 1',
      diagnostics: 'oops',
    });
    expect(verdictLines(unprepared, width, phaseWidth)).toEqual([
      '✗ model-registry  promote  cheat:constant-metrics expected fail on "gate refuses worse", not graded  (prepared in 4.3 s): the cheat could not be prepared: setup `false` exited with 1',
      '    oops',
    ]);
  });

  it('prints the other phases as before, aligned with the cheats', () => {
    const verdict = {
      labId: 'model-registry',
      stepId: 'promote',
      phase: 'starter' as const,
      expected: 'fail' as const,
      result: result('fail'),
      ok: true,
    };
    expect(verdictLines(verdict, width)).toEqual([
      '✓ model-registry  promote  starter  expected fail, got fail  (2.1 s)',
    ]);
    expect(verdictLines({ ...verdict, expected: 'pass', ok: false }, width, phaseWidth)).toEqual([
      '✗ model-registry  promote  starter                expected pass, got fail  (2.1 s): The gate let a worse model through.',
    ]);
  });
});
