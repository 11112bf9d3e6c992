/**
 * What the code editor knows about a workspace: its file tree, the open tabs with their text and
 * unsaved changes, and what happens when the learner opens, edits, saves, renames or deletes a
 * file, or when a file changes on disk (from the terminal). React reads it as an external store
 * (`subscribe`/`getSnapshot`); the text of each open file lives in a `TextDocument` (a Monaco model
 * in the browser, a string in tests).
 */
import { FilesError, type FileContent, type FilesClient } from '../files-client';
import { ancestorsOf, isSameOrInside, joinPath, movedPath, renameTarget } from './paths';
import { RequestQueue } from './request-queue';
import { loadSavedTabs, saveTabs, type SavedTabs } from './saved-tabs';
import { buildTree, indexTree, type TreeNode } from './tree-model';

export type FilesApi = Pick<FilesClient, 'tree' | 'read' | 'write' | 'mkdir' | 'move' | 'remove'>;

/** The text of one open file. */
export interface TextDocument {
  getText(): string;
  /** Replaces the text with one undoable edit that keeps the cursor where it can. */
  replaceText(text: string): void;
  /** The file moved (its language may change). */
  setPath(path: string): void;
  /** Changes with every edit and goes back on undo: equal versions mean equal text. */
  versionId(): number;
  onDidChange(listener: () => void): { dispose(): void };
  dispose(): void;
}

export type DocumentFactory<D extends TextDocument> = (text: string, path: string) => D;

export type Tab = {
  path: string;
  /** `unloaded`: restored or opened before the sandbox was reachable; `unavailable`: see `message`. */
  status: 'unloaded' | 'loading' | 'ready' | 'unavailable';
  /** Why the file is not shown as text: too large, binary, missing, or the runner failed. */
  message: string | null;
  /** Whether trying again may help (the runner failed, rather than the file being unsuitable). */
  canRetry: boolean;
  isDirty: boolean;
  isDeleted: boolean;
  /** The file changed on disk while it had unsaved changes here. */
  hasConflict: boolean;
};

export type SaveStatus =
  | { kind: 'idle' }
  | { kind: 'saving'; path: string }
  | { kind: 'saved'; path: string }
  | { kind: 'failed'; path: string; message: string };

export type TreeState = {
  nodes: TreeNode[];
  truncated: boolean;
  isLoaded: boolean;
  /** Why the last refresh failed; the tree shown is then the one from before. */
  error: string | null;
};

export type EditorSnapshot = {
  isConnected: boolean;
  tree: TreeState;
  expanded: ReadonlySet<string>;
  tabs: readonly Tab[];
  activePath: string | null;
  saveStatus: SaveStatus;
};

type OpenDocument<D extends TextDocument> = {
  path: string;
  document: D;
  /** `versionId()` when the text last matched the file on disk. */
  savedVersion: number;
  /** The file as last read or written; `modifiedMs` is null after a save until the next tree. */
  disk: { content: string; size: number; modifiedMs: number | null };
  /** The newer content on disk the learner has not chosen about yet. */
  conflict: FileContent | null;
  subscription: { dispose(): void };
};

type FileStamp = { size: number; modifiedMs: number };

/** Runner errors meaning "something is at that path, just not a text file". */
const existsButNotTextCodes = new Set(['NOT_A_FILE', 'BINARY_FILE', 'FILE_TOO_LARGE']);
/** Runner errors about the file itself, which trying again will not change. */
const fileErrorCodes = new Set([
  ...existsButNotTextCodes,
  'FILE_NOT_FOUND',
  'INVALID_PATH',
  'NOT_A_DIRECTORY',
]);

export type OpenFilesOptions<D extends TextDocument> = {
  labId: string;
  /** Where the open tabs are remembered (localStorage); null to remember nothing. */
  storage: Pick<Storage, 'getItem' | 'setItem'> | null;
  /** Files to open the first time the lab's editor is shown. */
  initialOpen: readonly string[];
  /** Makes documents once the editor can (Monaco has loaded). */
  loadDocumentFactory: () => Promise<DocumentFactory<D>>;
  /** How long "Saved" shows. */
  savedNoticeMs?: number;
};

