import { describe, expect, it } from 'vitest';
import { clipboardAction, isMacPlatform } from './clipboard-keys';

type Press = Parameters<typeof clipboardAction>[0];

function press(key: string, modifiers: Partial<Press> = {}): Press {
  return {
    type: 'keydown',
    key,
    code: /^[a-z]$/i.test(key) ? `Key${key.toUpperCase()}` : '',
    ctrlKey: false,
    shiftKey: false,
    altKey: false,
    metaKey: false,
    ...modifiers,
  };
}

describe('copy and paste keys', () => {
  it('copies with Ctrl+Shift+C and pastes with Ctrl+Shift+V on Linux and Windows', () => {
    expect(clipboardAction(press('C', { ctrlKey: true, shiftKey: true }), false)).toBe('copy');
    expect(clipboardAction(press('V', { ctrlKey: true, shiftKey: true }), false)).toBe('paste');
  });

  it('leaves plain Ctrl+C (interrupt) and Ctrl+V to the shell', () => {
    expect(clipboardAction(press('c', { ctrlKey: true }), false)).toBeNull();
    expect(clipboardAction(press('v', { ctrlKey: true }), false)).toBeNull();
    expect(clipboardAction(press('c', { ctrlKey: true }), true)).toBeNull();
  });

  it('copies with ⌘C and pastes with ⌘V on macOS', () => {
    expect(clipboardAction(press('c', { metaKey: true }), true)).toBe('copy');
    expect(clipboardAction(press('v', { metaKey: true }), true)).toBe('paste');
    expect(clipboardAction(press('c', { metaKey: true, shiftKey: true }), true)).toBeNull();
  });

  it('acts on key down only, and not with Alt', () => {
    expect(
      clipboardAction({ ...press('C', { ctrlKey: true, shiftKey: true }), type: 'keyup' }, false),
    ).toBeNull();
    expect(clipboardAction(press('C', { ctrlKey: true, shiftKey: true, altKey: true }), false)).toBeNull();
  });

  it('finds the key on a non-Latin layout by its place', () => {
    expect(clipboardAction({ ...press('С', { ctrlKey: true, shiftKey: true }), code: 'KeyC' }, false)).toBe(
      'copy',
    );
  });

  it('recognises Apple platforms', () => {
    expect(isMacPlatform({ platform: 'MacIntel', userAgent: '' })).toBe(true);
    expect(isMacPlatform({ platform: 'Linux x86_64', userAgent: '' })).toBe(false);
    expect(isMacPlatform({ platform: '', userAgent: 'Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X)' })).toBe(
      true,
    );
  });
});
