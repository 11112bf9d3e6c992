/**
 * The reaper: sandboxes left idle are stopped (their work is kept) and those past their time limit
 * are destroyed, on a timer. A session with an operation in flight is left for the next round.
 */
import type { Session } from './session';

export const reaperIntervalMs = 15_000;

export type ReaperOptions = {
  idleStopMs: number;
  /** The sessions to look at (destroyed ones excluded). */
  sessions: () => Session[];
  /** Whether an operation (create, stop, resume…) is in flight on a session. */
  isBusy: (id: string) => boolean;
  stop: (id: string) => Promise<unknown>;
  destroy: (id: string) => Promise<unknown>;
  log: (message: string) => void;
};

/** What is due for a session at `now`: destroying it, stopping it, or nothing. */
export function dueFor(session: Session, now: number, idleStopMs: number): 'destroy' | 'stop' | undefined {
  if (session.expiresAt <= now) return 'destroy';
  if (session.state === 'ready' && now - session.lastActivityAt >= idleStopMs) return 'stop';
  return undefined;
}

export class Reaper {
  private timer?: NodeJS.Timeout;
  private round?: Promise<void>;

  constructor(private readonly options: ReaperOptions) {}

  /** Reaps every `reaperIntervalMs`; a round still running when the next is due is not doubled. */
  start(): void {
    this.timer = setInterval(() => {
      this.round ??= this.reap(Date.now()).finally(() => (this.round = undefined));
    }, reaperIntervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** One round at `now`: each due session in turn; a failure is logged and the round goes on. */
  async reap(now: number): Promise<void> {
    const { sessions, isBusy, idleStopMs, log } = this.options;
    for (const session of sessions()) {
      // Sessions destroyed earlier in this round stay in its list.
      if (session.state === 'destroyed' || isBusy(session.id)) continue;
      const due = dueFor(session, now, idleStopMs);
      try {
        if (due === 'destroy') {
          log(`session ${session.id} reached its time limit; destroying`);
          await this.options.destroy(session.id);
        } else if (due === 'stop') {
          log(`session ${session.id} idle; stopping (work kept)`);
          await this.options.stop(session.id);
        }
      } catch (error) {
        log(`reaper: session ${session.id}: ${(error as Error).message}`);
      }
    }
  }
}
