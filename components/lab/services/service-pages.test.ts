import { describe, expect, it } from 'vitest';
import { servicePagesFor } from './service-pages';

describe('service pages', () => {
  it('gives the tracking service an Experiments and a Models tab', () => {
    expect(servicePagesFor(['tracking']).map((p) => [p.id, p.title])).toEqual([
      ['experiments', 'Experiments'],
      ['models', 'Models'],
    ]);
  });

  it('adds no tab for a lab without services, unknown names or a repeated name', () => {
    expect(servicePagesFor([])).toEqual([]);
    expect(servicePagesFor(['serving-gateway'])).toEqual([]);
    expect(servicePagesFor(['tracking', 'tracking'])).toHaveLength(2);
  });
});
