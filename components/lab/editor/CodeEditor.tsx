'use client';

import {
  useEffect,
  useEffectEvent,
  useId,
  useImperativeHandle,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
  type KeyboardEvent,
  type Ref,
} from 'react';
import type { Monaco } from '@monaco-editor/react';
import type { editor } from 'monaco-editor';
import { useTheme } from '@/components/ui/theme';
import { FilesClient } from '../files-client';
import type { SessionAccess } from '../session-access';
import { useConfirm } from './ConfirmDialog';
import { EditorTabs } from './EditorTabs';
import { FileTree } from './FileTree';
import { languageForPath, languageLabel } from './languages';
import { loadMonaco, monacoDocumentFactory, type MonacoDocument } from './monaco-loader';
import { applyMonacoTheme } from './monaco-theme';
import { OpenFiles, type SaveStatus, type Tab } from './open-files';
import { baseName } from './paths';
import styles from './CodeEditor.module.css';

export type CodeEditorHandle = {
  /** Reloads the tree and takes changes made on disk (e.g. by a command in the terminal). */
  refresh(): Promise<void>;
  /**
   * Opens the file in a tab (or shows its tab) and resolves once it is loaded; before the sandbox
   * is ready the tab is added and loads when it is.
   */
  openFile(path: string): Promise<void>;
};

export type CodeEditorProps = {
  /**
   * How to reach the sandbox; null while it is not ready (a placeholder shows). Keep the object
   * stable: a new one reconnects (and refreshes).
   */
  access: SessionAccess | null;
  /** Which lab: its open tabs are remembered per lab. Read once; give the editor `key={labId}`. */
  labId: string;
  /** Files to open the first time the lab's editor is shown, e.g. ['train.py']. */
  initialOpen?: string[];
  /** After a file was saved into the workspace. */
  onSaved?: (path: string) => void;
  ref?: Ref<CodeEditorHandle>;
};

/** How often the tree is checked for changes from the terminal while the page is visible. */
const refreshIntervalMs = 10_000;
/**
 * Long lines wrap by default when fewer columns than this fit in the editor (about 690 px of code
 * at 1440×900 holds some 75), so that code is never cut off at the pane's edge; the learner's own
 * choice (the Word wrap button or Alt+Z) overrides it, in every pane, and is remembered.
 */
const wrapBelowColumns = 100;
const wordWrapKey = 'academy:editor-word-wrap';
const fallbackMonoFont = "'JetBrains Mono Variable', ui-monospace, 'SFMono-Regular', Menlo, monospace";
const fontSize = 14;

function browserStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null; // storage disabled: tabs are not remembered
  }
}

/** The learner's word wrap choice in this browser, or null for the default of the pane's width. */
function storedWordWrap(): boolean | null {
  const stored = browserStorage()?.getItem(wordWrapKey);
  return stored === 'on' ? true : stored === 'off' ? false : null;
}

function saveStatusText(status: SaveStatus): string {
  switch (status.kind) {
    case 'saving':
      return `Saving ${baseName(status.path)}…`;
    case 'saved':
      return 'Saved';
    case 'failed':
      return `Could not save ${baseName(status.path)}: ${status.message}`;
    default:
      return '';
  }
}

/**
 * The lab's code editor: the workspace's files on the left, open files as tabs, Monaco (served from
 * /monaco/vs on our own origin) for the text. Ctrl/⌘+S saves; changes made in the terminal are
 * picked up on focus, every 10 s while visible, and on `refresh()`.
 */
