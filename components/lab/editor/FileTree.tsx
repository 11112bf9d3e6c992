'use client';

import {
  useEffect,
  useId,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type CSSProperties,
  type KeyboardEvent,
  type ReactNode,
} from 'react';
import type { Confirm } from './ConfirmDialog';
import {
  ChevronIcon,
  DeleteIcon,
  FileIcon,
  FolderIcon,
  LinkIcon,
  NewFileIcon,
  NewFolderIcon,
  RefreshIcon,
  RenameIcon,
} from './icons';
import { errorMessage, type TreeState } from './open-files';
import { nameProblem, parentOf } from './paths';
import { indexTree, visibleRows, type TreeNode } from './tree-model';
import styles from './FileTree.module.css';

type FileTreeProps = {
  tree: TreeState;
  expanded: ReadonlySet<string>;
  /** The file shown in the editor: selected in the tree when it changes. */
  activePath: string | null;
  confirm: Confirm;
  onSetExpanded(folder: string, isExpanded: boolean): void;
  onOpen(path: string): void;
  /** Each resolves to the new path, or rejects with the runner's error to show. */
  onCreate(kind: 'file' | 'folder', folder: string, name: string): Promise<string>;
  onRename(path: string, newName: string): Promise<string>;
  onDelete(path: string): Promise<void>;
  onRefresh(): void;
};

type NameForm = { kind: 'file' | 'folder'; folder: string } | { kind: 'rename'; node: TreeNode };
type MenuItem = { label: string; shortcut?: string; onSelect(): void };
type Menu = { x: number; y: number; items: MenuItem[] };

const isExpandable = (node: TreeNode) => node.type === 'directory' && !node.isSkipped;

/** The folder new files go in when `node` is selected: the folder itself, or the file's folder. */
const folderFor = (node: TreeNode | null) =>
  !node ? '' : isExpandable(node) ? node.path : parentOf(node.path);

function NodeIcon({ node, isExpanded }: { node: TreeNode; isExpanded: boolean }) {
  if (node.type === 'directory') return <FolderIcon isOpen={isExpanded} />;
  if (node.type === 'symlink') return <LinkIcon />;
  return <FileIcon />;
}

/**
 * The workspace's files as an ARIA tree: arrows to move, Enter to open, F2 to rename, Delete to
 * delete, Shift+F10 (or right click) for the context menu. The toolbar creates, renames, deletes
 * and refreshes; names are typed in a small form above the tree.
 */
