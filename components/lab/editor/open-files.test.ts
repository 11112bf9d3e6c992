import { afterEach, describe, expect, it, vi } from 'vitest';
import { FilesError, type FileContent, type TreeEntry, type WorkspaceTree } from '../files-client';
import { OpenFiles, type FilesApi, type TextDocument } from './open-files';
import { savedTabsKey } from './saved-tabs';

/**
 * A workspace in memory that answers like the runner's file API, one tick later (or when `hold`
 * lets it), and counts how many requests are in flight at once; a cancelled request stops at once.
 */
class FakeWorkspace implements FilesApi {
  files = new Map<string, { content: string; modifiedMs: number }>();
  folders = new Set<string>();
  truncated = false;
  requests: string[] = [];
  inFlight = 0;
  maxInFlight = 0;
  /** While set, tree requests wait for it: a busy runner taking long to list the files. */
  hold: Promise<void> | null = null;
  private clock = 1000;

  constructor(files: Record<string, string> = {}) {
    for (const [path, content] of Object.entries(files)) this.put(path, content);
  }

  /** A change made outside the editor, as from the terminal. */
  put(path: string, content: string): void {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) this.folders.add(parts.slice(0, i).join('/'));
    this.files.set(path, { content, modifiedMs: this.clock++ });
  }

  delete(path: string): void {
    for (const key of [...this.files.keys()])
      if (key === path || key.startsWith(`${path}/`)) this.files.delete(key);
    for (const key of [...this.folders])
      if (key === path || key.startsWith(`${path}/`)) this.folders.delete(key);
  }

  private async call<T>(name: string, work: () => T, signal?: AbortSignal, hold?: Promise<void>): Promise<T> {
    this.requests.push(name);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    let isDone = false;
    const done = () => {
      if (!isDone) this.inFlight--;
      isDone = true;
    };
    try {
      await new Promise<void>((resolve, reject) => {
        // As fetch does, a cancelled request ends at once, not a tick later.
        const cancelled = () => {
          done();
          reject(new DOMException('The request was cancelled.', 'AbortError'));
        };
        if (signal?.aborted) return cancelled();
        signal?.addEventListener('abort', cancelled);
        const answer = () => setTimeout(resolve, 1);
        if (hold) void hold.then(answer);
        else answer();
      });
    } finally {
      done();
    }
    return work();
  }

  tree(signal?: AbortSignal): Promise<WorkspaceTree> {
    return this.call(
      'tree',
      () => {
        const entries: TreeEntry[] = [
          ...[...this.folders].map((path) => ({
            path,
            type: 'directory' as const,
            size: 4096,
            modifiedMs: 1,
          })),
          ...[...this.files].map(([path, file]) => ({
            path,
            type: 'file' as const,
            size: new TextEncoder().encode(file.content).length,
            modifiedMs: file.modifiedMs,
          })),
        ];
        return { entries, truncated: this.truncated };
      },
      signal,
      this.hold ?? undefined,
    );
  }

  read(path: string, signal?: AbortSignal): Promise<FileContent> {
    return this.call(
      `read ${path}`,
      () => {
        if (this.folders.has(path)) throw new FilesError('NOT_A_FILE', `'${path}' is a folder.`, 409);
        const file = this.files.get(path);
        if (!file) throw new FilesError('FILE_NOT_FOUND', `'${path}' does not exist.`, 404);
        if (file.content.startsWith('\0')) {
          throw new FilesError(
            'BINARY_FILE',
            `'${path}' is a binary file; it cannot be opened as text.`,
            415,
          );
        }
        return {
          content: file.content,
          size: new TextEncoder().encode(file.content).length,
          modifiedMs: file.modifiedMs,
        };
      },
      signal,
    );
  }

  write(path: string, content: string): Promise<{ size: number }> {
    return this.call(`write ${path}`, () => {
      this.put(path, content);
      return { size: new TextEncoder().encode(content).length };
    });
  }

  mkdir(path: string): Promise<void> {
    return this.call(`mkdir ${path}`, () => {
      if (this.folders.has(path) || this.files.has(path)) {
        throw new FilesError('ALREADY_EXISTS', `'${path}' already exists.`, 409);
      }
      this.folders.add(path);
    });
  }

  move(from: string, to: string): Promise<void> {
    return this.call(`move ${from} ${to}`, () => {
      const rename = (path: string) =>
        path === from ? to : path.startsWith(`${from}/`) ? to + path.slice(from.length) : path;
      this.files = new Map([...this.files].map(([path, file]) => [rename(path), file]));
      this.folders = new Set([...this.folders].map(rename));
    });
  }

  remove(path: string): Promise<void> {
    return this.call(`remove ${path}`, () => this.delete(path));
  }
}

