/**
 * One learner's terminal connection: opens the WebSocket with a fresh single-use token, speaks the
 * runner's protocol, and reconnects by itself with backoff until it gives up. Knows nothing about
 * xterm or React; `LabTerminal` wires it to both.
 *
 * Nothing typed is lost to a shell that is not there yet: input goes out only once this connection's
 * shell answered (its first output: tmux has drawn the screen and reads keys). Until then, from the
 * first key typed into a fresh terminal, across a socket that opened but never attached, a failed
 * attempt and the retries, it is held and sent in order at the first output.
 */
import {
  initialConnectionState,
  nextConnectionState,
  type ConnectionEvent,
  type ConnectionState,
} from './connection-state';
import { HeldInput } from './held-input';
import { reconnectDelayMs } from './reconnect-policy';
import {
  decodeServerFrame,
  encodeBinaryInput,
  encodeInput,
  encodeResize,
  type TerminalSize,
} from './terminal-protocol';

/** The part of the browser's WebSocket this uses (a fake in tests). */
export type TerminalSocket = {
  binaryType: BinaryType;
  readonly readyState: number;
  send(data: string | Uint8Array): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: Event) => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
  onclose: ((event: CloseEvent) => void) | null;
  onerror: ((event: Event) => void) | null;
};

export type TerminalConnectionOptions = {
  /** A new single-use terminal token; a thrown error's message is shown to the learner. */
  freshToken: () => Promise<string>;
  /** The socket URL for a token. */
  socketUrl: (token: string) => string;
  /** The terminal's size now, sent first on every connection. */
  size: () => TerminalSize;
  /** Raw output. `isFirstOfConnection`: tmux is about to redraw the whole screen. */
  onOutput: (bytes: Uint8Array, isFirstOfConnection: boolean) => void;
  onChange: (state: ConnectionState) => void;
  /** How many read-only viewers (an instructor) watch this shell, whenever the runner says. */
  onViewers?: (count: number) => void;
  createSocket?: (url: string) => TerminalSocket;
  now?: () => number;
  random?: () => number;
};

export type InputResult = 'sent' | 'held' | 'refused';

const socketOpen = 1;
const normalClosure = 1000;
const tokenFailedMessage = 'The terminal could not be authorised.';

export class TerminalConnection {
  private state: ConnectionState = initialConnectionState;
  private socket: TerminalSocket | null = null;
  private isSocketOpen = false;
  /** This connection's shell answered (its first output came): input may go straight to it. */
  private isShellAttached = false;
  /** Bumped by every attempt and by dispose: a callback of an older attempt does nothing. */
  private attempt = 0;
  private isAttemptInFlight = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private isDisposed = false;
  private readonly heldInput = new HeldInput();
  private readonly createSocket: (url: string) => TerminalSocket;
  private readonly now: () => number;
  private readonly random: () => number;

  constructor(private readonly options: TerminalConnectionOptions) {
    this.createSocket = options.createSocket ?? ((url) => new WebSocket(url));
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
  }

  get status(): ConnectionState['status'] {
    return this.state.status;
  }

  /** Connects; also the Reconnect button and "Start a new shell" (after `failed` or `exited`). */
  connect(): void {
    if (this.isDisposed) return;
    this.heldInput.clear();
    this.dispatch({ type: 'connect' });
    if (this.state.status === 'connecting') void this.open();
  }

  /**
   * A hint that the network is probably back (the browser went online, the page became visible):
   * a waiting retry happens now, and a connection that gave up tries again.
   */
  retryNow(): void {
    if (this.isDisposed) return;
    if (this.state.status === 'failed') return this.connect();
    if (this.state.status === 'reconnecting' && !this.isAttemptInFlight) void this.open();
  }

  /**
   * Sends typed or pasted text to the shell; held while (re)connecting, until the shell answered,
   * and refused when there will be no shell (or too much is held already).
   */
  sendInput(data: string): InputResult {
    if (this.socket && this.isShellReady()) {
      for (const message of encodeInput(data)) this.socket.send(message);
      return 'sent';
    }
    const status = this.state.status;
    const isComing = status === 'connecting' || status === 'reconnecting' || status === 'connected';
    if (!isComing) return 'refused';
    return this.heldInput.offer(data) ? 'held' : 'refused';
  }

  /** xterm's binary strings (some mouse reports); meaningless later, so never held. */
  sendBinary(data: string): void {
    if (this.socket && this.isShellReady()) {
      this.socket.send(encodeBinaryInput(data));
    }
  }

