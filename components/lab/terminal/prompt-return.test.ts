import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPromptReturn, isShellPrompt } from './prompt-return';

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('isShellPrompt', () => {
  it('knows the sandbox prompt, in any folder and after a prefix', () => {
    expect(isShellPrompt('learner@lab:~/work$ ')).toBe(true);
    expect(isShellPrompt('learner@lab:~/work/my data$ ')).toBe(true);
    expect(isShellPrompt('(venv) learner@lab:/tmp$ ')).toBe(true);
  });

  it('is not fooled by a running program, another prompt or typed-ahead text', () => {
    expect(isShellPrompt('')).toBe(false);
    expect(isShellPrompt('epoch 3/10')).toBe(false);
    expect(isShellPrompt('>>> ')).toBe(false);
    expect(isShellPrompt('learner@lab:~/work$ python3 train.py')).toBe(false);
  });
});

describe('createPromptReturn', () => {
  function watch(screen: { line: string }) {
    const onPromptReturn = vi.fn();
    const prompt = createPromptReturn({ readBeforeCursor: () => screen.line, onPromptReturn });
    return { prompt, onPromptReturn };
  }

  it('reports once when the prompt is back after a submitted command', () => {
    const screen = { line: '' };
    const { prompt, onPromptReturn } = watch(screen);
    prompt.noteInput('python3 train.py\r');
    prompt.noteOutput();
    vi.advanceTimersByTime(1_000);
    expect(onPromptReturn).not.toHaveBeenCalled();
    screen.line = 'learner@lab:~/work$ ';
    prompt.noteOutput();
    vi.advanceTimersByTime(249);
    expect(onPromptReturn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(onPromptReturn).toHaveBeenCalledTimes(1);
    prompt.noteOutput();
    vi.advanceTimersByTime(1_000);
    expect(onPromptReturn).toHaveBeenCalledTimes(1);
  });

  it('ignores output that was not preceded by Enter (typing, a program printing by itself)', () => {
    const screen = { line: 'learner@lab:~/work$ ' };
    const { prompt, onPromptReturn } = watch(screen);
    prompt.noteInput('ls');
    prompt.noteOutput();
    vi.advanceTimersByTime(1_000);
    expect(onPromptReturn).not.toHaveBeenCalled();
  });

  it('waits while output keeps coming', () => {
    const screen = { line: 'learner@lab:~/work$ ' };
    const { prompt, onPromptReturn } = watch(screen);
    prompt.noteInput('\r');
    for (let i = 0; i < 10; i += 1) {
      prompt.noteOutput();
      vi.advanceTimersByTime(200);
    }
    expect(onPromptReturn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(50);
    expect(onPromptReturn).toHaveBeenCalledTimes(1);
  });

  it('reports nothing once disposed', () => {
    const { prompt, onPromptReturn } = watch({ line: 'learner@lab:~/work$ ' });
    prompt.noteInput('\r');
    prompt.noteOutput();
    prompt.dispose();
    vi.advanceTimersByTime(1_000);
    expect(onPromptReturn).not.toHaveBeenCalled();
  });
});
