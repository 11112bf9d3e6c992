import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCommandSettle } from './command-settle';

describe('command settled (Enter, then quiet output)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function setUp() {
    const onSettled = vi.fn();
    const settle = createCommandSettle({ onSettled, quietMs: 1_000, maxWaitMs: 5_000 });
    return { onSettled, settle };
  }

  it('reports once, a second after the output of an entered command stops', () => {
    const { onSettled, settle } = setUp();
    settle.noteInput('ls\r');
    vi.advanceTimersByTime(500);
    settle.noteOutput();
    vi.advanceTimersByTime(900);
    expect(onSettled).not.toHaveBeenCalled();
    vi.advanceTimersByTime(100);
    expect(onSettled).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(10_000);
    expect(onSettled).toHaveBeenCalledTimes(1);
  });

  it('stays quiet for typing without Enter and for output nobody asked for', () => {
    const { onSettled, settle } = setUp();
    settle.noteInput('l');
    settle.noteInput('s');
    settle.noteOutput();
    vi.advanceTimersByTime(10_000);
    expect(onSettled).not.toHaveBeenCalled();
  });

  it('counts a pasted block of lines as Enter', () => {
    const { onSettled, settle } = setUp();
    settle.noteInput('\x1b[200~echo a\recho b\x1b[201~');
    vi.advanceTimersByTime(1_000);
    expect(onSettled).toHaveBeenCalledTimes(1);
  });

  it('reports a command that keeps printing after 5 s, then again when it ends', () => {
    const { onSettled, settle } = setUp();
    settle.noteInput('python train.py\r');
    for (let elapsed = 0; elapsed < 12_000; elapsed += 200) {
      settle.noteOutput();
      vi.advanceTimersByTime(200);
    }
    expect(onSettled).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1_000);
    expect(onSettled).toHaveBeenCalledTimes(2);
  });

  it('reports nothing after it is disposed', () => {
    const { onSettled, settle } = setUp();
    settle.noteInput('make\r');
    settle.dispose();
    vi.advanceTimersByTime(10_000);
    expect(onSettled).not.toHaveBeenCalled();
  });
});
