'use client';

/**
 * The instructor's read-only view of a learner's terminal. It is drawn at the learner's terminal
 * size (columns × rows, which the runner sends as `{"type":"size"}` on connecting and whenever the
 * learner resizes), never at the size of this box: a tmux client of another size shows the
 * difference as border lines and blank space. The drawing is then scaled (a CSS transform) to fit
 * the box's width and at most 70 % of the window's height. Nothing typed here is sent; the learner's terminal is
 * never resized by it (the runner attaches a read-only client that ignores its size). Load it
 * with `next/dynamic` and `ssr: false`.
 */
import '@xterm/xterm/css/xterm.css';
import { Terminal } from '@xterm/xterm';
import { useEffect, useEffectEvent, useRef, useState } from 'react';
import type { SessionAccess } from '@/components/lab/session-access';
import {
  terminalFontFace,
  terminalFontFamily,
  terminalFontSizePx,
  terminalMinimumContrastRatio,
  terminalScrollbackLines,
  terminalThemes,
} from '@/components/lab/terminal/terminal-theme';
import { decodeServerFrame, encodeResize, terminalUrl } from '@/components/lab/terminal/terminal-protocol';
import { useTheme } from '@/components/ui/theme';
import { fitScale, parseSizeMessage, type TerminalSize } from './viewer-size';
import styles from './Workshops.module.css';

type Status = 'connecting' | 'connected' | 'reconnecting' | 'exited' | 'failed';

/** Until the runner says the learner's size (their terminal never opened since it started). */
const fallbackSize: TerminalSize = { cols: 80, rows: 24 };
const retryDelaysMs = [500, 1_000, 2_000, 4_000, 8_000, 8_000, 8_000, 8_000];
const fullReset = '\x1bc';

/** Room around the drawing inside its box (the same on every side). */
const boxPaddingPx = 6;

/** The tallest the drawing may be: most of the window, so the files below stay in reach. */
const maxHeight = () => Math.max(280, Math.round(window.innerHeight * 0.7));

async function loadFont(): Promise<void> {
  await Promise.race([
    document.fonts.load(`${terminalFontSizePx}px "${terminalFontFace}"`).catch(() => undefined),
    new Promise((resolve) => setTimeout(resolve, 1_500)),
  ]);
}

