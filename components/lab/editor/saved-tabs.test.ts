import { describe, expect, it } from 'vitest';
import { loadSavedTabs, saveTabs, savedTabsKey } from './saved-tabs';

function memoryStorage(initial: Record<string, string> = {}) {
  const items = new Map(Object.entries(initial));
  return {
    items,
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
  };
}

describe('saved tabs', () => {
  it('remembers the tabs of each lab separately', () => {
    const storage = memoryStorage();
    saveTabs(storage, 'lab-a', {
      open: ['train.py', 'params.yaml'],
      active: 'params.yaml',
      expanded: ['src'],
    });
    saveTabs(storage, 'lab-b', { open: ['serve.py'], active: 'serve.py', expanded: [] });

    expect(loadSavedTabs(storage, 'lab-a')).toEqual({
      open: ['train.py', 'params.yaml'],
      active: 'params.yaml',
      expanded: ['src'],
    });
    expect(loadSavedTabs(storage, 'lab-b')?.open).toEqual(['serve.py']);
    expect(loadSavedTabs(storage, 'lab-c')).toBeNull();
  });

  it('ignores what it cannot read', () => {
    const storage = memoryStorage({
      [savedTabsKey('broken')]: '{not json',
      [savedTabsKey('wrong')]: JSON.stringify({ open: 'train.py' }),
    });

    expect(loadSavedTabs(storage, 'broken')).toBeNull();
    expect(loadSavedTabs(storage, 'wrong')).toBeNull();
  });

  it('makes the first tab active when the saved active tab is not open', () => {
    const storage = memoryStorage({
      [savedTabsKey('lab')]: JSON.stringify({ open: ['a.py', 'b.py'], active: 'gone.py' }),
    });

    expect(loadSavedTabs(storage, 'lab')).toEqual({ open: ['a.py', 'b.py'], active: 'a.py', expanded: [] });
  });

  it('survives a storage that refuses access', () => {
    const refusing = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };

    expect(loadSavedTabs(refusing, 'lab')).toBeNull();
    expect(() => saveTabs(refusing, 'lab', { open: [], active: null, expanded: [] })).not.toThrow();
  });
});
