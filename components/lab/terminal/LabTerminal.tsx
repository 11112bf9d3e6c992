'use client';

import '@xterm/xterm/css/xterm.css';
import { FitAddon } from '@xterm/addon-fit';
import { WebLinksAddon } from '@xterm/addon-web-links';
import { Terminal } from '@xterm/xterm';
import { useEffect, useEffectEvent, useRef, useState } from 'react';
import { useTheme } from '@/components/ui/theme';
import type { SessionAccess } from '../session-access';
import { clipboardAction, isMacPlatform } from './clipboard-keys';
import { createCommandSettle } from './command-settle';
import { createPromptReturn } from './prompt-return';
import type { ConnectionState, TerminalStatus } from './connection-state';
import styles from './LabTerminal.module.css';
import { TerminalConnection } from './terminal-connection';
import { terminalUrl } from './terminal-protocol';
import {
  terminalFontFace,
  terminalFontFamily,
  terminalFontSizePx,
  terminalMinimumContrastRatio,
  terminalScrollbackLines,
  terminalThemes,
} from './terminal-theme';

export type { TerminalStatus };

export type LabTerminalProps = {
  /** How to reach the sandbox; null while it is not ready (a placeholder shows, nothing connects). */
  access: SessionAccess | null;
  onStatusChange?: (status: TerminalStatus) => void;
  /** After the learner pressed Enter and the output then went quiet for a second. */
  onCommand?: () => void;
  /** After a command the learner submitted ended: the shell's prompt is back at the cursor. */
  onPromptReturn?: () => void;
  /**
   * Watch only (an instructor's view of a learner's shell, with a read-only token): nothing typed
   * or pasted is sent. The runner drops input from such a token anyway.
   */
  readOnly?: boolean;
  /** How many read-only viewers watch this shell, whenever the runner says (the learner's side). */
  onViewersChange?: (count: number) => void;
};

const resizeDebounceMs = 100;
/** How long the terminal waits for its font before measuring the fallback instead. */
const fontWaitMs = 3_000;
/** A paste shortcut the browser did not turn into a paste event by then reads the clipboard API. */
const pasteFallbackMs = 100;
/** RIS: tmux redraws the whole screen on attach, so the old one is wiped first (in the stream). */
const fullReset = '\x1bc';

/**
 * The learner's shell in the lab workspace: xterm.js over the runner's terminal WebSocket, with
 * copy and paste, site-themed colours, and reconnection that survives network blips and runner
 * restarts (the shell lives on in tmux). Load it with `next/dynamic` and `ssr: false`; it fills its
 * parent, which must have a height.
 *
 * Typing before the shell answers (while a fresh terminal connects, or reconnects after a drop or a
 * failed attempt) is held (up to 1 KiB) and sent in order once it does; past that the banner says
 * typing is paused. Held typing is dropped if the shell ended or the retries gave up.
 */
