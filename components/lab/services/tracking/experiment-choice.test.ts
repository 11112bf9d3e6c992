import { describe, expect, it } from 'vitest';
import { defaultExperimentId, experimentOptions } from './experiment-choice';
import type { Experiment } from './tracking-client';

const experiment = (id: string, creationTime: number): Experiment => ({
  id,
  name: `e${id}`,
  isActive: true,
  creationTime,
  lastUpdateTime: creationTime,
});

describe('the experiment shown before the learner picks one', () => {
  const experiments = [experiment('0', 1), experiment('1', 3), experiment('2', 2)];

  it('is the one the newest run was logged to', () => {
    expect(defaultExperimentId(experiments, '2')).toBe('2');
  });

  it('is the newest experiment when there is no run (or its experiment is gone)', () => {
    expect(defaultExperimentId(experiments, null)).toBe('1');
    expect(defaultExperimentId(experiments, '9')).toBe('1');
  });

  it('is none before the service lists any', () => {
    expect(defaultExperimentId([], null)).toBeNull();
  });
});

describe("the experiment picker's options", () => {
  it('are labelled with the experiment names alone: an id in brackets, "late-orders (1)", reads as a run count', () => {
    const options = experimentOptions([
      { ...experiment('0', 1), name: 'Default' },
      { ...experiment('1', 2), name: 'late-orders' },
    ]);
    expect(options).toEqual([
      { value: '0', label: 'Default' },
      { value: '1', label: 'late-orders' },
    ]);
  });
});
