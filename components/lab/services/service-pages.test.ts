import { describe, expect, it } from 'vitest';
import { servicePagesFor } from './service-pages';

describe('service pages', () => {
  it('gives the tracking service an Experiments and a Models tab', () => {
    expect(servicePagesFor(['tracking']).map((p) => [p.id, p.title])).toEqual([
      ['experiments', 'Experiments'],
      ['models', 'Models'],
    ]);
  });

  it('gives the pipelines service a Pipelines tab, after the tracking ones when a lab lists both', () => {
    expect(servicePagesFor(['pipelines']).map((p) => [p.id, p.title])).toEqual([['pipelines', 'Pipelines']]);
    expect(servicePagesFor(['tracking', 'pipelines']).map((p) => p.id)).toEqual([
      'experiments',
      'models',
      'pipelines',
    ]);
  });

  it('adds no tab for a lab without services, unknown names or a repeated name', () => {
    expect(servicePagesFor([])).toEqual([]);
    expect(servicePagesFor(['serving-gateway'])).toEqual([]);
    expect(servicePagesFor(['tracking', 'tracking'])).toHaveLength(2);
  });
});