export function errorMessage(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong; try again.';
}

export class OpenFiles<D extends TextDocument> {
  private client: FilesApi | null = null;
  private readonly queue = new RequestQueue();
  private readonly documents = new Map<string, OpenDocument<D>>();
  /** For files that could not be shown: the size and time seen, to try again when they change. */
  private readonly unavailableStamps = new Map<string, FileStamp | null>();
  private readonly listeners = new Set<() => void>();
  private snapshot: EditorSnapshot = {
    isConnected: false,
    tree: { nodes: [], truncated: false, isLoaded: false, error: null },
    expanded: new Set(),
    tabs: [],
    activePath: null,
    saveStatus: { kind: 'idle' },
  };
  /** Files being read for their tab, so that opening one twice waits for the same read. */
  private readonly loads = new Map<string, Promise<void>>();
  private hasRestored = false;
  /** Bumped by `release()`: reads started before it must not create documents after it. */
  private generation = 0;
  private savedNoticeTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: OpenFilesOptions<D>) {}

  // ── the external store React reads ────────────────────────────────────────────────────────
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): EditorSnapshot => this.snapshot;

  /** The text of an open, loaded file. */
  documentFor(path: string | null): D | null {
    return path === null ? null : (this.documents.get(path)?.document ?? null);
  }

  get hasUnsavedChanges(): boolean {
    return this.snapshot.tabs.some((tab) => tab.isDirty);
  }

  /** Use the runner through `client`, or null while the sandbox is not reachable. */
  connect(client: FilesApi | null): Promise<void> {
    this.client = client;
    this.update({ isConnected: client !== null });
    if (!client) return Promise.resolve();
    if (!this.hasRestored) return this.restore();
    return this.refresh().then(() => this.ensureLoaded(this.snapshot.activePath));
  }

  /**
   * Lets go of the documents (the editor is going away): tabs stay, as unloaded, and load again
   * when the editor comes back.
   */
  release(): void {
    clearTimeout(this.savedNoticeTimer);
    this.generation++;
    this.loads.clear();
    for (const open of this.documents.values()) {
      open.subscription.dispose();
      open.document.dispose();
    }
    this.documents.clear();
    this.client = null;
    this.update({
      isConnected: false,
      tabs: this.snapshot.tabs.map((tab) => ({
        ...tab,
        status: 'unloaded',
        isDirty: false,
        hasConflict: false,
      })),
      saveStatus: { kind: 'idle' },
    });
  }

  // ── reading the workspace ─────────────────────────────────────────────────────────────────
  /**
   * Reloads the tree and catches up with changes on disk: clean tabs take the new content, dirty
   * ones get a conflict to resolve, tabs of deleted files are marked deleted.
   */
  refresh(): Promise<void> {
    if (!this.client) return Promise.resolve();
    return this.queue.refresh((signal) => this.refreshNow(false, signal));
  }

  /** True while a request runs or waits: a periodic refresh skips its turn then. */
  get isBusy(): boolean {
    return this.queue.isBusy;
  }

  private async restore(): Promise<void> {
    this.hasRestored = true;
    const saved = this.options.storage ? loadSavedTabs(this.options.storage, this.options.labId) : null;
    // Files asked for (openFile) before the sandbox was reachable come on top of the remembered ones.
    const asked = this.snapshot.tabs.map((tab) => tab.path);
    const open = [...new Set([...(saved?.open ?? this.options.initialOpen), ...asked])];
    const expanded = [...(saved?.expanded ?? open.flatMap(ancestorsOf)), ...this.snapshot.expanded];
    this.update({
      tabs: open.map((path) => this.tab(path) ?? newTab(path)),
      activePath: this.snapshot.activePath ?? (saved ? saved.active : (open[0] ?? null)),
      expanded: new Set(expanded),
    });
    await this.queue.refresh((signal) => this.refreshNow(true, signal));
    await this.ensureLoaded(this.snapshot.activePath);
  }

  /**
   * `isRestoring`: tabs of files that no longer exist are dropped instead of shown as deleted.
   * Once `signal` is aborted (a save came first) it stops, changing nothing more: the queue runs
   * it again after the save.
   */
  private async refreshNow(isRestoring: boolean, signal: AbortSignal): Promise<void> {
    const client = this.client;
    if (!client) return;
    let entries, truncated;
    try {
      ({ entries, truncated } = await client.tree(signal));
    } catch (error) {
      if (signal.aborted) return;
      this.update({ tree: { ...this.snapshot.tree, error: errorMessage(error) } });
      return;
    }
    if (signal.aborted) return;
    const nodes = buildTree(entries);
    const index = indexTree(nodes);
    this.update({ tree: { nodes, truncated, isLoaded: true, error: null } });
    // A file absent from an incomplete list, or from a folder the runner does not list, may exist.
    const isUncertain = (path: string) =>
      truncated || ancestorsOf(path).some((folder) => index.get(folder)?.isSkipped);

    if (isRestoring) {
      const isMissing = (path: string) => index.get(path)?.type !== 'file' && !isUncertain(path);
      const kept = this.snapshot.tabs.filter((tab) => !isMissing(tab.path));
      const activePath = kept.some((tab) => tab.path === this.snapshot.activePath)
        ? this.snapshot.activePath
        : (kept[0]?.path ?? null);
      this.update({ tabs: kept, activePath });
    }
    for (const { path } of this.snapshot.tabs) {
      if (signal.aborted) return;
      await this.catchUp(client, path, index.get(path), isUncertain(path), signal);
    }
  }

  /** Brings one tab up to date with the file on disk, as the tree shows it. */
  private async catchUp(
    client: FilesApi,
    path: string,
    entry: TreeNode | undefined,
    isUncertain: boolean,
    signal: AbortSignal,
  ) {
    const tab = this.tab(path);
    if (!tab) return;
    if ((!entry && !isUncertain) || (entry && entry.type !== 'file')) {
      this.markDeleted(path);
      return;
    }

    const open = this.documents.get(path);
    if (tab.status === 'ready' && open) {
      const isUnchanged =
        entry !== undefined &&
        !tab.isDeleted &&
        entry.size === open.disk.size &&
        entry.modifiedMs === open.disk.modifiedMs;
      if (isUnchanged) return;
      try {
        const disk = await client.read(path, signal);
        // A save may have changed the file meanwhile: what was read is not news any more.
        if (signal.aborted) return;
        this.takeDiskContent(open, disk);
      } catch (error) {
        if (signal.aborted) return;
        if (error instanceof FilesError && error.code === 'FILE_NOT_FOUND') this.markDeleted(path);
        // Anything else (a network blip, the file turning binary): try again at the next refresh.
      }
    } else if (tab.status === 'unavailable' && entry) {
      const seen = this.unavailableStamps.get(path);
      const hasChanged = !seen || seen.size !== entry.size || seen.modifiedMs !== entry.modifiedMs;
      const createDocument = hasChanged ? await this.options.loadDocumentFactory().catch(() => null) : null;
      if (createDocument && !signal.aborted) await this.loadNow(client, path, createDocument, signal);
    } else if (tab.isDeleted && entry) {
      this.patchTab(path, { isDeleted: false });
    }
  }

  private takeDiskContent(open: OpenDocument<D>, disk: FileContent): void {
    if (disk.content === open.disk.content) {
      // The same text, e.g. after our own save: only the size and time are news.
      open.disk = disk;
      this.patchTab(open.path, { isDeleted: false });
      return;
    }
    const isDirty = open.document.versionId() !== open.savedVersion;
    if (isDirty) {
      open.conflict = disk;
      this.patchTab(open.path, { isDeleted: false, hasConflict: true });
      return;
    }
    open.document.replaceText(disk.content);
    open.savedVersion = open.document.versionId();
    open.disk = disk;
    open.conflict = null;
    this.patchTab(open.path, { isDirty: false, isDeleted: false, hasConflict: false });
  }

  private markDeleted(path: string): void {
    const open = this.documents.get(path);
    if (open) {
      open.conflict = null;
      open.disk = { ...open.disk, modifiedMs: null };
    }
    this.patchTab(path, { isDeleted: true, hasConflict: false });
  }

  // ── tabs ──────────────────────────────────────────────────────────────────────────────────
  /** Opens a tab for the file (or goes to its tab) and loads it. */
  openFile(path: string): Promise<void> {
    if (!this.tab(path)) this.update({ tabs: [...this.snapshot.tabs, newTab(path)] });
    this.update({ activePath: path, expanded: withAncestors(this.snapshot.expanded, path) });
    return this.ensureLoaded(path);
  }

  activate(path: string): void {
    if (!this.tab(path)) return;
    this.update({ activePath: path });
    void this.ensureLoaded(path);
  }

  /** Closes a tab; unsaved changes are lost (ask first). */
  close(path: string): void {
    const tabs = this.snapshot.tabs;
    const index = tabs.findIndex((tab) => tab.path === path);
    if (index === -1) return;
    this.forget(path);
    const remaining = tabs.filter((tab) => tab.path !== path);
    const activePath =
      this.snapshot.activePath === path
        ? (remaining[index]?.path ?? remaining[index - 1]?.path ?? null)
        : this.snapshot.activePath;
    this.update({ tabs: remaining, activePath });
    void this.ensureLoaded(activePath);
  }

  private forget(path: string): void {
    const open = this.documents.get(path);
    if (open) {
      open.subscription.dispose();
      open.document.dispose();
      this.documents.delete(path);
    }
    this.unavailableStamps.delete(path);
  }

  private ensureLoaded(path: string | null): Promise<void> {
    const tab = path === null ? undefined : this.tab(path);
    const client = this.client;
    if (!tab || !client || tab.status === 'ready') return Promise.resolve();
    const pending = this.loads.get(tab.path);
    if (pending) return pending;
    const load = (async () => {
      this.patchTab(tab.path, { status: 'loading', message: null, canRetry: false });
      let createDocument: DocumentFactory<D>;
      try {
        createDocument = await this.options.loadDocumentFactory();
      } catch (error) {
        this.showUnavailable(tab.path, `The editor could not load: ${errorMessage(error)}`, false);
        return;
      }
      await this.queue.run(() => this.loadNow(client, tab.path, createDocument));
    })().finally(() => this.loads.delete(tab.path));
    this.loads.set(tab.path, load);
    return load;
  }

  private async loadNow(
    client: FilesApi,
    path: string,
    createDocument: DocumentFactory<D>,
    signal?: AbortSignal,
  ): Promise<void> {
    const generation = this.generation;
    let disk: FileContent;
    try {
      disk = await client.read(path, signal);
    } catch (error) {
      if (signal?.aborted) return;
      const canRetry = !(error instanceof FilesError && fileErrorCodes.has(error.code));
      if (generation === this.generation) this.showUnavailable(path, errorMessage(error), canRetry);
      return;
    }
    // Cancelled by a save, closed, renamed or loaded meanwhile, or the editor went away.
    if (signal?.aborted) return;
    if (generation !== this.generation || !this.tab(path) || this.documents.has(path)) return;
    const document = createDocument(disk.content, path);
    const open: OpenDocument<D> = {
      path,
      document,
      savedVersion: document.versionId(),
      disk,
      conflict: null,
      subscription: document.onDidChange(() => {
        const isDirty = open.document.versionId() !== open.savedVersion;
        if (this.tab(open.path)?.isDirty !== isDirty) this.patchTab(open.path, { isDirty });
      }),
    };
    this.documents.set(path, open);
    this.unavailableStamps.delete(path);
    this.patchTab(path, {
      status: 'ready',
      message: null,
      isDirty: false,
      isDeleted: false,
      hasConflict: false,
    });
  }

  private showUnavailable(path: string, message: string, canRetry: boolean): void {
    if (!this.tab(path)) return;
    const node = indexTree(this.snapshot.tree.nodes).get(path);
    this.unavailableStamps.set(path, node ? { size: node.size, modifiedMs: node.modifiedMs } : null);
    this.patchTab(path, { status: 'unavailable', message, canRetry, isDirty: false, hasConflict: false });
  }

  /** Takes the version on disk, dropping the unsaved changes. */
  reloadFromDisk(path: string): void {
    const open = this.documents.get(path);
    if (!open?.conflict) return;
    open.document.replaceText(open.conflict.content);
    open.savedVersion = open.document.versionId();
    open.disk = open.conflict;
    open.conflict = null;
    this.patchTab(path, { isDirty: false, hasConflict: false });
  }

  /** Keeps the unsaved changes; saving will overwrite the version on disk. */
  keepMine(path: string): void {
    const open = this.documents.get(path);
    if (!open?.conflict) return;
    open.disk = open.conflict;
    open.conflict = null;
    this.patchTab(path, { hasConflict: false });
  }

  /**
   * Writes the file (the active one by default); resolves to whether it was saved. A save goes
   * first: before the requests waiting, and a background refresh running is cancelled for it.
   */
  async save(path: string | null = this.snapshot.activePath): Promise<boolean> {
    const open = path === null ? undefined : this.documents.get(path);
    const client = this.client;
    if (!open || !client) return false;
    const text = open.document.getText();
    const version = open.document.versionId();
    this.setSaveStatus({ kind: 'saving', path: open.path });
    try {
      const { size } = await this.queue.save(() => client.write(open.path, text));
      open.savedVersion = version;
      open.disk = { content: text, size, modifiedMs: null };
      open.conflict = null;
      this.patchTab(open.path, {
        isDirty: open.document.versionId() !== version,
        isDeleted: false,
        hasConflict: false,
      });
      this.setSaveStatus({ kind: 'saved', path: open.path });
      void this.refresh();
      return true;
    } catch (error) {
      this.setSaveStatus({ kind: 'failed', path: open.path, message: errorMessage(error) });
      return false;
    }
  }

  private setSaveStatus(saveStatus: SaveStatus): void {
    clearTimeout(this.savedNoticeTimer);
    this.update({ saveStatus });
    if (saveStatus.kind === 'saved') {
      this.savedNoticeTimer = setTimeout(() => {
        if (this.snapshot.saveStatus === saveStatus) this.update({ saveStatus: { kind: 'idle' } });
      }, this.options.savedNoticeMs ?? 2000);
    }
  }

  // ── changing the workspace (errors are thrown, for the tree to show) ──────────────────────
  /** Creates an empty file in `folder` ("" for the workspace) and opens it; never overwrites. */
  async createFile(folder: string, name: string): Promise<string> {
    const client = this.requireClient();
    const path = joinPath(folder, name);
    await this.queue.run(async () => {
      if (await this.exists(client, path))
        throw new FilesError('ALREADY_EXISTS', `'${path}' already exists.`, 409);
      await client.write(path, '');
    });
    await this.refresh();
    await this.openFile(path);
    return path;
  }

  /**
   * Whether anything is at `path`, from a fresh tree; a read answers where the tree cannot (it
   * was cut short, or the path is in a folder it does not list). The tree first: asking for a
   * missing file makes the browser log a 404.
   */
  private async exists(client: FilesApi, path: string): Promise<boolean> {
    const { entries, truncated } = await client.tree();
    const listed = new Map(entries.map((entry) => [entry.path, entry]));
    if (listed.has(path)) return true;
    const isListedFully =
      !truncated && ancestorsOf(path).every((folder) => listed.get(folder)?.skipped !== true);
    if (isListedFully) return false;
    return client.read(path).then(
      () => true,
      (error: unknown) => {
        if (error instanceof FilesError && error.code === 'FILE_NOT_FOUND') return false;
        if (error instanceof FilesError && existsButNotTextCodes.has(error.code)) return true;
        throw error;
      },
    );
  }

  async createFolder(folder: string, name: string): Promise<string> {
    const client = this.requireClient();
    const path = joinPath(folder, name);
    await this.queue.run(() => client.mkdir(path));
    this.update({ expanded: withAncestors(this.snapshot.expanded, path) });
    await this.refresh();
    return path;
  }

  /** Renames a file or folder in place; its open tabs follow it. Resolves to the new path. */
  async rename(path: string, newName: string): Promise<string> {
    const client = this.requireClient();
    const target = renameTarget(path, newName);
    if (target === path) return path;
    await this.queue.run(() => client.move(path, target));
    this.followMove(path, target);
    await this.refresh();
    return target;
  }

  private followMove(from: string, to: string): void {
    const moved = (path: string) => movedPath(path, from, to) ?? path;
    for (const [path, open] of [...this.documents]) {
      if (!isSameOrInside(path, from)) continue;
      this.documents.delete(path);
      open.path = moved(path);
      open.document.setPath(open.path);
      this.documents.set(open.path, open);
    }
    for (const [path, stamp] of [...this.unavailableStamps]) {
      if (!isSameOrInside(path, from)) continue;
      this.unavailableStamps.delete(path);
      this.unavailableStamps.set(moved(path), stamp);
    }
    this.update({
      // A read in flight was for the old path: the tab loads again from the new one.
      tabs: this.snapshot.tabs.map((tab) => ({
        ...tab,
        path: moved(tab.path),
        status: tab.status === 'loading' ? 'unloaded' : tab.status,
      })),
      activePath: this.snapshot.activePath === null ? null : moved(this.snapshot.activePath),
      expanded: new Set([...this.snapshot.expanded].map(moved)),
    });
    void this.ensureLoaded(this.snapshot.activePath);
  }

  /** Deletes a file or a folder with its content, and closes their tabs. */
  async remove(path: string): Promise<void> {
    const client = this.requireClient();
    await this.queue.run(() => client.remove(path));
    for (const tab of this.snapshot.tabs) if (isSameOrInside(tab.path, path)) this.close(tab.path);
    this.update({
      expanded: new Set([...this.snapshot.expanded].filter((folder) => !isSameOrInside(folder, path))),
    });
    await this.refresh();
  }

  setExpanded(folder: string, isExpanded: boolean): void {
    if (this.snapshot.expanded.has(folder) === isExpanded) return;
    const expanded = new Set(this.snapshot.expanded);
    if (isExpanded) expanded.add(folder);
    else expanded.delete(folder);
    this.update({ expanded });
  }

  private requireClient(): FilesApi {
    if (!this.client)
      throw new FilesError('NOT_CONNECTED', 'The sandbox is not ready yet; try again in a moment.', 0);
    return this.client;
  }

  // ── bookkeeping ───────────────────────────────────────────────────────────────────────────
  private tab(path: string): Tab | undefined {
    return this.snapshot.tabs.find((tab) => tab.path === path);
  }

  private patchTab(path: string, patch: Partial<Omit<Tab, 'path'>>): void {
    if (!this.tab(path)) return;
    this.update({ tabs: this.snapshot.tabs.map((tab) => (tab.path === path ? { ...tab, ...patch } : tab)) });
  }

  private update(patch: Partial<EditorSnapshot>): void {
    const before = this.snapshot;
    this.snapshot = { ...before, ...patch };
    const isRemembered =
      before.tabs.map((tab) => tab.path).join('\0') !==
        this.snapshot.tabs.map((tab) => tab.path).join('\0') ||
      before.activePath !== this.snapshot.activePath ||
      before.expanded !== this.snapshot.expanded;
    if (isRemembered && this.hasRestored && this.options.storage) {
      const saved: SavedTabs = {
        open: this.snapshot.tabs.map((tab) => tab.path),
        active: this.snapshot.activePath,
        expanded: [...this.snapshot.expanded],
      };
      saveTabs(this.options.storage, this.options.labId, saved);
    }
    for (const listener of this.listeners) listener();
  }
}

function newTab(path: string): Tab {
  return {
    path,
    status: 'unloaded',
    message: null,
    canRetry: false,
    isDirty: false,
    isDeleted: false,
    hasConflict: false,
  };
}

function withAncestors(expanded: ReadonlySet<string>, path: string): ReadonlySet<string> {
  const folders = ancestorsOf(path);
  if (folders.every((folder) => expanded.has(folder))) return expanded;
  return new Set([...expanded, ...folders]);
}
