/**
 * `GET /v1/sessions/:id/terminal` (WebSocket): the learner's shell, a `docker exec` with a TTY
 * running `tmux new-session -A -s main`, so a reconnect (page reload, network blip, runner
 * restart) re-attaches to the same shell with its screen and history.
 *
 * Protocol. Client → server: text frames with JSON `{"type":"resize","cols","rows"}` or
 * `{"type":"input","data"}`; binary frames are raw input. Server → client: binary frames of raw
 * terminal output (possibly invalid UTF-8: the browser decodes one stream), and text frames with
 * JSON `{"type":"exit"}` when the shell ends, and `{"type":"viewers","count"}` (on connecting, then
 * whenever it changes) saying how many read-only viewers watch this shell.
 *
 * Read-only viewers (a token with `readOnly`, minted for an instructor) attach as tmux read-only
 * clients that do not resize the learner's window; every input frame they send is dropped, and
 * they do not count as learner activity. A viewer is sized like the learner's terminal, not like
 * its own screen (a tmux client of another size draws the difference as lines and blanks): it gets
 * `{"type":"size","cols","rows"}` on connecting and whenever the learner's terminal is resized, and
 * its own resize messages only count while the learner's size is unknown (their terminal never
 * opened since the runner started).
 *
 * Backpressure: when the socket's send buffer passes a high-water mark the container's output is
 * paused (the process inside then blocks on its TTY), and resumed below a low-water mark, so a
 * `yes` flood neither freezes the browser nor grows the runner's memory.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import type { TtySession } from '../../drivers/driver';
import { RunnerError } from '../../errors';
import type { SessionManager } from '../../sessions/manager';
import type { NonceRegistry } from '../nonces';

/**
 * The learner's shell: tmux, attached to (or creating) the session "main". The TTY is sized before
 * tmux starts, so the shell sees the browser's size from its first command; Docker 20.10's exec API
 * cannot size a TTY at creation, and a resize sent after start races with the learner's typing.
 */
export function terminalCommand(size: { cols: number; rows: number }): string[] {
  const rows = Math.trunc(size.rows);
  const cols = Math.trunc(size.cols);
  return ['sh', '-c', `stty rows ${rows} cols ${cols} 2>/dev/null; exec tmux new-session -A -s main`];
}
/**
 * An instructor's view of the learner's shell: a read-only tmux client (`-f read-only,ignore-size`:
 * keys other than detach do nothing, and its size does not shrink the learner's window). The
 * shell is made first when the learner has not opened their terminal yet. A viewer larger than the
 * learner's window sees the rest blank (tmux's default fill is dots).
 */
export function viewerCommand(size: { cols: number; rows: number }): string[] {
  const rows = Math.trunc(size.rows);
  const cols = Math.trunc(size.cols);
  return [
    'sh',
    '-c',
    `stty rows ${rows} cols ${cols} 2>/dev/null; tmux has-session -t main 2>/dev/null || tmux new-session -d -s main; tmux set-option -gw fill-character ' ' 2>/dev/null; exec tmux attach-session -t main -f read-only,ignore-size`,
  ];
}
const tmuxDetachKeys = '\x02d';
const highWaterBytes = 512 * 1024;
const lowWaterBytes = 64 * 1024;
const drainPollMs = 10;
const firstResizeTimeoutMs = 2_000;
const defaultSize = { cols: 80, rows: 24 };
/** Learner terminal sizes kept at most (the oldest forgotten first). */
const maxRememberedSizes = 10_000;

const clientMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('input'), data: z.string().max(64 * 1024) }),
  z.object({
    type: z.literal('resize'),
    cols: z.number().int().min(2).max(1000),
    rows: z.number().int().min(2).max(500),
  }),
]);

/** The learners' own terminal sockets per session, told when a viewer comes or goes. */
class ViewerAnnouncer {
  private readonly learnerSockets = new Map<string, Set<WebSocket>>();

  addLearner(sessionId: string, socket: WebSocket, viewers: number): void {
    const sockets = this.learnerSockets.get(sessionId) ?? new Set();
    sockets.add(socket);
    this.learnerSockets.set(sessionId, sockets);
    send(socket, viewers);
  }

