import { describe, expect, it } from 'vitest';
import { experimentSchema, modelVersionSchema, registeredModelSchema, runSchema } from './entities';

describe('replies as MLflow’s client reads them', () => {
  it('decodes a run with what protobuf JSON leaves out: empty lists, default fields, run_uuid only', () => {
    const run = runSchema.parse({
      info: { run_uuid: 'abc', experiment_id: '0', start_time: '1700000000000', end_time: null },
      data: { metrics: [{ key: 'loss', value: 'NaN' }], tags: [{ key: 'empty' }] },
      extra: 'ignored',
    });
    expect(run).toEqual({
      info: {
        run_id: 'abc',
        run_uuid: 'abc',
        experiment_id: '0',
        status: 'RUNNING',
        start_time: 1_700_000_000_000,
        end_time: undefined,
        lifecycle_stage: 'active',
      },
      data: {
        metrics: [{ key: 'loss', value: NaN, timestamp: 0, step: 0 }],
        params: [],
        tags: [{ key: 'empty', value: '' }],
      },
      inputs: { dataset_inputs: [], model_inputs: [] },
    });
  });

  it('refuses a run with no id, and reads an unknown status as RUNNING', () => {
    expect(runSchema.safeParse({ info: { experiment_id: '0' } }).error?.issues[0]).toMatchObject({
      path: ['info'],
      message: 'A run has neither run_id nor run_uuid.',
    });
    expect(runSchema.parse({ info: { run_id: 'a', experiment_id: '0', status: 'DONE' } }).info.status).toBe(
      'RUNNING',
    );
  });

  it('defaults an experiment’s stage and tags', () => {
    expect(experimentSchema.parse({ experiment_id: '0', name: 'Default' })).toEqual({
      experiment_id: '0',
      name: 'Default',
      lifecycle_stage: 'active',
      tags: [],
    });
  });

  it('reads model stages in any letter case, numeric versions as text, and leaves out nothing it needs', () => {
    const version = modelVersionSchema.parse({ name: 'm', version: 2, current_stage: 'production' });
    expect(version).toMatchObject({ version: '2', current_stage: 'Production', aliases: [], tags: [] });
    expect(modelVersionSchema.parse({ name: 'm', version: '1' }).current_stage).toBe('None');
    const model = registeredModelSchema.parse({ name: 'm', latest_versions: [{ name: 'm', version: '1' }] });
    expect(model).toMatchObject({ aliases: [], tags: [], latest_versions: [{ current_stage: 'None' }] });
    expect(registeredModelSchema.safeParse({ name: 3 }).success).toBe(false);
  });
});
