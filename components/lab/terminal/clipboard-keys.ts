/**
 * Which key presses copy or paste in the terminal. Plain Ctrl+C and Ctrl+V belong to the shell
 * (interrupt, literal next), so on Linux and Windows copy and paste take Shift as well, as in
 * GNOME Terminal and VS Code; on macOS they are ⌘C and ⌘V.
 */
export type ClipboardAction = 'copy' | 'paste';

type KeyPress = Pick<KeyboardEvent, 'type' | 'key' | 'code' | 'ctrlKey' | 'shiftKey' | 'altKey' | 'metaKey'>;

export function clipboardAction(event: KeyPress, isMac: boolean): ClipboardAction | null {
  if (event.type !== 'keydown' || event.altKey) return null;
  const isChord = isMac
    ? event.metaKey && !event.ctrlKey && !event.shiftKey
    : event.ctrlKey && event.shiftKey && !event.metaKey;
  if (!isChord) return null;
  const letter = letterOf(event);
  if (letter === 'c') return 'copy';
  if (letter === 'v') return 'paste';
  return null;
}

/** The letter typed, or, on a non-Latin layout, the Latin key at the same place. */
function letterOf(event: Pick<KeyboardEvent, 'key' | 'code'>): string {
  if (/^[a-z]$/i.test(event.key)) return event.key.toLowerCase();
  const match = /^Key([A-Z])$/.exec(event.code);
  return match?.[1]?.toLowerCase() ?? '';
}

export function isMacPlatform(navigator: Pick<Navigator, 'platform' | 'userAgent'>): boolean {
  return /Mac|iPhone|iPad|iPod/.test(navigator.platform || navigator.userAgent);
}
