import { describe, expect, it } from 'vitest';
import { safeNextPath } from './next-path';

describe('safeNextPath', () => {
  it('keeps a path on this site, with its query and fragment', () => {
    expect(safeNextPath('/labs/reproducible-training')).toBe('/labs/reproducible-training');
    expect(safeNextPath('/me?tab=labs#done')).toBe('/me?tab=labs#done');
    expect(safeNextPath('/')).toBe('/');
  });

  it('refuses another site however it is spelled', () => {
    for (const value of [
      'https://evil.example/',
      '//evil.example/path',
      '/\\evil.example',
      '\\\\evil.example',
      'javascript:alert(1)',
      '/\tevil',
      ' /labs',
      'labs/x',
      '',
      null,
      undefined,
    ]) {
      expect(safeNextPath(value), String(value)).toBeNull();
    }
  });

  it('does not send someone back to the log-in or sign-up page', () => {
    expect(safeNextPath('/login?next=/labs')).toBeNull();
    expect(safeNextPath('/signup')).toBeNull();
  });

  it('refuses something absurdly long', () => {
    expect(safeNextPath(`/${'a'.repeat(2001)}`)).toBeNull();
  });
});
