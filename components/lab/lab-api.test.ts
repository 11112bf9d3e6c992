import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '@/lib/http/api-error';
import { labApi, TooManySessionsError } from './lab-api';

function answer(status: number, body: unknown) {
  vi.stubGlobal(
    'fetch',
    vi.fn(async () => Response.json(body, { status })),
  );
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('labApi.start', () => {
  it('reads a start refused at the limit into the labs holding the sandboxes', async () => {
    const runningLabs = [
      { id: 'experiment-tracking', title: 'Experiment tracking' },
      { id: 'reproducible-training', title: 'Reproducible training' },
    ];
    answer(409, { error: 'TOO_MANY_SESSIONS', message: 'You have 2 lab sandboxes running.', runningLabs });

    const refused = await labApi.start('model-registry').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TooManySessionsError);
    expect(refused).toMatchObject({
      status: 409,
      code: 'TOO_MANY_SESSIONS',
      message: 'You have 2 lab sandboxes running.',
      runningLabs,
    });
  });

  it('names no lab when the answer lists none, or not in the expected shape', async () => {
    answer(409, { error: 'TOO_MANY_SESSIONS', message: 'Stop one.', runningLabs: [{ id: 3 }] });
    await expect(labApi.start('x')).rejects.toMatchObject({ runningLabs: [] });
  });

  it('leaves other refusals as they are', async () => {
    answer(429, { error: 'AT_CAPACITY', message: 'All sandboxes are in use.' });
    const refused = await labApi.start('x').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ApiError);
    expect(refused).not.toBeInstanceOf(TooManySessionsError);
    expect(refused).toMatchObject({ status: 429, code: 'AT_CAPACITY' });
  });
});