  removeLearner(sessionId: string, socket: WebSocket): void {
    const sockets = this.learnerSockets.get(sessionId);
    sockets?.delete(socket);
    if (sockets?.size === 0) this.learnerSockets.delete(sessionId);
  }

  announce(sessionId: string, viewers: number): void {
    for (const socket of this.learnerSockets.get(sessionId) ?? []) send(socket, viewers);
  }
}

type Size = { cols: number; rows: number };

/**
 * The size of each session's learner terminal (the last one a learner's socket asked for: tmux
 * sizes the window after the latest client), and the viewers to resize when it changes.
 */
class LearnerSizes {
  private readonly sizes = new Map<string, Size>();
  private readonly viewers = new Map<string, Set<(size: Size) => void>>();

  of(sessionId: string): Size | undefined {
    return this.sizes.get(sessionId);
  }

  set(sessionId: string, size: Size): void {
    const known = this.sizes.get(sessionId);
    if (known?.cols === size.cols && known.rows === size.rows) return;
    // Kept after the learner's socket closes: tmux keeps the window at that size.
    this.sizes.delete(sessionId);
    this.sizes.set(sessionId, size);
    if (this.sizes.size > maxRememberedSizes) this.sizes.delete(this.sizes.keys().next().value!);
    for (const resize of this.viewers.get(sessionId) ?? []) resize(size);
  }

  watch(sessionId: string, resize: (size: Size) => void): () => void {
    const set = this.viewers.get(sessionId) ?? new Set();
    set.add(resize);
    this.viewers.set(sessionId, set);
    return () => {
      set.delete(resize);
      if (set.size === 0) this.viewers.delete(sessionId);
    };
  }
}

function sendSize(socket: WebSocket, size: Size): void {
  if (socket.readyState === socket.OPEN) {
    socket.send(JSON.stringify({ type: 'size', cols: size.cols, rows: size.rows }));
  }
}

function send(socket: WebSocket, viewers: number): void {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify({ type: 'viewers', count: viewers }));
}

/**
 * In the session scope with `read` access: the caller (origin, token, session and user) is checked
 * before the upgrade, so a refused caller gets a plain HTTP 4xx.
 */
export const terminalRoutes: FastifyPluginAsync<{ sessions: SessionManager; nonces: NonceRegistry }> = async (
  app,
  { sessions, nonces },
) => {
  const announcer = new ViewerAnnouncer();
  const learnerSizes = new LearnerSizes();

  app.get(
    '/v1/sessions/:id/terminal',
    {
      websocket: true,
      config: { access: 'read', allowedOriginsOnly: true, tokenInQuery: true },
      // Also before the upgrade: a terminal token opens one connection, and only to a ready sandbox.
      preValidation: async (request) => {
        const { caller, session } = request.sessionAccess;
        if (caller.kind === 'browser' && !nonces.claim(caller.token.nonce, caller.token.expiresAt)) {
          throw new RunnerError('UNAUTHORIZED', 'This terminal token was already used; reload the page.');
        }
        sessions.requireReady(session.id);
      },
    },
    (socket, request) => {
      const { caller, session } = request.sessionAccess;
      const isReadOnly = caller.kind === 'browser' && caller.token.readOnly;
      if (isReadOnly) closeWhenExpired(socket, caller.token.expiresAt);
      void bridge(socket, session.id, sessions, announcer, learnerSizes, isReadOnly);
    },
  );
};

/**
 * A read-only view lasts as long as its token: the web app mints a new one only while the viewer
 * may still watch (their role, the workshop not ended), so a view outlives neither.
 */
function closeWhenExpired(socket: WebSocket, expiresAt: number): void {
  const timer = setTimeout(
    () => socket.close(4001, 'The view token expired.'),
    Math.max(0, expiresAt - Date.now()),
  );
  socket.on('close', () => clearTimeout(timer));
}

