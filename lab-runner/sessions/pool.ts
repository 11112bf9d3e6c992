/**
 * The warm pool: ready, unassigned sandboxes of the default image, with every labkit service
 * started ahead, so "Start lab" is instant. It makes them one at a time (learners' own starts come
 * first), hands one to a learner's session, re-adopts them after a restart, and drains them.
 */
import { newSessionId } from '../api/sessions';
import { labkitServiceNames } from '../api/labkit-services';
import {
  defaultSandboxResources,
  type SandboxDriver,
  type SandboxInfo,
  type SandboxLabels,
  type SandboxResources,
} from '../drivers/driver';
import type { LabSandbox } from '../labs';
import { startServices, stopServices } from './services';

export type PoolEntry = { id: string; image: string; resources: SandboxResources };

export type WarmPoolOptions = {
  driver: SandboxDriver;
  /** The image of every pool sandbox (the runner's default). */
  image: string;
  /** How many warm sandboxes to keep. */
  size: number;
  /** The pool stops growing when active sessions plus pool sandboxes reach maxSessions + size. */
  maxSessions: number;
  activeSessions: () => number;
  /** Called whenever the number of warm sandboxes changes (gauges). */
  onChange: () => void;
  log: (message: string) => void;
};

/** A pool sandbox nobody takes is removed after a week (its label; the reaper of a restart sees it). */
const poolSandboxLifetimeMs = 7 * 24 * 3_600_000;
/** After a failed creation the pool waits this long before the next (not a busy loop on a broken engine). */
export const poolRetryMs = 30_000;

export class WarmPool {
  private readonly entries: PoolEntry[] = [];
  private filling?: Promise<void>;
  private retryTimer?: NodeJS.Timeout;
  private isClosed = false;
  /** Resolved and removed whenever the pool changes: `waitUntilFull`'s conditions. */
  private readonly changeListeners = new Set<() => void>();

  constructor(private readonly options: WarmPoolOptions) {}

  /** Warm sandboxes ready now. */
  get count(): number {
    return this.entries.length;
  }

  /**
   * Takes back a running pool sandbox found after a restart; false when it is not wanted. One made
   * by an older runner (its services run as the learner) is not wanted: it holds no learner work.
   */
  adopt(info: SandboxInfo): boolean {
    if (!info.isRunning || this.entries.length >= this.options.size) return false;
    if (info.servicesAccount.user !== 'labkit') return false;
    this.add({ id: info.labels.sessionId, image: this.options.image, resources: defaultSandboxResources });
    return true;
  }

  /** A warm sandbox of `image` with the disk `resources` asks for (a disk cannot grow), or none. */
  take(image: string, resources: SandboxResources): PoolEntry | undefined {
    const index = this.entries.findIndex(
      (entry) => entry.image === image && entry.resources.diskMb === resources.diskMb,
    );
    if (index === -1) return undefined;
    const [entry] = this.entries.splice(index, 1);
    this.changed();
    return entry;
  }

  /**
   * Makes a taken sandbox the learner's: their labels, the lab's limits and starter files. The
   * services started ahead that the lab does not list are stopped (all of them, data included, for
   * a lab without services), in the background: the sandbox is usable meanwhile, and 30 learners
   * starting at once do not queue 30 more execs before their shells.
   */
  async handOut(entry: PoolEntry, labels: SandboxLabels, lab: LabSandbox): Promise<void> {
    await this.options.driver.assign(entry.id, labels, lab.resources, lab.starterFiles);
    const unlisted = labkitServiceNames.filter((name) => !lab.services.includes(name));
    if (!unlisted.length) return;
    const stopped = lab.services.length ? unlisted : undefined;
    void stopServices(this.options.driver, entry.id, stopped).catch((error: unknown) =>
      this.options.log(
        `session ${entry.id}: could not stop the pool's services: ${(error as Error).message}`,
      ),
    );
  }

  /** Starts making the next missing sandbox, unless one is being made or there is no room. */
  fill(): void {
    if (this.isClosed || this.filling || this.retryTimer) return;
    if (this.entries.length >= this.options.size) return;
    if (this.options.activeSessions() + this.entries.length >= this.options.maxSessions + this.options.size) {
      return;
    }
    this.filling = this.makeOne().then((isMade) => {
      this.filling = undefined;
      if (isMade) this.fill();
      else if (!this.isClosed) this.retryLater();
    });
  }

  /** Removes the warm sandboxes (they hold resources but no learner work), the one being made too. */
  async drain(): Promise<void> {
    await this.filling;
    const entries = this.entries.splice(0);
    this.changed();
    await Promise.allSettled(entries.map((entry) => this.options.driver.remove(entry.id)));
  }

  /** Forgets the warm sandboxes without removing them (their removal is the caller's). */
  forget(): void {
    this.entries.splice(0);
    this.changed();
  }

  /** Stops making sandboxes; one being made is removed once done. The warm ones stay for a restart. */
  async close(): Promise<void> {
    this.isClosed = true;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    await this.filling;
  }

  /** Resolves once the pool is full (tests and benchmarks). */
  async waitUntilFull(timeoutMs: number): Promise<void> {
    if (this.entries.length >= this.options.size) return;
    await new Promise<void>((resolve, reject) => {
      const check = () => {
        if (this.entries.length < this.options.size) return;
        clearTimeout(timer);
        this.changeListeners.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.changeListeners.delete(check);
        reject(new Error(`warm pool not full after ${timeoutMs} ms`));
      }, timeoutMs);
      this.changeListeners.add(check);
    });
  }

  /** One warm sandbox with its services started; false when it could not be made (or is not wanted now). */
  private async makeOne(): Promise<boolean> {
    const { driver, image, log } = this.options;
    const id = newSessionId();
    try {
      await driver.create({
        labels: {
          sessionId: id,
          userId: '',
          labId: '',
          expiresAt: Date.now() + poolSandboxLifetimeMs,
          isPool: true,
        },
        image,
        resources: defaultSandboxResources,
      });
    } catch (error) {
      log(`warm pool: could not create a sandbox: ${(error as Error).message}`);
      return false;
    }
    // A failure here only costs the head start (about 0.7 s); each idle service costs some 35 MB.
    if (!this.isClosed) {
      await startServices(driver, id, labkitServiceNames).catch((error: unknown) =>
        log(`warm pool: labkit services did not start in ${id}: ${(error as Error).message}`),
      );
    }
    if (this.isClosed) {
      await driver.remove(id).catch(() => undefined);
      return false;
    }
    this.add({ id, image, resources: defaultSandboxResources });
    return true;
  }

  private retryLater(): void {
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.fill();
    }, poolRetryMs);
    this.retryTimer.unref();
  }

  private add(entry: PoolEntry): void {
    this.entries.push(entry);
    this.changed();
  }

  private changed(): void {
    this.options.onChange();
    for (const listener of [...this.changeListeners]) listener();
  }
}
