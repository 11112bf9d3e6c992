/**
 * Typing while the terminal is (re)connecting is held here and sent once the shell answered, so a
 * fresh terminal still attaching, a network blip or a runner restart does not eat what the learner
 * typed. Only a little is held: past `heldInputMaxChars` further input is refused (and the banner
 * says typing is paused), because minutes of blind typing replayed into a shell would surprise more
 * than help. Held input is dropped when the shell ended or the retries gave up: a new shell must not
 * run keystrokes meant for the old.
 */
export const heldInputMaxChars = 1024;

export class HeldInput {
  private chunks: string[] = [];
  private chars = 0;

  /** Keeps `data` whole (a paste or an escape sequence is never cut), or refuses it. */
  offer(data: string): boolean {
    if (this.chars + data.length > heldInputMaxChars) return false;
    this.chunks.push(data);
    this.chars += data.length;
    return true;
  }

  /** Everything held, in order, and forgets it. */
  take(): string {
    const data = this.chunks.join('');
    this.clear();
    return data;
  }

  clear(): void {
    this.chunks = [];
    this.chars = 0;
  }

  get size(): number {
    return this.chars;
  }
}
