import { describe, expect, it } from 'vitest';
import { terminalThemes } from './terminal-theme';

const ansiColours = [
  'black',
  'red',
  'green',
  'yellow',
  'blue',
  'magenta',
  'cyan',
  'white',
  'brightBlack',
  'brightRed',
  'brightGreen',
  'brightYellow',
  'brightBlue',
  'brightMagenta',
  'brightCyan',
  'brightWhite',
] as const;

/** The ANSI colour each theme lets sit close to its background (black on dark, as terminals do). */
const backgroundLike = { light: null, dark: 'black' } as const;

function luminance(hex: string): number {
  const channels = [1, 3, 5].map((at) => parseInt(hex.slice(at, at + 2), 16) / 255);
  const [r = 0, g = 0, b = 0] = channels.map((c) =>
    c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4,
  );
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [high, low] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (high + 0.05) / (low + 0.05);
}

describe('terminal themes', () => {
  for (const [name, theme] of Object.entries(terminalThemes)) {
    const background = theme.background ?? '';

    it(`${name}: plain text reaches WCAG AAA (7:1)`, () => {
      expect(contrast(theme.foreground ?? '', background)).toBeGreaterThanOrEqual(7);
    });

    it(`${name}: text in every ANSI colour reaches WCAG AA (4.5:1)`, () => {
      const skipped = backgroundLike[name as keyof typeof backgroundLike];
      const weak = ansiColours
        .filter((colour) => colour !== skipped)
        .map((colour) => ({ colour, ratio: contrast(theme[colour] ?? '', background) }))
        .filter(({ ratio }) => ratio < 4.5);
      expect(weak).toEqual([]);
    });

    it(`${name}: the cursor and the selection stand out`, () => {
      expect(contrast(theme.cursor ?? '', background)).toBeGreaterThanOrEqual(3);
      expect(contrast(theme.foreground ?? '', theme.selectionBackground ?? '')).toBeGreaterThanOrEqual(4.5);
    });
  }
});
