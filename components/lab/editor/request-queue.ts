/**
 * Runs the editor's requests to the runner one at a time, in order: a save and a background
 * refresh never race (the refresh would otherwise read a file mid-save and report a conflict),
 * and a slow runner never piles up requests.
 *
 * A save goes first. It runs before every task still waiting (after the other saves), and a
 * refresh running when it comes is cancelled, through the signal the refresh was given, and runs
 * again after it: on a busy runner a listing can take many seconds, and the learner who pressed
 * Ctrl+S should not wait for it (what it would have found is stale after the save anyway).
 */
type Entry = {
  kind: 'save' | 'task' | 'refresh';
  start: (signal: AbortSignal) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  /** What its callers wait for (a refresh's is shared, and outlives a cancelled run). */
  promise: Promise<unknown>;
};

export class RequestQueue {
  private readonly waiting: Entry[] = [];
  private running: { entry: Entry; controller: AbortController } | null = null;
  /** A refresh queued and not started yet, which later callers share. */
  private waitingRefresh: Entry | null = null;

  /** Runs `task` after every task queued before it; settles as `task` does. */
  run<T>(task: () => Promise<T>): Promise<T> {
    const entry = this.enqueue('task', task);
    this.pump();
    return entry.promise as Promise<T>;
  }

  /**
   * Runs `save` before everything waiting (but after earlier saves), cancelling a refresh that is
   * running; settles as `save` does.
   */
  save<T>(save: () => Promise<T>): Promise<T> {
    if (this.running?.entry.kind === 'refresh') {
      const { entry, controller } = this.running;
      this.running = null;
      controller.abort();
      this.requeueRefresh(entry);
    }
    const entry = this.enqueue('save', save);
    this.pump();
    return entry.promise as Promise<T>;
  }

  /**
   * Queues `refresh`, unless a refresh is already queued and not started yet: that one will see
   * everything this one would, so both callers share it. `refresh` must stop, changing nothing,
   * once its signal is aborted (a save came): it then runs again from the start.
   */
  refresh(refresh: (signal: AbortSignal) => Promise<void>): Promise<void> {
    // Marked as waiting before it may start (at once, when nothing runs).
    const entry = (this.waitingRefresh ??= this.enqueue('refresh', refresh));
    this.pump();
    return entry.promise as Promise<void>;
  }

  /** True while a task runs or waits: a periodic refresh skips its turn then. */
  get isBusy(): boolean {
    return this.running !== null || this.waiting.length > 0;
  }

  private enqueue(kind: Entry['kind'], start: Entry['start']): Entry {
    let resolve!: Entry['resolve'];
    let reject!: Entry['reject'];
    const promise = new Promise<unknown>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const entry: Entry = { kind, start, resolve, reject, promise };
    if (kind === 'save') this.insertAfterSaves(entry);
    else this.waiting.push(entry);
    return entry;
  }

  private insertAfterSaves(entry: Entry): void {
    const firstNotSave = this.waiting.findIndex((waiting) => waiting.kind !== 'save');
    this.waiting.splice(firstNotSave === -1 ? this.waiting.length : firstNotSave, 0, entry);
  }

  /** A cancelled refresh waits again, first after the saves; one queued meanwhile joins it. */
  private requeueRefresh(entry: Entry): void {
    const queued = this.waitingRefresh;
    if (queued) {
      this.waiting.splice(this.waiting.indexOf(queued), 1);
      entry.promise.then(queued.resolve, queued.reject);
    }
    this.waitingRefresh = entry;
    this.insertAfterSaves(entry);
  }

  private pump(): void {
    if (this.running) return;
    const entry = this.waiting.shift();
    if (!entry) return;
    if (this.waitingRefresh === entry) this.waitingRefresh = null;
    const controller = new AbortController();
    this.running = { entry, controller };
    const finish = (settle: () => void) => {
      if (controller.signal.aborted) return; // displaced by a save: it runs again later
      this.running = null;
      settle();
      this.pump();
    };
    let started: Promise<unknown>;
    try {
      started = entry.start(controller.signal);
    } catch (error) {
      started = Promise.reject(error);
    }
    started.then(
      (value) => finish(() => entry.resolve(value)),
      (error: unknown) => finish(() => entry.reject(error)),
    );
  }
}
