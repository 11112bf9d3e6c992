/** The nested folder structure behind the file tree, built from the runner's flat list. */
import type { FileEntryType, TreeEntry } from '../files-client';
import { baseName, parentOf } from './paths';

export type TreeNode = {
  name: string;
  path: string;
  type: FileEntryType;
  size: number;
  modifiedMs: number;
  /** A tool folder (.git, node_modules…) whose content the runner does not list. */
  isSkipped: boolean;
  /** Folders before files, each by name; empty for anything but a folder. */
  children: TreeNode[];
};

/** One line of the tree as shown: a node and where it sits (for aria-level/posinset/setsize). */
export type TreeRow = { node: TreeNode; level: number; posInSet: number; setSize: number };

function compareNodes(a: TreeNode, b: TreeNode): number {
  const isFolderA = a.type === 'directory';
  const isFolderB = b.type === 'directory';
  if (isFolderA !== isFolderB) return isFolderA ? -1 : 1;
  const byName = a.name.toLowerCase().localeCompare(b.name.toLowerCase());
  return byName !== 0 ? byName : a.name.localeCompare(b.name);
}

/**
 * The top-level nodes of the workspace. Folders missing from the list (it may be truncated) but
 * implied by a path are added, so every entry has a parent to show it in.
 */
export function buildTree(entries: readonly TreeEntry[]): TreeNode[] {
  const root: TreeNode[] = [];
  const folders = new Map<string, TreeNode>();

  const childrenOf = (folderPath: string): TreeNode[] => {
    if (folderPath === '') return root;
    const existing = folders.get(folderPath);
    if (existing) return existing.children;
    const implied: TreeNode = {
      name: baseName(folderPath),
      path: folderPath,
      type: 'directory',
      size: 0,
      modifiedMs: 0,
      isSkipped: false,
      children: [],
    };
    folders.set(folderPath, implied);
    childrenOf(parentOf(folderPath)).push(implied);
    return implied.children;
  };

  for (const entry of entries) {
    if (entry.path === '') continue;
    const implied = folders.get(entry.path);
    if (implied) {
      Object.assign(implied, {
        size: entry.size,
        modifiedMs: entry.modifiedMs,
        isSkipped: entry.skipped === true,
      });
      continue;
    }
    const node: TreeNode = {
      name: baseName(entry.path),
      path: entry.path,
      type: entry.type,
      size: entry.size,
      modifiedMs: entry.modifiedMs,
      isSkipped: entry.skipped === true,
      children: [],
    };
    if (entry.type === 'directory') folders.set(entry.path, node);
    childrenOf(parentOf(entry.path)).push(node);
  }

  const sortDeep = (nodes: TreeNode[]) => {
    nodes.sort(compareNodes);
    for (const node of nodes) sortDeep(node.children);
  };
  sortDeep(root);
  return root;
}

/** The rows shown when the folders in `expanded` are open, top to bottom. */
export function visibleRows(roots: readonly TreeNode[], expanded: ReadonlySet<string>): TreeRow[] {
  const rows: TreeRow[] = [];
  const walk = (nodes: readonly TreeNode[], level: number) => {
    nodes.forEach((node, index) => {
      rows.push({ node, level, posInSet: index + 1, setSize: nodes.length });
      if (node.type === 'directory' && expanded.has(node.path)) walk(node.children, level + 1);
    });
  };
  walk(roots, 1);
  return rows;
}

/** Every node by path, for looking up the entry behind an open tab. */
export function indexTree(roots: readonly TreeNode[]): Map<string, TreeNode> {
  const index = new Map<string, TreeNode>();
  const walk = (nodes: readonly TreeNode[]) => {
    for (const node of nodes) {
      index.set(node.path, node);
      walk(node.children);
    }
  };
  walk(roots);
  return index;
}