  /** The terminal was resized; the next connection sends the size it has then anyway. */
  resize(size: TerminalSize): void {
    if (this.socket && this.isSocketOpen && this.socket.readyState === socketOpen) {
      this.socket.send(encodeResize(size));
    }
  }

  dispose(): void {
    if (this.isDisposed) return;
    this.isDisposed = true;
    this.attempt += 1;
    clearTimeout(this.retryTimer);
    this.closeSocket();
    this.heldInput.clear();
    // Told, so that a view keyed on the session does not keep showing this connection's state.
    this.dispatch({ type: 'stopped' });
  }

  private async open(): Promise<void> {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.closeSocket();
    const attempt = ++this.attempt;
    this.isShellAttached = false;
    this.isAttemptInFlight = true;

    let token: string;
    try {
      token = await this.options.freshToken();
    } catch (error) {
      if (attempt === this.attempt) this.lost(messageOf(error, tokenFailedMessage));
      return;
    }
    if (attempt !== this.attempt) return;

    let socket: TerminalSocket;
    try {
      socket = this.createSocket(this.options.socketUrl(token));
    } catch (error) {
      this.lost(messageOf(error, 'The terminal address is not valid.'));
      return;
    }
    socket.binaryType = 'arraybuffer';
    this.socket = socket;
    let hasOutput = false;
    let hasExited = false;

    socket.onopen = () => {
      if (attempt !== this.attempt) return;
      this.isSocketOpen = true;
      this.isAttemptInFlight = false;
      // The size first: the runner sizes the shell's terminal with it before starting tmux. What
      // was typed waits for the shell (the first output): keys written before tmux reads them may
      // be lost, and the socket may yet close without a shell.
      socket.send(encodeResize(this.options.size()));
    };
    socket.onmessage = (event) => {
      if (attempt !== this.attempt) return;
      const frame = decodeServerFrame(event.data);
      if (frame.type === 'output') {
        const isFirstOfConnection = !hasOutput;
        hasOutput = true;
        if (isFirstOfConnection) {
          this.isShellAttached = true;
          this.dispatch({ type: 'attached' });
        }
        this.options.onOutput(frame.bytes, isFirstOfConnection);
        if (isFirstOfConnection) this.sendHeldInput(socket);
      } else if (frame.type === 'exit') {
        hasExited = true;
        this.heldInput.clear();
        this.dispatch({ type: 'exited' });
      } else if (frame.type === 'error') {
        console.warn(`terminal: ${frame.message}`);
      } else if (frame.type === 'viewers') {
        this.options.onViewers?.(frame.count);
      }
    };
    // A failed handshake fires `error` then `close`; everything is decided on `close`.
    socket.onerror = null;
    socket.onclose = (event) => {
      if (attempt !== this.attempt || this.socket !== socket) return;
      this.socket = null;
      this.isSocketOpen = false;
      this.isShellAttached = false;
      if (hasExited) return;
      this.lost(event.reason || null);
    };
  }

  /** Whether input can go to the shell now: the socket is open and its shell answered. */
  private isShellReady(): boolean {
    return (
      this.socket !== null &&
      this.isSocketOpen &&
      this.isShellAttached &&
      this.socket.readyState === socketOpen
    );
  }

  /** What was typed before the shell answered, in order, once it has. */
  private sendHeldInput(socket: TerminalSocket): void {
    const held = this.heldInput.take();
    if (held && socket.readyState === socketOpen) {
      for (const message of encodeInput(held)) socket.send(message);
    }
  }

  /** The attempt failed or the connection dropped: wait and try again, or give up. */
  private lost(message: string | null): void {
    this.isAttemptInFlight = false;
    this.dispatch({ type: 'lost', nowMs: this.now(), message });
    if (this.state.status === 'failed') {
      this.heldInput.clear();
      return;
    }
    if (this.state.status !== 'reconnecting') return;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(
      () => {
        this.retryTimer = undefined;
        void this.open();
      },
      reconnectDelayMs(this.state.failures, this.random),
    );
  }

  private closeSocket(): void {
    const socket = this.socket;
    this.socket = null;
    this.isSocketOpen = false;
    this.isShellAttached = false;
    if (!socket) return;
    socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
    socket.close(normalClosure);
  }

  private dispatch(event: ConnectionEvent): void {
    const next = nextConnectionState(this.state, event);
    if (next === this.state) return;
    this.state = next;
    this.options.onChange(next);
  }
}

function messageOf(error: unknown, fallback: string): string {
  return error instanceof Error && error.message ? error.message : fallback;
}