/** A document holding a string; `type` stands for the learner typing. */
class FakeDocument implements TextDocument {
  private version = 1;
  private listeners = new Set<() => void>();
  isDisposed = false;

  constructor(
    public text: string,
    public path: string,
  ) {}

  getText = () => this.text;
  replaceText = (text: string) => this.change(text);
  setPath = (path: string) => void (this.path = path);
  versionId = () => this.version;
  onDidChange = (listener: () => void) => {
    this.listeners.add(listener);
    return { dispose: () => void this.listeners.delete(listener) };
  };
  dispose = () => void (this.isDisposed = true);

  type(text: string): void {
    this.change(text);
  }

  private change(text: string): void {
    this.text = text;
    this.version++;
    for (const listener of this.listeners) listener();
  }
}

function memoryStorage(initial: Record<string, string> = {}) {
  const items = new Map(Object.entries(initial));
  return {
    items,
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
  };
}

function editorFor(
  workspace: FakeWorkspace,
  {
    initialOpen = ['train.py'],
    storage = memoryStorage(),
  }: { initialOpen?: string[]; storage?: ReturnType<typeof memoryStorage> } = {},
) {
  const files = new OpenFiles<FakeDocument>({
    labId: 'lab-1',
    storage,
    initialOpen,
    loadDocumentFactory: async () => (text, path) => new FakeDocument(text, path),
    savedNoticeMs: 50,
  });
  const tab = (path: string) => files.getSnapshot().tabs.find((t) => t.path === path);
  const doc = (path: string) => {
    const document = files.documentFor(path);
    if (!document) throw new Error(`${path} is not loaded`);
    return document;
  };
  return { files, storage, tab, doc };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('OpenFiles', () => {
  it('opens the initial files the first time, shows the first and expands its folders', async () => {
    const workspace = new FakeWorkspace({ 'src/train.py': 'print(1)\n', 'README.md': '# Lab\n' });
    const { files, tab, doc } = editorFor(workspace, {
      initialOpen: ['src/train.py', 'README.md', 'missing.py'],
    });

    await files.connect(workspace);

    const snapshot = files.getSnapshot();
    expect(snapshot.tabs.map((t) => t.path)).toEqual(['src/train.py', 'README.md']);
    expect(snapshot.activePath).toBe('src/train.py');
    expect(tab('src/train.py')).toMatchObject({ status: 'ready', isDirty: false });
    expect(tab('README.md')?.status).toBe('unloaded');
    expect(doc('src/train.py').text).toBe('print(1)\n');
    expect([...snapshot.expanded]).toEqual(['src']);
    expect(snapshot.tree.nodes.map((node) => node.path)).toEqual(['src', 'README.md']);
  });

  it('remembers the tabs per lab and restores them after a reload', async () => {
    const workspace = new FakeWorkspace({ 'train.py': 'a', 'params.yaml': 'b', 'old.py': 'c' });
    const first = editorFor(workspace);
    await first.files.connect(workspace);
    await first.files.openFile('old.py');
    await first.files.openFile('params.yaml');
    workspace.delete('old.py');

    const second = editorFor(workspace, { storage: first.storage });
    await second.files.connect(workspace);

    expect(second.files.getSnapshot().tabs.map((t) => t.path)).toEqual(['train.py', 'params.yaml']);
    expect(second.files.getSnapshot().activePath).toBe('params.yaml');
    expect(second.doc('params.yaml').text).toBe('b');
    expect(JSON.parse(first.storage.items.get(savedTabsKey('lab-1')) ?? '')).toEqual({
      open: ['train.py', 'params.yaml'],
      active: 'params.yaml',
      expanded: [],
    });
  });

  it('marks a tab dirty on edit and clean again when saved', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'], shouldAdvanceTime: true });
    const workspace = new FakeWorkspace({ 'train.py': 'x = 1\n' });
    const { files, tab, doc } = editorFor(workspace);
    await files.connect(workspace);

    doc('train.py').type('x = 2\n');
    expect(tab('train.py')?.isDirty).toBe(true);

    await expect(files.save()).resolves.toBe(true);
    expect(workspace.files.get('train.py')?.content).toBe('x = 2\n');
    expect(tab('train.py')?.isDirty).toBe(false);
    expect(files.getSnapshot().saveStatus).toEqual({ kind: 'saved', path: 'train.py' });
    await vi.advanceTimersByTimeAsync(60);
    expect(files.getSnapshot().saveStatus).toEqual({ kind: 'idle' });
  });

  it("shows the runner's message when saving fails", async () => {
    const workspace = new FakeWorkspace({ 'train.py': 'x' });
    workspace.write = async () => {
      throw new FilesError(
        'WORKSPACE_FULL',
        'Your workspace is full; delete some files and save again.',
        507,
      );
    };
    const { files, tab, doc } = editorFor(workspace);
    await files.connect(workspace);
    doc('train.py').type('y');

    await expect(files.save()).resolves.toBe(false);
    expect(files.getSnapshot().saveStatus).toEqual({
      kind: 'failed',
      path: 'train.py',
      message: 'Your workspace is full; delete some files and save again.',
    });
    expect(tab('train.py')?.isDirty).toBe(true);
  });

  it('takes changes made on disk into clean tabs', async () => {
    const workspace = new FakeWorkspace({ 'train.py': 'epochs = 5\n' });
    const { files, tab, doc } = editorFor(workspace);
    await files.connect(workspace);

    workspace.put('train.py', 'epochs = 10\n');
    await files.refresh();

    expect(doc('train.py').text).toBe('epochs = 10\n');
    expect(tab('train.py')).toMatchObject({ isDirty: false, hasConflict: false });
  });

  it('reads only the files whose size or time changed', async () => {
    const workspace = new FakeWorkspace({ 'train.py': 'a' });
    const { files } = editorFor(workspace);
    await files.connect(workspace);
    workspace.requests = [];

    await files.refresh();

    expect(workspace.requests).toEqual(['tree']);
  });

  it('asks before replacing unsaved changes with a version changed on disk', async () => {
    const workspace = new FakeWorkspace({ 'train.py': 'original\n' });
    const { files, tab, doc } = editorFor(workspace);
    await files.connect(workspace);
    doc('train.py').type('mine\n');

    workspace.put('train.py', 'theirs\n');
    await files.refresh();
    expect(tab('train.py')).toMatchObject({ isDirty: true, hasConflict: true });
    expect(doc('train.py').text).toBe('mine\n');

    files.keepMine('train.py');
    await files.refresh();
    expect(tab('train.py')).toMatchObject({ isDirty: true, hasConflict: false });

    workspace.put('train.py', 'theirs again\n');
    await files.refresh();
    files.reloadFromDisk('train.py');
    expect(doc('train.py').text).toBe('theirs again\n');
    expect(tab('train.py')).toMatchObject({ isDirty: false, hasConflict: false });
  });

  it('does not mistake its own save for a change on disk', async () => {
    const workspace = new FakeWorkspace({ 'train.py': 'a' });
    const { files, tab, doc } = editorFor(workspace);
    await files.connect(workspace);
    doc('train.py').type('b');
    await files.save();
    doc('train.py').type('c');

    await files.refresh();

    expect(tab('train.py')).toMatchObject({ isDirty: true, hasConflict: false });
  });

  it('shows a deleted file as deleted, and as it is again when it comes back', async () => {
    const workspace = new FakeWorkspace({ 'train.py': 'a', 'other.py': 'b' });
    const { files, tab, doc } = editorFor(workspace, { initialOpen: ['train.py', 'other.py'] });
    await files.connect(workspace);

    workspace.delete('train.py');
    workspace.delete('other.py');
    await files.refresh();
    expect(tab('train.py')).toMatchObject({ isDeleted: true, status: 'ready' });
    expect(tab('other.py')).toMatchObject({ isDeleted: true, status: 'unloaded' });

    workspace.put('train.py', 'recreated');
    await files.refresh();
    expect(tab('train.py')?.isDeleted).toBe(false);
    expect(doc('train.py').text).toBe('recreated');
  });

  it('does not call a file deleted when the tree was cut short', async () => {
    const workspace = new FakeWorkspace({ 'train.py': 'a' });
    const { files, tab } = editorFor(workspace);
    await files.connect(workspace);

    workspace.truncated = true;
    const tree = workspace.tree.bind(workspace);
    workspace.tree = async () => ({ ...(await tree()), entries: [] });
    await files.refresh();

    expect(tab('train.py')?.isDeleted).toBe(false);
  });

  it("shows the runner's reason a file cannot be edited, and retries when it changes", async () => {
    const workspace = new FakeWorkspace({ 'model.bin': '\0\u0001', 'train.py': 'a' });
    const { files, tab, doc } = editorFor(workspace);
    await files.connect(workspace);

    await files.openFile('model.bin');
    expect(tab('model.bin')).toMatchObject({
      status: 'unavailable',
      message: "'model.bin' is a binary file; it cannot be opened as text.",
      canRetry: false,
    });

    workspace.put('model.bin', 'now text');
    await files.refresh();
    expect(tab('model.bin')?.status).toBe('ready');
    expect(doc('model.bin').text).toBe('now text');
  });

  it('creates a file and opens it, but never over an existing one', async () => {
    const workspace = new FakeWorkspace({ 'src/train.py': 'keep me' });
    const { files, tab } = editorFor(workspace, { initialOpen: [] });
    await files.connect(workspace);

    await expect(files.createFile('src', 'train.py')).rejects.toMatchObject({
      code: 'ALREADY_EXISTS',
      message: "'src/train.py' already exists.",
    });
    expect(workspace.files.get('src/train.py')?.content).toBe('keep me');

    workspace.requests = [];
    await expect(files.createFile('src', 'eval.py')).resolves.toBe('src/eval.py');
    expect(workspace.requests.slice(0, 2)).toEqual(['tree', 'write src/eval.py']);
    expect(workspace.files.get('src/eval.py')?.content).toBe('');
    expect(files.getSnapshot().activePath).toBe('src/eval.py');
    expect(tab('src/eval.py')?.status).toBe('ready');
  });

  it('asks the runner whether a file exists where the tree cannot tell', async () => {
    const workspace = new FakeWorkspace({ '.venv/lib/site.py': 'x' });
    const tree = workspace.tree.bind(workspace);
    workspace.tree = async () => {
      const listed = await tree();
      const entries = listed.entries.filter((entry) => !entry.path.startsWith('.venv/'));
      return {
        entries: entries.map((entry) => (entry.path === '.venv' ? { ...entry, skipped: true } : entry)),
        truncated: false,
      };
    };
    const { files } = editorFor(workspace, { initialOpen: [] });
    await files.connect(workspace);

    await expect(files.createFile('.venv/lib', 'site.py')).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
    expect(workspace.files.get('.venv/lib/site.py')?.content).toBe('x');
  });

  it("passes the runner's error on when a folder exists", async () => {
    const workspace = new FakeWorkspace({ 'data/x.csv': '' });
    const { files } = editorFor(workspace, { initialOpen: [] });
    await files.connect(workspace);

    await expect(files.createFolder('', 'data')).rejects.toMatchObject({ message: "'data' already exists." });
    await expect(files.createFolder('data', 'raw')).resolves.toBe('data/raw');
    expect(files.getSnapshot().expanded.has('data')).toBe(true);
  });

  it('keeps open tabs, with their unsaved changes, through a folder rename', async () => {
    const workspace = new FakeWorkspace({ 'src/train.py': 'a', 'src/util/io.py': 'b', 'other.py': 'c' });
    const { files, tab, doc } = editorFor(workspace, { initialOpen: ['src/train.py', 'other.py'] });
    await files.connect(workspace);
    files.setExpanded('src/util', true);
    const document = doc('src/train.py');
    document.type('edited');

    await expect(files.rename('src', 'pipeline')).resolves.toBe('pipeline');

    const snapshot = files.getSnapshot();
    expect(snapshot.tabs.map((t) => t.path)).toEqual(['pipeline/train.py', 'other.py']);
    expect(snapshot.activePath).toBe('pipeline/train.py');
    expect([...snapshot.expanded].sort()).toEqual(['pipeline', 'pipeline/util']);
    expect(doc('pipeline/train.py')).toBe(document);
    expect(document.path).toBe('pipeline/train.py');
    expect(tab('pipeline/train.py')?.isDirty).toBe(true);
  });

  it('closes the tabs of what it deletes', async () => {
    const workspace = new FakeWorkspace({ 'src/a.py': 'a', 'src/b.py': 'b', 'train.py': 'c' });
    const { files, doc } = editorFor(workspace, { initialOpen: ['src/a.py', 'train.py'] });
    await files.connect(workspace);
    const document = doc('src/a.py');

    await files.remove('src');

    expect(files.getSnapshot().tabs.map((t) => t.path)).toEqual(['train.py']);
    expect(files.getSnapshot().activePath).toBe('train.py');
    expect(document.isDisposed).toBe(true);
    expect(workspace.files.has('src/b.py')).toBe(false);
  });

  it('activates the neighbour of a closed active tab and loads it', async () => {
    const workspace = new FakeWorkspace({ 'a.py': 'a', 'b.py': 'b', 'c.py': 'c' });
    const { files, tab } = editorFor(workspace, { initialOpen: ['a.py', 'b.py', 'c.py'] });
    await files.connect(workspace);
    await files.openFile('b.py');

    files.close('b.py');

    expect(files.getSnapshot().activePath).toBe('c.py');
    await vi.waitFor(() => expect(tab('c.py')?.status).toBe('ready'));
    files.close('c.py');
    expect(files.getSnapshot().activePath).toBe('a.py');
  });

  it('offers to try again when the runner failed rather than the file', async () => {
    const workspace = new FakeWorkspace({ 'train.py': 'a' });
    const read = workspace.read.bind(workspace);
    workspace.read = async () => {
      throw new FilesError('NETWORK_ERROR', 'Could not reach the lab runner.', 0);
    };
    const { files, tab } = editorFor(workspace);
    await files.connect(workspace);
    expect(tab('train.py')).toMatchObject({ status: 'unavailable', canRetry: true });

    workspace.read = read;
    await files.openFile('train.py');
    expect(tab('train.py')).toMatchObject({ status: 'ready', message: null });
  });

  it('never has more than one request in flight', async () => {
    const workspace = new FakeWorkspace({ 'a.py': 'a', 'b.py': 'b' });
    const { files, doc } = editorFor(workspace, { initialOpen: ['a.py'] });
    await files.connect(workspace);
    doc('a.py').type('changed');

    await Promise.all([
      files.refresh(),
      files.save(),
      files.openFile('b.py'),
      files.refresh(),
      files.refresh(),
    ]);

    expect(workspace.maxInFlight).toBe(1);
  });

  it('saves first: a slow refresh is cancelled for the save and runs again after it', async () => {
    const workspace = new FakeWorkspace({ 'train.py': 'x = 1\n' });
    const { files, tab, doc } = editorFor(workspace);
    await files.connect(workspace);

    let answer!: () => void;
    workspace.hold = new Promise((resolve) => (answer = resolve));
    const refreshed = files.refresh();
    await vi.waitFor(() => expect(workspace.inFlight).toBe(1));
    doc('train.py').type('x = 2\n');
    workspace.requests = [];

    // The tree is still "listing" when the save starts, and the save does not wait for it.
    await expect(files.save()).resolves.toBe(true);
    expect(workspace.requests[0]).toBe('write train.py');
    expect(workspace.files.get('train.py')?.content).toBe('x = 2\n');
    expect(tab('train.py')).toMatchObject({ isDirty: false, hasConflict: false });

    workspace.hold = null;
    answer();
    await refreshed;
    expect(workspace.requests.slice(0, 2)).toEqual(['write train.py', 'tree']);
    expect(tab('train.py')).toMatchObject({ isDirty: false, hasConflict: false, isDeleted: false });
    expect(doc('train.py').text).toBe('x = 2\n');
    expect(workspace.maxInFlight).toBe(1);
  });

  it('loads the tabs again after the editor was released and comes back', async () => {
    const workspace = new FakeWorkspace({ 'train.py': 'a' });
    const { files, tab, doc } = editorFor(workspace);
    await files.connect(workspace);
    const before = doc('train.py');

    files.release();
    expect(before.isDisposed).toBe(true);
    expect(tab('train.py')?.status).toBe('unloaded');

    await files.connect(workspace);
    expect(tab('train.py')?.status).toBe('ready');
    expect(doc('train.py')).not.toBe(before);
  });
});

describe('OpenFiles before the sandbox is reachable', () => {
  it('opens files asked for early once it connects, beside the remembered ones', async () => {
    const workspace = new FakeWorkspace({ 'train.py': 'a', 'src/eval.py': 'b' });
    const { files, tab } = editorFor(workspace);

    void files.openFile('src/eval.py');
    expect(tab('src/eval.py')?.status).toBe('unloaded');
    await files.connect(workspace);

    expect(files.getSnapshot().tabs.map((t) => t.path)).toEqual(['train.py', 'src/eval.py']);
    expect(files.getSnapshot().activePath).toBe('src/eval.py');
    expect(tab('src/eval.py')?.status).toBe('ready');
  });
});
