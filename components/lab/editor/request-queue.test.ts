import { describe, expect, it } from 'vitest';
import { RequestQueue } from './request-queue';

/** A promise settled from the outside, to control when a fake request finishes. */
function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('RequestQueue', () => {
  it('runs one task at a time, in order', async () => {
    const queue = new RequestQueue();
    const first = deferred<string>();
    const log: string[] = [];

    const a = queue.run(async () => {
      log.push('a starts');
      const value = await first.promise;
      log.push('a ends');
      return value;
    });
    const b = queue.run(async () => {
      log.push('b starts');
      return 'b';
    });
    await tick();
    expect(log).toEqual(['a starts']);
    expect(queue.isBusy).toBe(true);

    first.resolve('a');
    await expect(Promise.all([a, b])).resolves.toEqual(['a', 'b']);
    expect(log).toEqual(['a starts', 'a ends', 'b starts']);
    expect(queue.isBusy).toBe(false);
  });

  it('keeps going after a task fails', async () => {
    const queue = new RequestQueue();
    const failing = queue.run(async () => {
      throw new Error('no');
    });
    const next = queue.run(async () => 'still runs');

    await expect(failing).rejects.toThrow('no');
    await expect(next).resolves.toBe('still runs');
  });

  it('shares a refresh that has not started yet, but queues one behind a running refresh', async () => {
    const queue = new RequestQueue();
    const blocker = deferred();
    let refreshes = 0;
    const refresh = async () => {
      refreshes++;
      await blocker.promise;
    };

    const running = queue.refresh(refresh);
    await tick();
    const second = queue.refresh(refresh);
    const third = queue.refresh(refresh);
    expect(third).toBe(second);
    expect(second).not.toBe(running);

    blocker.resolve();
    await Promise.all([running, second, third]);
    expect(refreshes).toBe(2);
  });
});
