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

  it('runs a save before the tasks waiting, after the saves already waiting', async () => {
    const queue = new RequestQueue();
    const blocker = deferred();
    const log: string[] = [];
    const task = (name: string) => async () => void log.push(name);

    const running = queue.run(async () => {
      await blocker.promise;
      log.push('running');
    });
    const waiting = [queue.run(task('task 1')), queue.refresh(task('refresh'))];
    const saves = [queue.save(task('save 1')), queue.save(task('save 2'))];
    waiting.push(queue.run(task('task 2')));
    await tick();
    expect(log).toEqual([]);

    blocker.resolve();
    await Promise.all([running, ...waiting, ...saves]);
    expect(log).toEqual(['running', 'save 1', 'save 2', 'task 1', 'refresh', 'task 2']);
  });

  it('never cancels a task that is not a refresh: a save waits for it', async () => {
    const queue = new RequestQueue();
    const blocker = deferred();
    const log: string[] = [];

    const write = queue.run(async () => {
      await blocker.promise;
      log.push('write');
    });
    const save = queue.save(async () => void log.push('save'));
    await tick();
    expect(log).toEqual([]);
    blocker.resolve();
    await Promise.all([write, save]);
    expect(log).toEqual(['write', 'save']);
  });

  it('cancels a running refresh for a save, then runs the refresh again from the start', async () => {
    const queue = new RequestQueue();
    const log: string[] = [];
    const slow = deferred();
    const signals: AbortSignal[] = [];
    let runs = 0;

    const refreshed = queue.refresh(async (signal) => {
      signals.push(signal);
      const run = ++runs;
      log.push(`refresh ${run} starts`);
      // The first run is slow (until cancelled), the second quick.
      if (run === 1)
        await Promise.race([slow.promise, new Promise((r) => signal.addEventListener('abort', r))]);
      log.push(signal.aborted ? `refresh ${run} cancelled` : `refresh ${run} ends`);
    });
    await tick();
    expect(log).toEqual(['refresh 1 starts']);

    // The save starts at once, without waiting for the refresh to notice it was cancelled.
    const saved = queue.save(async () => {
      log.push('save');
      return 'saved';
    });
    expect(signals[0]?.aborted).toBe(true);
    await expect(saved).resolves.toBe('saved');
    await refreshed;
    expect(runs).toBe(2);
    expect(signals[1]?.aborted).toBe(false);
    // The cancelled run may notice only later; it changes nothing once cancelled (its contract).
    expect(log).toContain('refresh 1 cancelled');
    expect(log.filter((line) => line !== 'refresh 1 cancelled')).toEqual([
      'refresh 1 starts',
      'save',
      'refresh 2 starts',
      'refresh 2 ends',
    ]);
    expect(queue.isBusy).toBe(false);
  });

  it('settles the callers of a cancelled refresh only once it ran again, and shares the rerun with a waiting refresh', async () => {
    const queue = new RequestQueue();
    const signals: AbortSignal[] = [];
    const firstRun = deferred();
    let runs = 0;
    const refresh = async (signal: AbortSignal) => {
      signals.push(signal);
      runs++;
      if (runs === 1) await firstRun.promise;
    };

    const running = queue.refresh(refresh);
    await tick();
    const waiting = queue.refresh(refresh);
    let isRunningSettled = false;
    void running.then(() => (isRunningSettled = true));

    await queue.save(async () => undefined);
    // The cancelled run ending late changes nothing: its callers wait for the rerun.
    firstRun.resolve();
    await tick();
    await Promise.all([running, waiting]);
    expect(isRunningSettled).toBe(true);
    expect(runs).toBe(2);
    expect(signals.map((signal) => signal.aborted)).toEqual([true, false]);
  });

  it('keeps one refresh waiting when several saves cancel it', async () => {
    const queue = new RequestQueue();
    const log: string[] = [];
    const hold = deferred();
    let runs = 0;
    const refreshed = queue.refresh(async (signal) => {
      runs++;
      log.push(`refresh ${runs}`);
      if (runs === 1)
        await Promise.race([hold.promise, new Promise((r) => signal.addEventListener('abort', r))]);
    });
    await tick();

    const saves = [
      queue.save(async () => void log.push('save 1')),
      queue.save(async () => void log.push('save 2')),
    ];
    await Promise.all([...saves, refreshed]);
    expect(log).toEqual(['refresh 1', 'save 1', 'save 2', 'refresh 2']);
  });

  it('settles a failing save with its error and keeps going', async () => {
    const queue = new RequestQueue();
    const failing = queue.save(async () => {
      throw new Error('disk full');
    });
    const next = queue.run(async () => 'next');
    await expect(failing).rejects.toThrow('disk full');
    await expect(next).resolves.toBe('next');
  });

  it('settles a task that throws before returning a promise', async () => {
    const queue = new RequestQueue();
    const thrown = queue.run((() => {
      throw new Error('at once');
    }) as () => Promise<void>);
    await expect(thrown).rejects.toThrow('at once');
    await expect(queue.run(async () => 1)).resolves.toBe(1);
  });
});