export function FileTree(props: FileTreeProps) {
  const { tree, expanded, activePath, confirm, onSetExpanded, onOpen, onCreate, onRename, onDelete } = props;
  const rows = useMemo(() => visibleRows(tree.nodes, expanded), [tree.nodes, expanded]);
  const nodes = useMemo(() => indexTree(tree.nodes), [tree.nodes]);

  const [selectedPath, setSelectedPath] = useState<string | null>(activePath);
  const [followedActivePath, setFollowedActivePath] = useState(activePath);
  if (activePath !== followedActivePath) {
    setFollowedActivePath(activePath);
    if (activePath !== null) setSelectedPath(activePath);
  }
  const selected = selectedPath === null ? null : (nodes.get(selectedPath) ?? null);
  const focusPath = rows.some((row) => row.node.path === selectedPath)
    ? selectedPath
    : (rows[0]?.node.path ?? null);

  const [form, setForm] = useState<NameForm | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [menu, setMenu] = useState<Menu | null>(null);

  const rowElements = useRef(new Map<string, HTMLElement>());
  const pendingFocus = useRef<string | null>(null);
  useEffect(() => {
    const path = pendingFocus.current;
    const element = path === null ? undefined : rowElements.current.get(path);
    if (element) {
      element.focus();
      pendingFocus.current = null;
    }
  });

  /** Selects and focuses a row, now or as soon as it is shown. */
  const focusRow = (path: string | null) => {
    setSelectedPath(path);
    pendingFocus.current = path;
    if (path !== null) rowElements.current.get(path)?.focus();
  };

  const activate = (node: TreeNode) => {
    if (isExpandable(node)) onSetExpanded(node.path, !expanded.has(node.path));
    else if (node.type !== 'directory') onOpen(node.path);
  };

  const startCreate = (kind: 'file' | 'folder', node: TreeNode | null) => {
    const folder = folderFor(node);
    if (folder) onSetExpanded(folder, true);
    setActionError(null);
    setForm({ kind, folder });
  };

  const startRename = (node: TreeNode | null) => {
    if (!node) return;
    setActionError(null);
    setForm({ kind: 'rename', node });
  };

  const startDelete = async (node: TreeNode | null) => {
    if (!node) return;
    const isFolder = node.type === 'directory';
    const isConfirmed = await confirm({
      title: `Delete ${node.name}?`,
      message: isFolder
        ? `The folder “${node.path}” and everything in it will be deleted. This cannot be undone.`
        : `“${node.path}” will be deleted. This cannot be undone.`,
      confirmLabel: 'Delete',
    });
    if (!isConfirmed) return;
    const index = rows.findIndex((row) => row.node.path === node.path);
    try {
      await onDelete(node.path);
      setActionError(null);
      focusRow(rows[index - 1]?.node.path ?? null);
    } catch (error) {
      setActionError(errorMessage(error));
    }
  };

  const openMenu = (x: number, y: number, node: TreeNode | null) => {
    const create: MenuItem[] = [
      { label: 'New file…', onSelect: () => startCreate('file', node) },
      { label: 'New folder…', onSelect: () => startCreate('folder', node) },
    ];
    const change: MenuItem[] = node
      ? [
          { label: 'Rename…', shortcut: 'F2', onSelect: () => startRename(node) },
          { label: 'Delete…', shortcut: 'Delete', onSelect: () => void startDelete(node) },
        ]
      : [{ label: 'Refresh', onSelect: props.onRefresh }];
    const open: MenuItem[] =
      node && node.type !== 'directory'
        ? [{ label: 'Open', shortcut: 'Enter', onSelect: () => onOpen(node.path) }]
        : [];
    setMenu({ x, y, items: [...open, ...(node?.isSkipped ? [] : create), ...change] });
  };

  const onTreeKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const index = rows.findIndex((row) => row.node.path === focusPath);
    const row = rows[index];
    if (!row || event.target !== rowElements.current.get(row.node.path)) return;
    const { node } = row;
    const isOpenFolder = isExpandable(node) && expanded.has(node.path);
    const key = event.shiftKey && event.key === 'F10' ? 'ContextMenu' : event.key;
    switch (key) {
      case 'ArrowDown':
        focusRow(rows[Math.min(index + 1, rows.length - 1)]?.node.path ?? null);
        break;
      case 'ArrowUp':
        focusRow(rows[Math.max(index - 1, 0)]?.node.path ?? null);
        break;
      case 'Home':
        focusRow(rows[0]?.node.path ?? null);
        break;
      case 'End':
        focusRow(rows[rows.length - 1]?.node.path ?? null);
        break;
      case 'ArrowRight':
        if (isOpenFolder && node.children[0]) focusRow(node.children[0].path);
        else if (isExpandable(node)) onSetExpanded(node.path, true);
        break;
      case 'ArrowLeft':
        if (isOpenFolder) onSetExpanded(node.path, false);
        else if (parentOf(node.path)) focusRow(parentOf(node.path));
        break;
      case 'Enter':
      case ' ':
        activate(node);
        break;
      case 'F2':
        startRename(node);
        break;
      case 'Delete':
        void startDelete(node);
        break;
      case 'Backspace':
        if (!event.metaKey) return; // ⌘⌫ deletes on a Mac, as in Finder
        void startDelete(node);
        break;
      case 'ContextMenu': {
        const box = (event.target as HTMLElement).getBoundingClientRect();
        openMenu(box.left + 24, box.bottom, node);
        break;
      }
      default:
        return;
    }
    event.preventDefault();
  };

  return (
    <div className={styles.pane}>
      <div className={styles.toolbar}>
        <span className={styles.heading} aria-hidden="true">
          Files
        </span>
        <ToolButton label="New file" onClick={() => startCreate('file', selected)}>
          <NewFileIcon />
        </ToolButton>
        <ToolButton label="New folder" onClick={() => startCreate('folder', selected)}>
          <NewFolderIcon />
        </ToolButton>
        <ToolButton label="Rename" shortcut="F2" disabled={!selected} onClick={() => startRename(selected)}>
          <RenameIcon />
        </ToolButton>
        <ToolButton
          label="Delete"
          shortcut="Delete"
          disabled={!selected}
          onClick={() => void startDelete(selected)}
        >
          <DeleteIcon />
        </ToolButton>
        <ToolButton label="Refresh" onClick={props.onRefresh}>
          <RefreshIcon />
        </ToolButton>
      </div>

      {form && (
        <NameFormView
          key={form.kind === 'rename' ? `rename:${form.node.path}` : `${form.kind}:${form.folder}`}
          form={form}
          onSubmit={async (name) => {
            const path =
              form.kind === 'rename'
                ? await onRename(form.node.path, name)
                : await onCreate(form.kind, form.folder, name);
            setForm(null);
            focusRow(path);
          }}
          onCancel={() => {
            setForm(null);
            focusRow(selectedPath);
          }}
        />
      )}

      {actionError && (
        <p role="alert" className={styles.error}>
          {actionError}
        </p>
      )}

      <div
        role="tree"
        aria-label="Files"
        aria-busy={!tree.isLoaded || undefined}
        className={styles.tree}
        onKeyDown={onTreeKeyDown}
        onClick={(event) => {
          if (event.target === event.currentTarget) setSelectedPath(null);
        }}
        onContextMenu={(event) => {
          if (event.target !== event.currentTarget) return;
          event.preventDefault();
          setSelectedPath(null);
          openMenu(event.clientX, event.clientY, null);
        }}
      >
        {rows.map(({ node, level, posInSet, setSize }) => {
          const isExpanded = expanded.has(node.path);
          const classNames = [
            styles.row,
            node.path === activePath && styles.isOpen,
            node.isSkipped && styles.isSkipped,
          ];
          return (
            <div
              key={node.path}
              ref={(element) => {
                if (element) rowElements.current.set(node.path, element);
                else rowElements.current.delete(node.path);
              }}
              role="treeitem"
              aria-level={level}
              aria-posinset={posInSet}
              aria-setsize={setSize}
              aria-expanded={isExpandable(node) ? isExpanded : undefined}
              aria-selected={node.path === selectedPath}
              tabIndex={node.path === focusPath ? 0 : -1}
              title={node.isSkipped ? `${node.path}: a tool's folder, not listed` : node.path}
              className={classNames.filter(Boolean).join(' ')}
              style={{ '--level': level } as CSSProperties}
              onClick={() => {
                setSelectedPath(node.path);
                activate(node);
              }}
              onContextMenu={(event) => {
                event.preventDefault();
                setSelectedPath(node.path);
                openMenu(event.clientX, event.clientY, node);
              }}
            >
              <span className={`${styles.twisty} ${isExpanded ? styles.isTwistyOpen : ''}`}>
                {isExpandable(node) && <ChevronIcon />}
              </span>
              <span className={styles.icon}>
                <NodeIcon node={node} isExpanded={isExpanded} />
              </span>
              <span className={styles.name}>{node.name}</span>
            </div>
          );
        })}
      </div>

      {tree.isLoaded && rows.length === 0 && <p className={styles.note}>No files yet.</p>}
      {!tree.isLoaded && !tree.error && <p className={styles.note}>Listing files…</p>}
      {tree.truncated && (
        <p className={styles.note}>Only the first files are listed; use the terminal for the rest.</p>
      )}
      {tree.error && (
        <p className={styles.error}>
          Could not list the files: {tree.error}{' '}
          <button type="button" className={styles.linkButton} onClick={props.onRefresh}>
            Try again
          </button>
        </p>
      )}

      {menu && (
        <TreeMenu
          menu={menu}
          onClose={(shouldRestoreFocus) => {
            setMenu(null);
            if (shouldRestoreFocus) focusRow(focusPath);
          }}
        />
      )}
    </div>
  );
}

