import { describe, expect, it } from 'vitest';
import type { TreeEntry } from '../files-client';
import { buildTree, indexTree, visibleRows, type TreeNode } from './tree-model';

const file = (path: string, size = 1): TreeEntry => ({ path, type: 'file', size, modifiedMs: 10 });
const folder = (path: string, skipped?: boolean): TreeEntry => ({
  path,
  type: 'directory',
  size: 4096,
  modifiedMs: 10,
  ...(skipped ? { skipped } : {}),
});

/** The tree as indented names, which reads more easily than nested objects. */
function outline(nodes: TreeNode[], depth = 0): string[] {
  return nodes.flatMap((node) => {
    const suffix = `${node.type === 'directory' ? '/' : ''}${node.isSkipped ? ' (skipped)' : ''}`;
    return [`${'  '.repeat(depth)}${node.name}${suffix}`, ...outline(node.children, depth + 1)];
  });
}

describe('buildTree', () => {
  it('nests entries under their folders, folders first, then by name ignoring case', () => {
    const tree = buildTree([
      file('train.py'),
      folder('src'),
      file('src/b.py'),
      file('README.md'),
      file('src/A.py'),
      folder('src/utils'),
      file('src/utils/io.py'),
      folder('.git', true),
      folder('data'),
    ]);

    expect(outline(tree)).toEqual([
      '.git/ (skipped)',
      'data/',
      'src/',
      '  utils/',
      '    io.py',
      '  A.py',
      '  b.py',
      'README.md',
      'train.py',
    ]);
  });

  it('adds the folders a truncated list implies', () => {
    const tree = buildTree([file('deep/inside/model.pkl')]);

    expect(outline(tree)).toEqual(['deep/', '  inside/', '    model.pkl']);
    expect(tree[0]).toMatchObject({ path: 'deep', type: 'directory' });
  });

  it('keeps the details of a folder listed after its content', () => {
    const tree = buildTree([file('src/a.py'), { ...folder('src'), modifiedMs: 99 }]);

    expect(outline(tree)).toEqual(['src/', '  a.py']);
    expect(tree[0]).toMatchObject({ size: 4096, modifiedMs: 99 });
  });

  it('keeps links and special files as leaves', () => {
    const tree = buildTree([
      { path: 'latest', type: 'symlink', size: 9, modifiedMs: 1 },
      { path: 'pipe', type: 'other', size: 0, modifiedMs: 1 },
    ]);

    expect(tree.map((node) => [node.name, node.type, node.children.length])).toEqual([
      ['latest', 'symlink', 0],
      ['pipe', 'other', 0],
    ]);
  });
});

describe('visibleRows', () => {
  const tree = buildTree([folder('src'), file('src/a.py'), file('src/b.py'), file('train.py')]);

  it('shows the content of expanded folders only, with level and position', () => {
    expect(visibleRows(tree, new Set())).toEqual([
      expect.objectContaining({
        level: 1,
        posInSet: 1,
        setSize: 2,
        node: expect.objectContaining({ path: 'src' }),
      }),
      expect.objectContaining({
        level: 1,
        posInSet: 2,
        setSize: 2,
        node: expect.objectContaining({ path: 'train.py' }),
      }),
    ]);
    expect(
      visibleRows(tree, new Set(['src'])).map((row) => [row.node.path, row.level, row.posInSet, row.setSize]),
    ).toEqual([
      ['src', 1, 1, 2],
      ['src/a.py', 2, 1, 2],
      ['src/b.py', 2, 2, 2],
      ['train.py', 1, 2, 2],
    ]);
  });

  it('indexes every node by path', () => {
    expect([...indexTree(tree).keys()]).toEqual(['src', 'src/a.py', 'src/b.py', 'train.py']);
  });
});
