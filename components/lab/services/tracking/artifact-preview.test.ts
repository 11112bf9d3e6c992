import { describe, expect, it } from 'vitest';
import {
  baseName,
  decodeText,
  imageTypeOf,
  prettyJson,
  previewKindOf,
  sortArtifacts,
} from './artifact-preview';

describe('artifact previews', () => {
  it('previews images by extension, never SVG (it can hold scripts: shown as text)', () => {
    expect(previewKindOf('plots/loss.PNG')).toBe('image');
    expect(imageTypeOf('a.jpg')).toBe('image/jpeg');
    expect(previewKindOf('diagram.svg')).toBe('text');
    expect(imageTypeOf('diagram.svg')).toBeNull();
  });

  it('pretty-prints JSON, tries other files as text, and skips known binary files', () => {
    expect(previewKindOf('metrics.json')).toBe('json');
    expect(previewKindOf('model/MLmodel')).toBe('text');
    expect(previewKindOf('requirements.txt')).toBe('text');
    expect(previewKindOf('page.html')).toBe('text');
    expect(previewKindOf('model/model.pkl')).toBe('none');
    expect(previewKindOf('data.parquet')).toBe('none');
  });

  it('decodes UTF-8 text, and calls NUL bytes or invalid UTF-8 binary', () => {
    const utf8 = new TextEncoder().encode('température: 21°C\n');
    expect(decodeText(utf8, false)).toEqual({ kind: 'text', text: 'température: 21°C\n' });
    expect(decodeText(new Uint8Array([0x41, 0x00, 0x42]), false)).toEqual({ kind: 'binary' });
    expect(decodeText(new Uint8Array([0x80, 0x04, 0x95]), false)).toEqual({ kind: 'binary' });
  });

  it('keeps a text cut inside a character at the cap (the broken end is dropped)', () => {
    const bytes = new TextEncoder().encode('é'.repeat(3)).subarray(0, 5);
    expect(decodeText(bytes, true)).toEqual({ kind: 'text', text: 'éé' });
  });

  it('pretty-prints JSON, and leaves anything else as it is', () => {
    expect(prettyJson('{"a":1,"b":[1,2]}')).toBe('{\n  "a": 1,\n  "b": [\n    1,\n    2\n  ]\n}');
    expect(prettyJson('{"a":')).toBe('{"a":');
  });

  it('lists folders first, then files, by name with numbers in order', () => {
    const files = [
      { path: 'b.txt', isDir: false, size: 1 },
      { path: 'plots', isDir: true, size: null },
      { path: 'epoch-10.png', isDir: false, size: 1 },
      { path: 'epoch-9.png', isDir: false, size: 1 },
    ];
    expect(sortArtifacts(files).map((f) => f.path)).toEqual([
      'plots',
      'b.txt',
      'epoch-9.png',
      'epoch-10.png',
    ]);
    expect(baseName('model/data/model.pkl')).toBe('model.pkl');
  });
});
