import { describe, expect, it } from 'vitest';
import { isLabkitService, labkitEnvironment, labkitServiceNames, labkitServices } from './labkit-services';

describe('labkit services', () => {
  it('lists tracking on port 5000 with MLflow’s variable', () => {
    expect(labkitServiceNames).toContain('tracking');
    expect(labkitServices.tracking).toMatchObject({ port: 5000, healthPath: '/health' });
    expect(labkitEnvironment(['tracking'])).toEqual({ MLFLOW_TRACKING_URI: 'http://127.0.0.1:5000' });
  });

  it('lists pipelines on its own port, adding nothing to the environment', () => {
    expect(labkitServices.pipelines).toMatchObject({ port: 5100, healthPath: '/health', title: 'Pipelines' });
    const ports = labkitServiceNames.map((name) => labkitServices[name].port);
    expect(new Set(ports).size).toBe(ports.length);
    expect(labkitEnvironment(['tracking', 'pipelines'])).toEqual({
      MLFLOW_TRACKING_URI: 'http://127.0.0.1:5000',
    });
  });

  it('gives no environment for no services or unknown names, and knows its own names only', () => {
    expect(labkitEnvironment([])).toEqual({});
    expect(labkitEnvironment(['nope'])).toEqual({});
    expect(isLabkitService('tracking')).toBe(true);
    expect(isLabkitService('toString')).toBe(false);
    expect(isLabkitService('__proto__')).toBe(false);
  });
});
