import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createActivitySignal, createAutoCheckScheduler } from './auto-check';

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

/** A run that stays in flight until `finish()` is called. */
function controlledRun() {
  const finishers: (() => void)[] = [];
  const run = vi.fn(
    () =>
      new Promise<void>((resolve) => {
        finishers.push(resolve);
      }),
  );
  return { run, finish: () => finishers.shift()?.() };
}

describe('createAutoCheckScheduler', () => {
  it('runs once, 2 s after the last of a burst of activity', () => {
    const run = vi.fn(() => Promise.resolve());
    const scheduler = createAutoCheckScheduler({ run, shouldRun: () => true });
    scheduler.noteActivity();
    vi.advanceTimersByTime(1_500);
    scheduler.noteActivity();
    vi.advanceTimersByTime(1_999);
    expect(run).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(run).toHaveBeenCalledTimes(1);
  });

  it('drops a check that should not run when its time comes, and runs on the next activity', () => {
    const run = vi.fn(() => Promise.resolve());
    let isVisible = false;
    const scheduler = createAutoCheckScheduler({ run, shouldRun: () => isVisible });
    scheduler.noteActivity();
    vi.advanceTimersByTime(2_000);
    isVisible = true;
    vi.advanceTimersByTime(10_000);
    expect(run).not.toHaveBeenCalled();
    scheduler.noteActivity();
    vi.advanceTimersByTime(2_000);
    expect(run).toHaveBeenCalledTimes(1);
  });

  it('never runs two at once: activity during a check makes one more after it', async () => {
    const { run, finish } = controlledRun();
    const scheduler = createAutoCheckScheduler({ run, shouldRun: () => true });
    scheduler.noteActivity();
    vi.advanceTimersByTime(2_000);
    expect(run).toHaveBeenCalledTimes(1);
    scheduler.noteActivity();
    scheduler.noteActivity();
    vi.advanceTimersByTime(5_000);
    expect(run).toHaveBeenCalledTimes(1);
    finish();
    await vi.advanceTimersByTimeAsync(1_999);
    expect(run).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(run).toHaveBeenCalledTimes(2);
    finish();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(run).toHaveBeenCalledTimes(2);
  });

  it('keeps going after a check that failed', async () => {
    const run = vi.fn(() => Promise.reject(new Error('offline')));
    const scheduler = createAutoCheckScheduler({ run, shouldRun: () => true });
    scheduler.noteActivity();
    await vi.advanceTimersByTimeAsync(2_000);
    scheduler.noteActivity();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(run).toHaveBeenCalledTimes(2);
  });

  it('does nothing once disposed', async () => {
    const { run, finish } = controlledRun();
    const scheduler = createAutoCheckScheduler({ run, shouldRun: () => true });
    scheduler.noteActivity();
    vi.advanceTimersByTime(2_000);
    scheduler.noteActivity();
    scheduler.dispose();
    finish();
    scheduler.noteActivity();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(run).toHaveBeenCalledTimes(1);
  });
});

describe('createActivitySignal', () => {
  it('tells every subscriber until it unsubscribes', () => {
    const signal = createActivitySignal();
    const first = vi.fn();
    const second = vi.fn();
    const unsubscribe = signal.subscribe(first);
    signal.subscribe(second);
    signal.emit();
    unsubscribe();
    signal.emit();
    expect(first).toHaveBeenCalledTimes(1);
    expect(second).toHaveBeenCalledTimes(2);
  });
});