export function LabTerminal({
  access,
  onStatusChange,
  onCommand,
  onPromptReturn,
  readOnly = false,
  onViewersChange,
}: LabTerminalProps) {
  const theme = useTheme();
  const hostRef = useRef<HTMLDivElement>(null);
  const terminalRef = useRef<Terminal | null>(null);
  const connectionRef = useRef<TerminalConnection | null>(null);
  const sessionKey = access ? `${access.runnerBase}/v1/sessions/${access.sessionId}` : null;
  const [shown, setShown] = useState<{ sessionKey: string; state: ConnectionState } | null>(null);
  const [isTypingPaused, setIsTypingPaused] = useState(false);

  const state = sessionKey && shown?.sessionKey === sessionKey ? shown.state : null;
  const status = displayedStatus(sessionKey, state);

  const currentAccess = useEffectEvent(() => access);
  const currentTheme = useEffectEvent(() => theme);
  const reportCommand = useEffectEvent(() => onCommand?.());
  const reportPromptReturn = useEffectEvent(() => onPromptReturn?.());
  const reportStatus = useEffectEvent((next: TerminalStatus) => onStatusChange?.(next));
  const reportViewers = useEffectEvent((count: number) => onViewersChange?.(count));
  const isReadOnly = useEffectEvent(() => readOnly);

  useEffect(() => {
    reportStatus(status);
  }, [status]);

  useEffect(() => {
    const host = hostRef.current;
    if (!sessionKey || !host) return;
    let isCancelled = false;
    const cleanups: (() => void)[] = [];

    const readOnlyNow = isReadOnly();
    const term = new Terminal({
      fontFamily: terminalFontFamily,
      fontSize: terminalFontSizePx,
      scrollback: terminalScrollbackLines,
      theme: terminalThemes[currentTheme()],
      minimumContrastRatio: terminalMinimumContrastRatio,
      cursorBlink: !readOnlyNow && !window.matchMedia('(prefers-reduced-motion: reduce)').matches,
      disableStdin: readOnlyNow,
      screenReaderMode: false,
      // OSC 8 hyperlinks: http(s) only, in a new tab that cannot reach back to this page.
      linkHandler: { activate: (_event, uri) => openLink(uri), allowNonHttpProtocols: false },
    });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.loadAddon(new WebLinksAddon((_event, uri) => openLink(uri)));
    terminalRef.current = term;

    const fitToHost = () => {
      if (host.clientWidth > 0 && host.clientHeight > 0) fit.fit();
    };

    const settle = createCommandSettle({ onSettled: () => reportCommand() });
    cleanups.push(() => settle.dispose());
    const promptReturn = createPromptReturn({
      readBeforeCursor: () => {
        const buffer = term.buffer.active;
        return (
          buffer.getLine(buffer.baseY + buffer.cursorY)?.translateToString(false, 0, buffer.cursorX) ?? ''
        );
      },
      onPromptReturn: () => reportPromptReturn(),
    });
    cleanups.push(() => promptReturn.dispose());

    const connection = new TerminalConnection({
      freshToken: async () => {
        const current = currentAccess();
        if (!current) throw new Error('The sandbox is not ready.');
        return current.freshToken();
      },
      socketUrl: (token) => {
        const current = currentAccess();
        if (!current) throw new Error('The sandbox is not ready.');
        return terminalUrl(window.location, current, token);
      },
      size: () => ({ cols: term.cols, rows: term.rows }),
      onOutput: (bytes, isFirstOfConnection) => {
        if (isFirstOfConnection) term.write(fullReset);
        // The prompt is read from the screen, so only once xterm has drawn the bytes.
        term.write(bytes, () => promptReturn.noteOutput());
        settle.noteOutput();
      },
      onChange: (next) => {
        setShown({ sessionKey, state: next });
        if (next.status !== 'connecting' && next.status !== 'reconnecting') setIsTypingPaused(false);
      },
      onViewers: (count) => reportViewers(count),
    });
    cleanups.push(() => connection.dispose());

    if (!readOnlyNow) {
      term.onData((data) => {
        const result = connection.sendInput(data);
        if (result === 'refused') {
          const current = connection.status;
          if (current === 'connecting' || current === 'reconnecting') setIsTypingPaused(true);
          return;
        }
        settle.noteInput(data);
        promptReturn.noteInput(data);
      });
      term.onBinary((data) => connection.sendBinary(data));
    }
    term.onResize((size) => connection.resize(size));
    attachClipboardKeys(term, host, cleanups);

    const onClick = () => term.focus();
    host.addEventListener('click', onClick);
    cleanups.push(() => host.removeEventListener('click', onClick));

    let resizeTimer: ReturnType<typeof setTimeout> | undefined;
    const resizeObserver = new ResizeObserver(() => {
      clearTimeout(resizeTimer);
      resizeTimer = setTimeout(fitToHost, resizeDebounceMs);
    });
    cleanups.push(() => {
      resizeObserver.disconnect();
      clearTimeout(resizeTimer);
    });

    // The network is probably back: don't wait for the backoff (timers are throttled in hidden tabs).
    const retryNow = () => {
      if (document.visibilityState === 'visible') connection.retryNow();
    };
    window.addEventListener('online', retryNow);
    document.addEventListener('visibilitychange', retryNow);
    cleanups.push(() => {
      window.removeEventListener('online', retryNow);
      document.removeEventListener('visibilitychange', retryNow);
    });

    connectionRef.current = connection;
    // Measure the cells with the real font, or the first size sent (and tmux's layout) is wrong.
    void loadTerminalFont().then(() => {
      if (isCancelled) return;
      term.open(host);
      fitToHost();
      resizeObserver.observe(host);
      connection.connect();
    });

    return () => {
      isCancelled = true;
      for (const cleanup of cleanups.reverse()) cleanup();
      connectionRef.current = null;
      terminalRef.current = null;
      term.dispose();
    };
  }, [sessionKey]);

  useEffect(() => {
    const term = terminalRef.current;
    if (term) term.options.theme = terminalThemes[theme];
  }, [theme]);

  const startOver = () => {
    connectionRef.current?.connect();
    terminalRef.current?.focus();
  };

  const palette = terminalThemes[theme];
  return (
    <div
      className={styles.pane}
      data-testid="terminal"
      data-status={status}
      data-read-only={readOnly || undefined}
      role="group"
      aria-label={readOnly ? 'Terminal (read-only)' : 'Terminal'}
      style={{ backgroundColor: palette.background, color: palette.foreground }}
    >
      <div role="status" className={bannerClass(status)}>
        <BannerContent
          status={status}
          state={state}
          isTypingPaused={isTypingPaused}
          readOnly={readOnly}
          onStartOver={startOver}
        />
      </div>
      {access ? (
        <div ref={hostRef} className={styles.screen} />
      ) : (
        <p className={styles.placeholder}>
          {readOnly
            ? 'The terminal opens when the sandbox is ready.'
            : 'The terminal opens when your sandbox is ready.'}
        </p>
      )}
    </div>
  );
}

