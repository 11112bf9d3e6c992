import { describe, expect, it } from 'vitest';
import { paneSizesKey, parsePaneSizes } from './pane-sizes';

const panels = ['pane-instructions', 'pane-work'];

describe('remembered pane sizes', () => {
  it('are kept per learner and per split', () => {
    expect(paneSizesKey('user-1', 'columns')).toBe('academy:pane-sizes:user-1:columns');
    expect(paneSizesKey('user-1', 'columns')).not.toBe(paneSizesKey('user-2', 'columns'));
    expect(paneSizesKey('user-1', 'columns')).not.toBe(paneSizesKey('user-1', 'rows'));
  });

  it('read back a layout of exactly the split’s panels', () => {
    const stored = JSON.stringify({ 'pane-instructions': 41.5, 'pane-work': 58.5 });
    expect(parsePaneSizes(stored, panels)).toEqual({ 'pane-instructions': 41.5, 'pane-work': 58.5 });
  });

  it('ignore nothing stored, broken JSON, other panels and sizes that do not add up', () => {
    expect(parsePaneSizes(null, panels)).toBeNull();
    expect(parsePaneSizes('{"pane-instructions":', panels)).toBeNull();
    expect(parsePaneSizes('[40, 60]', panels)).toBeNull();
    expect(parsePaneSizes(JSON.stringify({ 'pane-editor': 60, 'pane-terminal': 40 }), panels)).toBeNull();
    expect(
      parsePaneSizes(JSON.stringify({ 'pane-instructions': 40, 'pane-work': 60, extra: 0 }), panels),
    ).toBeNull();
    expect(parsePaneSizes(JSON.stringify({ 'pane-instructions': '40', 'pane-work': 60 }), panels)).toBeNull();
    expect(parsePaneSizes(JSON.stringify({ 'pane-instructions': 30, 'pane-work': 30 }), panels)).toBeNull();
    expect(parsePaneSizes(JSON.stringify({ 'pane-instructions': -20, 'pane-work': 120 }), panels)).toBeNull();
  });
});
