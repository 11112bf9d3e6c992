import { describe, expect, it } from 'vitest';
import { HeldInput, heldInputMaxChars } from './held-input';

describe('input held while reconnecting', () => {
  it('gives back what was typed, in order, once', () => {
    const held = new HeldInput();
    expect(held.offer('ls')).toBe(true);
    expect(held.offer(' -la\r')).toBe(true);
    expect(held.take()).toBe('ls -la\r');
    expect(held.take()).toBe('');
  });

  it('refuses input past its limit without cutting a piece in two', () => {
    const held = new HeldInput();
    expect(held.offer('x'.repeat(heldInputMaxChars - 2))).toBe(true);
    expect(held.offer('\x1b[A')).toBe(false);
    expect(held.offer('ab')).toBe(true);
    expect(held.offer('c')).toBe(false);
    expect(held.size).toBe(heldInputMaxChars);
  });

  it('can be emptied', () => {
    const held = new HeldInput();
    held.offer('rm -rf build\r');
    held.clear();
    expect(held.take()).toBe('');
  });
});