function displayedStatus(sessionKey: string | null, state: ConnectionState | null): TerminalStatus {
  if (!sessionKey) return 'idle';
  // With access, `idle` only means the connection is not made yet (font loading, or remounting).
  if (!state || state.status === 'idle') return 'connecting';
  return state.status;
}

function BannerContent({
  status,
  state,
  isTypingPaused,
  readOnly,
  onStartOver,
}: {
  status: TerminalStatus;
  state: ConnectionState | null;
  isTypingPaused: boolean;
  readOnly: boolean;
  onStartOver: () => void;
}) {
  const reason = state?.message ? <span className={styles.reason}>{state.message}</span> : null;
  switch (status) {
    case 'idle':
    case 'connected':
      return null;
    case 'connecting':
      return <span>{readOnly ? 'Connecting to the sandbox…' : 'Connecting to your sandbox…'}</span>;
    case 'reconnecting':
      return (
        <>
          <span className={styles.headline}>
            {state?.hasAttached
              ? 'Connection lost — reconnecting…'
              : 'Could not reach the terminal — retrying…'}
          </span>
          {reason}
          {!readOnly && (
            <span className={styles.hint}>
              {isTypingPaused
                ? 'Typing is paused until the connection is back.'
                : 'What you type is sent once the connection is back.'}
            </span>
          )}
        </>
      );
    case 'failed':
      return (
        <>
          <span className={styles.headline}>The terminal could not reconnect.</span>
          {reason}
          <button type="button" className={styles.action} onClick={onStartOver}>
            Reconnect
          </button>
        </>
      );
    case 'exited':
      return (
        <>
          <span className={styles.headline}>The shell ended.</span>
          <button type="button" className={styles.action} onClick={onStartOver}>
            Start a new shell
          </button>
        </>
      );
  }
}

function bannerClass(status: TerminalStatus): string | undefined {
  if (status === 'idle' || status === 'connected') return undefined;
  if (status === 'connecting') return `${styles.banner} ${styles.bannerQuiet}`;
  if (status === 'failed') return `${styles.banner} ${styles.bannerBad}`;
  return styles.banner;
}

/**
 * Ctrl+Shift+C / ⌘C copy the selection; Ctrl+Shift+V / ⌘V paste through xterm, which wraps the
 * text in bracketed-paste markers when the shell asked for them. Everything else, plain Ctrl+C
 * included, goes to the shell.
 */
function attachClipboardKeys(term: Terminal, host: HTMLElement, cleanups: (() => void)[]): void {
  const isMac = isMacPlatform(navigator);
  let pasteFallbackTimer: ReturnType<typeof setTimeout> | undefined;

  term.attachCustomKeyEventHandler((event) => {
    const action = clipboardAction(event, isMac);
    if (action === 'copy') {
      // Also keeps Ctrl+Shift+C from opening the browser's element inspector.
      event.preventDefault();
      if (term.hasSelection()) copyText(term.getSelection());
      return false;
    }
    if (action === 'paste') {
      // The browser's own paste event (no permission prompt) reaches xterm's textarea, which
      // pastes like `term.paste`. Where the shortcut makes no paste event, read the clipboard.
      clearTimeout(pasteFallbackTimer);
      pasteFallbackTimer = setTimeout(() => {
        navigator.clipboard?.readText().then(
          (text) => term.paste(text),
          (error: unknown) => console.warn('terminal: the clipboard could not be read', error),
        );
      }, pasteFallbackMs);
      return false;
    }
    return true;
  });

  const onPaste = () => clearTimeout(pasteFallbackTimer);
  host.addEventListener('paste', onPaste, true);
  cleanups.push(() => {
    host.removeEventListener('paste', onPaste, true);
    clearTimeout(pasteFallbackTimer);
  });
}

function copyText(text: string): void {
  // The clipboard API exists only on https and localhost; a self-hosted http page copies the
  // old way, through xterm's own copy handler.
  if (window.isSecureContext && navigator.clipboard) {
    navigator.clipboard.writeText(text).catch(() => document.execCommand('copy'));
  } else {
    document.execCommand('copy');
  }
}

function openLink(uri: string): void {
  if (!/^https?:\/\//i.test(uri)) return;
  window.open(uri, '_blank', 'noopener,noreferrer');
}

async function loadTerminalFont(): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const giveUp = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, fontWaitMs);
  });
  const loaded = document.fonts
    .load(`${terminalFontSizePx}px '${terminalFontFace}'`)
    .then(() => document.fonts.ready)
    .then(
      () => undefined,
      // A font that cannot load leaves the fallback font, which xterm then measures.
      (error: unknown) => console.warn('terminal: font not loaded', error),
    );
  await Promise.race([loaded, giveUp]);
  clearTimeout(timer);
}