export function ViewerTerminal({ access }: { access: SessionAccess }) {
  const theme = useTheme();
  const boxRef = useRef<HTMLDivElement>(null);
  const stageRef = useRef<HTMLDivElement>(null);
  const termRef = useRef<Terminal | null>(null);
  const [status, setStatus] = useState<Status>('connecting');
  const [size, setSize] = useState<TerminalSize | null>(null);
  const [layout, setLayout] = useState<{ width: number; height: number; scale: number } | null>(null);
  const [attempt, setAttempt] = useState(0);
  const currentTheme = useEffectEvent(() => theme);

  useEffect(() => {
    const box = boxRef.current;
    const stage = stageRef.current;
    if (!box || !stage) return;
    let isCancelled = false;
    let socket: WebSocket | null = null;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;

    const term = new Terminal({
      cols: fallbackSize.cols,
      rows: fallbackSize.rows,
      fontFamily: terminalFontFamily,
      fontSize: terminalFontSizePx,
      scrollback: terminalScrollbackLines,
      theme: terminalThemes[currentTheme()],
      minimumContrastRatio: terminalMinimumContrastRatio,
      cursorBlink: false,
      disableStdin: true,
      screenReaderMode: false,
    });
    termRef.current = term;

    /** The drawing's natural size, and the scale that fits it in the box. */
    const relayout = () => {
      const screen = stage.querySelector<HTMLElement>('.xterm-screen');
      if (!screen || box.clientWidth === 0) return;
      const width = screen.offsetWidth;
      const height = screen.offsetHeight;
      const scale = fitScale(
        { width, height },
        { width: box.clientWidth - 2 * boxPaddingPx, height: maxHeight() },
      );
      setLayout((previous) =>
        previous?.width === width && previous.height === height && previous.scale === scale
          ? previous
          : { width, height, scale },
      );
    };

    const resizeTo = (next: TerminalSize) => {
      if (term.cols !== next.cols || term.rows !== next.rows) term.resize(next.cols, next.rows);
      setSize(next);
      requestAnimationFrame(relayout);
    };

    const connect = async () => {
      setStatus(failures === 0 ? 'connecting' : 'reconnecting');
      let token: string;
      try {
        token = await access.freshToken();
      } catch {
        return retryLater();
      }
      if (isCancelled) return;
      const ws = new WebSocket(terminalUrl(window.location, access, token));
      ws.binaryType = 'arraybuffer';
      socket = ws;
      let isFirstOutput = true;
      let hasExited = false;
      ws.onopen = () => {
        failures = 0;
        setStatus('connected');
        ws.send(encodeResize({ cols: term.cols, rows: term.rows }));
      };
      ws.onmessage = (event: MessageEvent) => {
        const learnerSize = parseSizeMessage(event.data);
        if (learnerSize) return resizeTo(learnerSize);
        const frame = decodeServerFrame(event.data);
        if (frame.type === 'output') {
          if (isFirstOutput) term.write(fullReset);
          isFirstOutput = false;
          term.write(frame.bytes);
        } else if (frame.type === 'exit') {
          hasExited = true;
          setStatus('exited');
        }
      };
      ws.onclose = () => {
        if (socket !== ws || isCancelled) return;
        socket = null;
        if (!hasExited) retryLater();
      };
    };

    const retryLater = () => {
      if (isCancelled) return;
      const delay = retryDelaysMs[failures];
      failures += 1;
      if (delay === undefined) return setStatus('failed');
      setStatus('reconnecting');
      retryTimer = setTimeout(() => void connect(), delay);
    };

    const observer = new ResizeObserver(() => relayout());
    void loadFont().then(() => {
      if (isCancelled) return;
      term.open(stage);
      relayout();
      observer.observe(box);
      void connect();
    });

    return () => {
      isCancelled = true;
      clearTimeout(retryTimer);
      observer.disconnect();
      const open = socket;
      socket = null;
      open?.close();
      termRef.current = null;
      term.dispose();
    };
  }, [access, attempt]);

  useEffect(() => {
    const term = termRef.current;
    if (term) term.options.theme = terminalThemes[theme];
  }, [theme]);

  const palette = terminalThemes[theme];
  return (
    <div
      className={styles.viewerTerminal}
      role="group"
      aria-label="Terminal (read-only)"
      data-testid="viewer-terminal"
      data-status={status}
      data-cols={size?.cols}
      data-rows={size?.rows}
      data-scale={layout?.scale.toFixed(3)}
    >
      <div
        ref={boxRef}
        className={styles.viewerTerminalBox}
        style={{
          background: palette.background,
          padding: boxPaddingPx,
          height: layout ? Math.ceil(layout.height * layout.scale) + 2 * boxPaddingPx + 2 : undefined,
        }}
      >
        {/* Takes the scaled size in the layout (a transform alone does not), so nothing scrolls. */}
        <div
          className={styles.viewerTerminalSizer}
          style={
            layout
              ? {
                  width: Math.ceil(layout.width * layout.scale),
                  height: Math.ceil(layout.height * layout.scale),
                }
              : undefined
          }
        >
          <div
            ref={stageRef}
            className={styles.viewerTerminalStage}
            style={
              layout
                ? { width: layout.width, height: layout.height, transform: `scale(${layout.scale})` }
                : undefined
            }
          />
        </div>
      </div>
      <p className={styles.muted} aria-live="polite" style={{ margin: '0.35rem 0 0' }}>
        {status === 'connected' &&
          (size
            ? `The learner’s terminal: ${size.cols} × ${size.rows}${layout && layout.scale < 1 ? `, shown at ${Math.round(layout.scale * 100)} %` : ''}.`
            : 'Connected. The learner has not opened their terminal yet.')}
        {status === 'connecting' && 'Connecting to the learner’s terminal…'}
        {status === 'reconnecting' && 'The connection dropped; reconnecting…'}
        {status === 'exited' && 'The learner’s shell ended.'}
        {status === 'failed' && (
          <>
            The learner&rsquo;s terminal cannot be reached.{' '}
            <button type="button" className={styles.linkButton} onClick={() => setAttempt((n) => n + 1)}>
              Try again
            </button>
          </>
        )}
      </p>
    </div>
  );
}