function ToolButton({
  label,
  shortcut,
  disabled,
  onClick,
  children,
}: {
  label: string;
  shortcut?: string;
  disabled?: boolean;
  onClick(): void;
  children: ReactNode;
}) {
  return (
    <button
      type="button"
      className={styles.toolButton}
      aria-label={label}
      aria-keyshortcuts={shortcut}
      title={shortcut ? `${label} (${shortcut})` : label}
      disabled={disabled}
      onClick={onClick}
    >
      {children}
    </button>
  );
}

/** Where a new name is typed: Enter to confirm, Escape to cancel; problems show below. */
function NameFormView({
  form,
  onSubmit,
  onCancel,
}: {
  form: NameForm;
  onSubmit(name: string): Promise<void>;
  onCancel(): void;
}) {
  const inputId = useId();
  const problemId = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [name, setName] = useState(form.kind === 'rename' ? form.node.name : '');
  const [problem, setProblem] = useState<string | null>(null);
  const [isWorking, setIsWorking] = useState(false);

  useEffect(() => {
    const input = inputRef.current;
    if (!input) return;
    input.focus();
    // Select the name without its extension, ready to be retyped.
    const dot = input.value.lastIndexOf('.');
    input.setSelectionRange(0, dot > 0 ? dot : input.value.length);
  }, []);

  const where = (folder: string) => (folder ? `in ${folder}/` : 'in the workspace');
  const label =
    form.kind === 'rename'
      ? `Rename ${form.node.name} to`
      : `New ${form.kind === 'file' ? 'file' : 'folder'} ${where(form.folder)}`;

  return (
    <form
      className={styles.form}
      onSubmit={async (event) => {
        event.preventDefault();
        const trimmedProblem = nameProblem(name);
        if (trimmedProblem) {
          setProblem(trimmedProblem);
          return;
        }
        setIsWorking(true);
        try {
          await onSubmit(name);
        } catch (error) {
          setProblem(errorMessage(error));
          setIsWorking(false);
        }
      }}
    >
      <label htmlFor={inputId} className={styles.formLabel}>
        {label}
      </label>
      <input
        ref={inputRef}
        id={inputId}
        className={styles.input}
        value={name}
        spellCheck={false}
        autoComplete="off"
        aria-invalid={problem !== null}
        aria-describedby={problem ? problemId : undefined}
        readOnly={isWorking}
        onChange={(event) => {
          setName(event.target.value);
          setProblem(null);
        }}
        onKeyDown={(event) => {
          if (event.key === 'Escape') {
            event.preventDefault();
            onCancel();
          }
        }}
      />
      {problem && (
        <p id={problemId} role="alert" className={styles.formProblem}>
          {problem}
        </p>
      )}
      <div className={styles.formActions}>
        <button type="button" className={styles.formButton} onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className={`${styles.formButton} ${styles.formSubmit}`} disabled={isWorking}>
          {form.kind === 'rename' ? 'Rename' : 'Create'}
        </button>
      </div>
    </form>
  );
}

