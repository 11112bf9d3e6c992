/**
 * The terminal's look, one palette per site theme. Colours follow GitHub's terminal palettes,
 * darkened (light) or lightened (dark) where needed so that text in every ANSI colour but the one
 * meant to match the background reaches WCAG AA (4.5:1); `minimumContrastRatio` covers the rest.
 */
import type { ITheme } from '@xterm/xterm';
import type { Theme } from '@/components/ui/theme';

export const terminalFontFamily =
  "'JetBrains Mono Variable', ui-monospace, 'SFMono-Regular', Menlo, monospace";
/** The face whose metrics xterm measures; loaded before the terminal opens. */
export const terminalFontFace = 'JetBrains Mono Variable';
export const terminalFontSizePx = 14;
export const terminalScrollbackLines = 5_000;
export const terminalMinimumContrastRatio = 4.5;

const light: ITheme = {
  foreground: '#1b1f24',
  background: '#ffffff',
  cursor: '#0b66d0',
  cursorAccent: '#ffffff',
  selectionBackground: '#b3d3fa',
  selectionInactiveBackground: '#d8e4f2',
  black: '#1b1f24',
  red: '#b3261e',
  green: '#116329',
  yellow: '#7a4e00',
  blue: '#0550ae',
  magenta: '#7c3aca',
  cyan: '#0b6270',
  white: '#57606a',
  brightBlack: '#57606a',
  brightRed: '#a40e26',
  brightGreen: '#1a7f37',
  brightYellow: '#633c01',
  brightBlue: '#0b66d0',
  brightMagenta: '#8250df',
  brightCyan: '#136c79',
  brightWhite: '#424a53',
};

const dark: ITheme = {
  foreground: '#e6e8eb',
  background: '#0f1419',
  cursor: '#5aa9ff',
  cursorAccent: '#0f1419',
  selectionBackground: '#264f78',
  selectionInactiveBackground: '#2d3640',
  black: '#484f58',
  red: '#ff7b72',
  green: '#3fb950',
  yellow: '#d29922',
  blue: '#58a6ff',
  magenta: '#bc8cff',
  cyan: '#39c5cf',
  white: '#c9d1d9',
  brightBlack: '#8b949e',
  brightRed: '#ffa198',
  brightGreen: '#56d364',
  brightYellow: '#e3b341',
  brightBlue: '#79c0ff',
  brightMagenta: '#d2a8ff',
  brightCyan: '#56d4dd',
  brightWhite: '#ffffff',
};

export const terminalThemes: Record<Theme, ITheme> = { light, dark };
