/**
 * Runs the editor's requests to the runner one at a time, in order: a save and a background
 * refresh never race (the refresh would otherwise read a file mid-save and report a conflict),
 * and a slow runner never piles up requests.
 */
export class RequestQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private waitingRefresh: Promise<void> | null = null;
  private pending = 0;

  /** Runs `task` after every task queued before it; settles as `task` does. */
  run<T>(task: () => Promise<T>): Promise<T> {
    this.pending++;
    const result = this.tail.then(task).finally(() => {
      this.pending--;
    });
    this.tail = result.catch(() => undefined);
    return result;
  }

  /**
   * Queues `refresh`, unless a refresh is already queued and not started yet: that one will see
   * everything this one would, so both callers share it.
   */
  refresh(refresh: () => Promise<void>): Promise<void> {
    if (this.waitingRefresh) return this.waitingRefresh;
    const queued = this.run(() => {
      this.waitingRefresh = null;
      return refresh();
    });
    this.waitingRefresh = queued;
    return queued;
  }

  /** True while a task runs or waits: a periodic refresh skips its turn then. */
  get isBusy(): boolean {
    return this.pending > 0;
  }
}