export function CodeEditor({ access, labId, initialOpen, onSaved, ref }: CodeEditorProps) {
  const [files] = useState(
    () =>
      new OpenFiles<MonacoDocument>({
        labId,
        storage: typeof window === 'undefined' ? null : browserStorage(),
        initialOpen: initialOpen ?? [],
        loadDocumentFactory: () => loadMonaco().then(monacoDocumentFactory),
      }),
  );
  const snapshot = useSyncExternalStore(files.subscribe, files.getSnapshot, files.getSnapshot);
  const client = useMemo(() => (access ? new FilesClient(access) : null), [access]);
  const theme = useTheme();
  const { confirm, dialog } = useConfirm();
  const panelId = useId();

  const hostRef = useRef<HTMLDivElement>(null);
  const [monaco, setMonaco] = useState<Monaco | null>(null);
  const [codeEditor, setCodeEditor] = useState<editor.IStandaloneCodeEditor | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const viewStates = useRef(new WeakMap<editor.ITextModel, editor.ICodeEditorViewState | null>());
  // How many columns fit, from Monaco's layout; the learner's wrap choice, null until they make one.
  const [viewportColumns, setViewportColumns] = useState<number | null>(null);
  const [wrapChoice, setWrapChoice] = useState<boolean | null>(storedWordWrap);
  const isWrapping = wrapChoice ?? (viewportColumns !== null && viewportColumns < wrapBelowColumns);
  const toggleWordWrap = () => {
    const next = !isWrapping;
    setWrapChoice(next);
    try {
      browserStorage()?.setItem(wordWrapKey, next ? 'on' : 'off');
    } catch {
      // storage full: the choice holds for this visit
    }
  };
  const toggleWordWrapFromEditor = useEffectEvent(toggleWordWrap);
  const themeRef = useRef(theme);
  useEffect(() => {
    themeRef.current = theme;
  }, [theme]);

  // ── the sandbox connection and catching up with the terminal ───────────────────────────
  useEffect(() => {
    void files.connect(client);
  }, [files, client]);

  useEffect(() => () => files.release(), [files]);

  useEffect(() => {
    if (!client) return;
    const refreshWhenVisible = () => {
      if (document.visibilityState === 'visible' && !files.isBusy) void files.refresh();
    };
    const timer = setInterval(refreshWhenVisible, refreshIntervalMs);
    window.addEventListener('focus', refreshWhenVisible);
    document.addEventListener('visibilitychange', refreshWhenVisible);
    return () => {
      clearInterval(timer);
      window.removeEventListener('focus', refreshWhenVisible);
      document.removeEventListener('visibilitychange', refreshWhenVisible);
    };
  }, [files, client]);

  useEffect(() => {
    const warnBeforeLeaving = (event: BeforeUnloadEvent) => {
      if (!files.hasUnsavedChanges) return;
      event.preventDefault();
      event.returnValue = ''; // older browsers need it to ask
    };
    window.addEventListener('beforeunload', warnBeforeLeaving);
    return () => window.removeEventListener('beforeunload', warnBeforeLeaving);
  }, [files]);

  useImperativeHandle(
    ref,
    () => ({ refresh: () => files.refresh(), openFile: (path) => files.openFile(path) }),
    [files],
  );

  // ── Monaco ──────────────────────────────────────────────────────────────────────────────
  useEffect(() => {
    let isCurrent = true;
    let created: editor.IStandaloneCodeEditor | null = null;
    loadMonaco().then(
      (loaded) => {
        const host = hostRef.current;
        if (!isCurrent || !host) return;
        applyMonacoTheme(loaded, themeRef.current);
        const fontFamily = getComputedStyle(host).getPropertyValue('--font-mono').trim() || fallbackMonoFont;
        const instance = loaded.editor.create(host, {
          model: null,
          automaticLayout: true,
          fontFamily,
          fontSize,
          lineHeight: Math.round(fontSize * 1.5),
          minimap: { enabled: false },
          scrollBeyondLastLine: false,
          renderWhitespace: 'selection',
          tabSize: 4,
          insertSpaces: true,
          fixedOverflowWidgets: true,
          padding: { top: 8, bottom: 8 },
        });
        created = instance;
        instance.addAction({
          id: 'academy.save',
          label: 'Save file',
          keybindings: [loaded.KeyMod.CtrlCmd | loaded.KeyCode.KeyS],
          run: () => void files.save(),
        });
        // As in VS Code.
        instance.addAction({
          id: 'academy.toggleWordWrap',
          label: 'Toggle word wrap',
          keybindings: [loaded.KeyMod.Alt | loaded.KeyCode.KeyZ],
          run: () => toggleWordWrapFromEditor(),
        });
        setViewportColumns(instance.getLayoutInfo().viewportColumn);
        instance.onDidLayoutChange((layout: editor.EditorLayoutInfo) =>
          setViewportColumns(layout.viewportColumn),
        );
        // The web font may arrive after Monaco measured the fallback font's glyphs.
        void document.fonts?.load(`${fontSize}px ${fontFamily}`).then(
          () => loaded.editor.remeasureFonts(),
          () => undefined,
        );
        setMonaco(loaded);
        setCodeEditor(instance);
      },
      (error: unknown) => {
        if (isCurrent)
          setLoadError(error instanceof Error ? error.message : 'its files were not found under /monaco/vs');
      },
    );
    return () => {
      isCurrent = false;
      created?.dispose();
      setCodeEditor(null);
    };
  }, [files]);

  useEffect(() => {
    if (monaco) applyMonacoTheme(monaco, theme);
  }, [monaco, theme]);

  useEffect(() => {
    codeEditor?.updateOptions({ wordWrap: isWrapping ? 'on' : 'off' });
  }, [codeEditor, isWrapping]);

  const activeTab: Tab | null = snapshot.tabs.find((tab) => tab.path === snapshot.activePath) ?? null;
  const activeDocument = activeTab?.status === 'ready' ? files.documentFor(activeTab.path) : null;
  const activeModel = activeDocument?.model ?? null;

  useEffect(() => {
    if (!codeEditor) return;
    const current = codeEditor.getModel();
    if (current === activeModel) return;
    if (current && !current.isDisposed()) viewStates.current.set(current, codeEditor.saveViewState());
    codeEditor.setModel(activeModel);
    if (activeModel) {
      const viewState = viewStates.current.get(activeModel);
      if (viewState) codeEditor.restoreViewState(viewState);
    }
  }, [codeEditor, activeModel]);

  const activePath = activeTab?.path ?? null;
  useEffect(() => {
    codeEditor?.updateOptions({ ariaLabel: activePath ? `Code editor: ${activePath}` : 'Code editor' });
  }, [codeEditor, activePath]);

  // ── actions ─────────────────────────────────────────────────────────────────────────────
  const closeTab = async (path: string) => {
    const tab = snapshot.tabs.find((candidate) => candidate.path === path);
    if (tab?.isDirty) {
      const isConfirmed = await confirm({
        title: `Close ${baseName(path)} without saving?`,
        message: 'Your unsaved changes to this file will be lost.',
        confirmLabel: 'Discard changes',
      });
      if (!isConfirmed) return;
    }
    files.close(path);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    // Monaco handles Ctrl/⌘+S and Alt+Z itself when it has the focus; this covers the tree and the tabs.
    if (event.defaultPrevented) return;
    const isSave = (event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 's';
    const isWrapToggle = event.altKey && !event.ctrlKey && !event.metaKey && event.code === 'KeyZ';
    if (!isSave && !isWrapToggle) return;
    event.preventDefault();
    if (isSave) void files.save();
    else toggleWordWrap();
  };

  const status = snapshot.saveStatus;
  const reportSaved = useEffectEvent((path: string) => onSaved?.(path));
  // Every save makes a new status object, so this runs once per save.
  useEffect(() => {
    if (status.kind === 'saved') reportSaved(status.path);
  }, [status]);
  const language = activeTab ? languageLabel(languageForPath(activeTab.path)) : '';

  return (
    <div className={styles.root} onKeyDown={onKeyDown}>
      <div className={styles.workspace} inert={!access}>
        <aside className={styles.treePane}>
          <FileTree
            tree={snapshot.tree}
            expanded={snapshot.expanded}
            activePath={snapshot.activePath}
            confirm={confirm}
            onSetExpanded={(folder, isExpanded) => files.setExpanded(folder, isExpanded)}
            onOpen={(path) => void files.openFile(path)}
            onCreate={(kind, folder, name) =>
              kind === 'file' ? files.createFile(folder, name) : files.createFolder(folder, name)
            }
            onRename={(path, newName) => files.rename(path, newName)}
            onDelete={(path) => files.remove(path)}
            onRefresh={() => void files.refresh()}
          />
        </aside>

        <section className={styles.main}>
          <EditorTabs
            tabs={snapshot.tabs}
            activePath={snapshot.activePath}
            panelId={panelId}
            onActivate={(path) => files.activate(path)}
            onClose={(path) => void closeTab(path)}
          />

          {activeTab?.hasConflict && (
            <div role="alert" className={`${styles.notice} ${styles.isWarning}`}>
              <span>
                <strong>{baseName(activeTab.path)}</strong> changed on disk while you were editing it.
              </span>
              <span className={styles.noticeActions}>
                <button
                  type="button"
                  className={styles.button}
                  onClick={() => files.reloadFromDisk(activeTab.path)}
                >
                  Reload
                </button>
                <button
                  type="button"
                  className={styles.button}
                  onClick={() => files.keepMine(activeTab.path)}
                >
                  Keep mine
                </button>
              </span>
            </div>
          )}
          {activeTab?.isDeleted && (
            <div role="alert" className={`${styles.notice} ${styles.isDanger}`}>
              <span>
                <strong>{baseName(activeTab.path)}</strong> was deleted on disk.
                {activeTab.status === 'ready' && ' Saving creates it again.'}
              </span>
              <span className={styles.noticeActions}>
                <button type="button" className={styles.button} onClick={() => void closeTab(activeTab.path)}>
                  Close tab
                </button>
              </span>
            </div>
          )}

          <div
            id={panelId}
            role="tabpanel"
            aria-label={activeTab ? activeTab.path : 'No file open'}
            className={styles.editorArea}
            data-testid="code-editor"
            data-active-file={activeTab?.path ?? ''}
            data-dirty={activeTab?.isDirty ? 'true' : 'false'}
          >
            <div ref={hostRef} className={`${styles.monacoHost} ${activeModel ? '' : styles.isHidden}`} />
            {!activeModel && (
              <div className={styles.message}>
                {loadError ? (
                  <p>The editor could not load ({loadError}). Reload the page to try again.</p>
                ) : !activeTab ? (
                  <p>Open a file from the list to edit it.</p>
                ) : activeTab.status === 'unavailable' ? (
                  <>
                    <p>{activeTab.message}</p>
                    {activeTab.canRetry && (
                      <button
                        type="button"
                        className={styles.button}
                        onClick={() => void files.openFile(activeTab.path)}
                      >
                        Try again
                      </button>
                    )}
                  </>
                ) : (
                  <p>Opening {baseName(activeTab.path)}…</p>
                )}
              </div>
            )}
          </div>

          <div className={styles.statusBar}>
            <span role="status" className={status.kind === 'failed' ? styles.statusError : undefined}>
              {saveStatusText(status)}
            </span>
            <button
              type="button"
              className={styles.statusButton}
              aria-pressed={isWrapping}
              aria-keyshortcuts="Alt+Z"
              title="Wrap long lines (Alt+Z)"
              onClick={toggleWordWrap}
            >
              Word wrap
            </button>
            <span className={styles.language}>{language}</span>
          </div>
        </section>
      </div>

      {!access && (
        <div className={styles.placeholder}>
          <p className={styles.placeholderTitle}>Your files appear here when the sandbox is ready.</p>
          <p className={styles.placeholderHint}>It usually takes a few seconds.</p>
        </div>
      )}
      {dialog}
    </div>
  );
}
