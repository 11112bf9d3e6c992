import { describe, expect, it } from 'vitest';
import { MlflowError } from './errors';
import { parseFields, runIdOf } from './routing';
import { registryEndpoints, trackingEndpoints } from './wire';

/** The MLflow error a request's fields fail with. */
function failure(run: () => unknown): { error_code: string; message: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof MlflowError) return error.toJSON();
    throw error;
  }
  throw new Error('the fields were accepted');
}

describe('parsing a request’s fields', () => {
  it('names a missing, null or empty required field the way MLflow does', () => {
    for (const fields of [{}, { name: null }, { name: '' }, undefined]) {
      expect(failure(() => parseFields(trackingEndpoints.createExperiment.request, fields))).toEqual({
        error_code: 'INVALID_PARAMETER_VALUE',
        message: "Missing value for required parameter 'name'",
      });
    }
    const batch = { run_id: 'r', metrics: [{ key: 'acc', value: 1, step: 0 }] };
    expect(failure(() => parseFields(trackingEndpoints.logBatch.request, batch)).message).toBe(
      "Missing value for required parameter 'metrics[0].timestamp'",
    );
  });

  it('quotes a value of the wrong kind, and keeps a codec’s own sentence', () => {
    expect(
      failure(() => parseFields(trackingEndpoints.createExperiment.request, { name: 42 })).message,
    ).toMatch(/^Invalid value 42 for parameter 'name' supplied: /);
    const metric = { run_id: 'r', key: 'x', value: 'abc', timestamp: 1 };
    expect(failure(() => parseFields(trackingEndpoints.logMetric.request, metric)).message).toBe(
      "Invalid double value 'abc'.",
    );
  });

  it('reads query-string text: int64 as numbers, one value as a list, bools as words', () => {
    expect(
      parseFields(trackingEndpoints.searchExperiments.request, { max_results: '2', order_by: 'name DESC' }),
    ).toMatchObject({ max_results: 2, order_by: ['name DESC'] });
    const stage = { name: 'm', version: '1', stage: 'Production', archive_existing_versions: 'true' };
    expect(parseFields(registryEndpoints.transitionStage.request, stage).archive_existing_versions).toBe(
      true,
    );
  });

  it('takes the run from run_id or run_uuid, and asks for run_id when neither is there', () => {
    expect(runIdOf({ run_uuid: 'abc' })).toBe('abc');
    expect(failure(() => runIdOf({})).message).toBe("Missing value for required parameter 'run_id'");
  });
});
