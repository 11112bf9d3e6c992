import { describe, expect, it } from 'vitest';
import { firstFailingDetail, nextHint, offeredHints, parseShownHints, type StepHint } from './hints';

const hints: StepHint[] = [
  { text: 'Look for randomness.' },
  { text: 'Seed the shuffle.', when: 'mae identical' },
  { text: 'Use random_state.' },
  { text: 'Seed the forest.', when: 'model.joblib identical' },
];

const failed = (...details: [string, string][]) => ({
  status: 'fail',
  details: details.map(([name, status]) => ({ name, status })),
});

describe('firstFailingDetail', () => {
  it('names the first detail that failed in a failed check', () => {
    expect(
      firstFailingDetail(failed(['runs', 'pass'], ['mae identical', 'fail'], ['rmse identical', 'fail'])),
    ).toBe('mae identical');
  });

  it('is null without a failed check or without a failing detail', () => {
    expect(firstFailingDetail(null)).toBeNull();
    expect(firstFailingDetail({ status: 'pass', details: [{ name: 'x', status: 'pass' }] })).toBeNull();
    expect(firstFailingDetail({ status: 'error', details: [{ name: 'x', status: 'fail' }] })).toBeNull();
    expect(firstFailingDetail(failed(['x', 'pass']))).toBeNull();
  });
});

describe('offeredHints and nextHint', () => {
  it('offers the general hints in order before any failed check', () => {
    expect(offeredHints(hints, null)).toEqual([0, 2]);
    expect(nextHint(hints, [], null)).toBe(0);
  });

  it('offers the hint for the first failing detail first, then the general ones', () => {
    expect(offeredHints(hints, 'mae identical')).toEqual([1, 0, 2]);
    expect(nextHint(hints, [], 'mae identical')).toBe(1);
    expect(nextHint(hints, [1], 'mae identical')).toBe(0);
  });

  it('skips hints already shown, whatever the order they were shown in', () => {
    expect(nextHint(hints, [0], 'model.joblib identical')).toBe(3);
    expect(nextHint(hints, [0, 3], 'model.joblib identical')).toBe(2);
    expect(nextHint(hints, [0, 2, 3], 'model.joblib identical')).toBeNull();
  });

  it('leaves out hints for other states and details no hint is for', () => {
    expect(offeredHints(hints, 'r2 identical')).toEqual([0, 2]);
  });
});

describe('parseShownHints', () => {
  it('reads a stored list of indices, dropping what does not fit the step', () => {
    expect(parseShownHints('[1,0]', 4)).toEqual([1, 0]);
    expect(parseShownHints('[1,1,7,-1,"x",2.5]', 4)).toEqual([1]);
  });

  it('reads the older count of first hints shown', () => {
    expect(parseShownHints('2', 4)).toEqual([0, 1]);
    expect(parseShownHints('9', 3)).toEqual([0, 1, 2]);
  });

  it('is empty for nothing stored or something unreadable', () => {
    expect(parseShownHints(null, 3)).toEqual([]);
    expect(parseShownHints('{', 3)).toEqual([]);
    expect(parseShownHints('{"a":1}', 3)).toEqual([]);
  });
});
