import { describe, expect, it } from 'vitest';
import { monacoHexColor } from './monaco-theme';

describe('monacoHexColor', () => {
  it('expands the short forms minified CSS produces, which Monaco would reject', () => {
    expect(monacoHexColor('#fff')).toBe('#ffffff');
    expect(monacoHexColor(' #0F1419 ')).toBe('#0f1419');
    expect(monacoHexColor('#abcd')).toBe('#aabbccdd');
    expect(monacoHexColor('#11223344')).toBe('#11223344');
  });

  it('gives undefined for anything that is not a hex colour', () => {
    for (const value of ['', 'white', 'rgb(0 0 0)', '#ff', '#fffff', 'var(--bg)']) {
      expect(monacoHexColor(value), value).toBeUndefined();
    }
  });
});
