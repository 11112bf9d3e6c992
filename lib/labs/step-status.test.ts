import { describe, expect, it } from 'vitest';
import { isCounted, stepStatusOf } from './step-status';

const pressed = (status: string) => ({ status, automatic: false });
const background = (status: string) => ({ status, automatic: true });

describe('stepStatusOf', () => {
  it('is not started without results, failed after a failed check and passed after one pass', () => {
    expect(stepStatusOf([], false)).toBe('not-started');
    expect(stepStatusOf([pressed('fail'), pressed('error')], false)).toBe('failed');
    expect(stepStatusOf([pressed('fail'), pressed('pass'), pressed('fail')], false)).toBe('passed');
  });

  it('counts a background pass as a pass, and ignores background checks that did not pass', () => {
    expect(stepStatusOf([background('pass')], false)).toBe('passed');
    expect(stepStatusOf([background('fail'), background('error')], false)).toBe('not-started');
    expect(stepStatusOf([pressed('fail'), background('fail')], false)).toBe('failed');
  });

  it('says skipped for a skipped step, even when a check passed after the skip', () => {
    expect(stepStatusOf([], true)).toBe('skipped');
    expect(stepStatusOf([pressed('fail')], true)).toBe('skipped');
    expect(stepStatusOf([pressed('pass')], true)).toBe('skipped');
  });
});

describe('isCounted', () => {
  it('counts pressed checks and background passes only', () => {
    expect([pressed('fail'), pressed('pass'), background('pass'), background('fail')].map(isCounted)).toEqual(
      [true, true, true, false],
    );
  });
});