async function bridge(
  socket: WebSocket,
  sessionId: string,
  sessions: SessionManager,
  announcer: ViewerAnnouncer,
  learnerSizes: LearnerSizes,
  isReadOnly: boolean,
): Promise<void> {
  const pendingInput: Buffer[] = [];
  let tty: TtySession | undefined;
  let isClosed = false;
  let isCountedViewer = false;
  let size: Size = (isReadOnly && learnerSizes.of(sessionId)) || defaultSize;
  let stopWatchingSize = () => undefined as void;
  if (isReadOnly) {
    const known = learnerSizes.of(sessionId);
    if (known) sendSize(socket, known);
    stopWatchingSize = learnerSizes.watch(sessionId, (learnerSize) => {
      size = learnerSize;
      sendSize(socket, learnerSize);
      if (tty) void tty.resize(learnerSize.cols, learnerSize.rows).catch(() => undefined);
    });
  }

  if (!isReadOnly) announcer.addLearner(sessionId, socket, sessions.viewers(sessionId));

  const onInput = (data: Buffer) => {
    if (isReadOnly) return;
    sessions.touch(sessionId);
    if (tty) tty.stream.write(data);
    else pendingInput.push(data);
  };

  let resolveFirstResize: () => void = () => undefined;
  const firstResize = new Promise<void>((resolve) => {
    resolveFirstResize = resolve;
    setTimeout(resolve, firstResizeTimeoutMs);
  });

  socket.on('message', (data: Buffer, isBinary: boolean) => {
    if (isBinary) return onInput(data);
    let message: z.infer<typeof clientMessage>;
    try {
      message = clientMessage.parse(JSON.parse(data.toString('utf8')));
    } catch {
      socket.send(JSON.stringify({ type: 'error', message: 'Unrecognised terminal message ignored.' }));
      return;
    }
    if (message.type === 'input') return onInput(Buffer.from(message.data, 'utf8'));
    const asked = { cols: message.cols, rows: message.rows };
    if (!isReadOnly) {
      size = asked;
      learnerSizes.set(sessionId, asked);
      if (tty) void tty.resize(size.cols, size.rows).catch(() => undefined);
    } else if (!learnerSizes.of(sessionId)) {
      // A viewer's own size, only while the learner's is unknown.
      size = asked;
      if (tty) void tty.resize(size.cols, size.rows).catch(() => undefined);
    }
    resolveFirstResize();
  });

  socket.on('close', () => {
    isClosed = true;
    stopWatchingSize();
    if (isReadOnly && isCountedViewer) {
      announcer.announce(sessionId, sessions.noteViewer(sessionId, -1));
    } else if (!isReadOnly) {
      announcer.removeLearner(sessionId, socket);
    }
    if (tty) void detach(tty);
  });

  await firstResize;
  if (isClosed) return;
  try {
    const command = isReadOnly ? viewerCommand(size) : terminalCommand(size);
    tty = await sessions.attachTerminal(sessionId, command, size);
  } catch (error) {
    const message = error instanceof RunnerError ? error.message : 'The terminal could not be opened.';
    socket.close(1011, message.slice(0, 120));
    return;
  }
  if (isClosed) return void detach(tty);
  for (const chunk of pendingInput.splice(0)) tty.stream.write(chunk);
  if (isReadOnly) {
    isCountedViewer = true;
    announcer.announce(sessionId, sessions.noteViewer(sessionId, 1));
  }

  const stream = tty.stream;
  let isPaused = false;
  const resumeWhenDrained = () => {
    if (isClosed) return;
    if (socket.bufferedAmount > lowWaterBytes) {
      setTimeout(resumeWhenDrained, drainPollMs);
      return;
    }
    isPaused = false;
    stream.resume();
  };
  stream.on('data', (chunk: Buffer) => {
    if (isClosed) return;
    socket.send(chunk, { binary: true });
    if (!isPaused && socket.bufferedAmount > highWaterBytes) {
      isPaused = true;
      stream.pause();
      setTimeout(resumeWhenDrained, drainPollMs);
    }
  });
  const onEnd = () => {
    if (isClosed) return;
    socket.send(JSON.stringify({ type: 'exit' }));
    socket.close(1000, 'The shell ended.');
  };
  stream.on('end', onEnd);
  stream.on('error', onEnd);
}

/** Detaches the tmux client (the shell lives on), then makes sure the exec is gone. */
async function detach(tty: TtySession): Promise<void> {
  try {
    tty.stream.write(tmuxDetachKeys);
  } catch {
    // stream already closed
  }
  await new Promise((resolve) => setTimeout(resolve, 200));
  await tty.close().catch(() => undefined);
}
