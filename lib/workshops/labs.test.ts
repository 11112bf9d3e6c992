import { describe, expect, it } from 'vitest';
import { inCourseOrder, labIdsOf } from './labs';

describe("a workshop's labs", () => {
  it('come in the course’s order (by chapter), whatever order they were ticked in', () => {
    const ticked = ['model-registry', 'experiment-tracking', 'reproducible-training'];
    expect(inCourseOrder(ticked)).toEqual(['reproducible-training', 'experiment-tracking', 'model-registry']);
    expect(labIdsOf({ labs: JSON.stringify(['experiment-tracking', 'reproducible-training']) })).toEqual([
      'reproducible-training',
      'experiment-tracking',
    ]);
  });

  it('leave out labs that no longer exist, and survive a broken list', () => {
    expect(labIdsOf({ labs: JSON.stringify(['gone-lab', 'model-registry']) })).toEqual(['model-registry']);
    expect(labIdsOf({ labs: 'not json' })).toEqual([]);
  });
});