/** The context menu: arrows to move, Enter to choose, Escape to close. */
function TreeMenu({ menu, onClose }: { menu: Menu; onClose(shouldRestoreFocus: boolean): void }) {
  const menuRef = useRef<HTMLDivElement>(null);
  const onCloseRef = useRef(onClose);
  useLayoutEffect(() => {
    onCloseRef.current = onClose;
  });

  useLayoutEffect(() => {
    const element = menuRef.current;
    if (!element) return;
    // Keep the menu inside the window.
    const box = element.getBoundingClientRect();
    element.style.left = `${Math.max(4, Math.min(menu.x, window.innerWidth - box.width - 4))}px`;
    element.style.top = `${Math.max(4, Math.min(menu.y, window.innerHeight - box.height - 4))}px`;
    element.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
  }, [menu]);

  useEffect(() => {
    const onPointerDown = (event: PointerEvent) => {
      if (!menuRef.current?.contains(event.target as Node)) onCloseRef.current(false);
    };
    document.addEventListener('pointerdown', onPointerDown, true);
    return () => document.removeEventListener('pointerdown', onPointerDown, true);
  }, []);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const items = [...(menuRef.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const index = items.indexOf(document.activeElement as HTMLElement);
    const targets: Record<string, number> = {
      ArrowDown: (index + 1) % items.length,
      ArrowUp: (index - 1 + items.length) % items.length,
      Home: 0,
      End: items.length - 1,
    };
    const target = targets[event.key];
    if (target !== undefined) {
      event.preventDefault();
      items[target]?.focus();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      onClose(true);
    } else if (event.key === 'Tab') {
      event.preventDefault();
      onClose(true);
    }
  };

  return (
    <div
      ref={menuRef}
      role="menu"
      aria-label="File actions"
      className={styles.menu}
      style={{ left: menu.x, top: menu.y }}
      onKeyDown={onKeyDown}
    >
      {menu.items.map((item) => (
        <button
          key={item.label}
          type="button"
          role="menuitem"
          tabIndex={-1}
          className={styles.menuItem}
          onClick={() => {
            onClose(true);
            item.onSelect();
          }}
        >
          <span>{item.label}</span>
          {item.shortcut && <kbd className={styles.shortcut}>{item.shortcut}</kbd>}
        </button>
      ))}
    </div>
  );
}
