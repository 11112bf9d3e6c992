/**
 * One queue of operations per session, so stop, resume, reset and destroy of a sandbox never
 * interleave (Docker would see a stop in the middle of a start), while sessions stay independent.
 */
export class SessionLocks {
  /** The last operation queued per session; removed once it finishes with nothing after it. */
  private readonly tails = new Map<string, Promise<unknown>>();

  /** Runs `operation` after every operation queued on `id` before it, whether they failed or not. */
  run<T>(id: string, operation: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(id) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(operation);
    this.tails.set(id, next);
    void next
      .catch(() => undefined)
      .finally(() => {
        if (this.tails.get(id) === next) this.tails.delete(id);
      });
    return next;
  }

  /** Whether an operation on `id` is running or queued. */
  isHeld(id: string): boolean {
    return this.tails.has(id);
  }

  /** Resolves once the operations queued so far (on `id`, or on every session) have finished. */
  async settled(id?: string): Promise<void> {
    const tails = id === undefined ? [...this.tails.values()] : [this.tails.get(id)];
    await Promise.allSettled(tails);
  }
}
