/**
 * Terminal output for the `labkit` commands: fixed-width tables that fit the terminal, numbers with
 * a sensible number of significant digits, times and durations a learner reads at a glance, and
 * colour only on a terminal that wants it (https://no-color.org).
 */

export type Style = 'bold' | 'dim' | 'red' | 'green' | 'yellow' | 'cyan';

const ansi: Record<Style, [string, string]> = {
  bold: ['\u001b[1m', '\u001b[22m'],
  dim: ['\u001b[2m', '\u001b[22m'],
  red: ['\u001b[31m', '\u001b[39m'],
  green: ['\u001b[32m', '\u001b[39m'],
  yellow: ['\u001b[33m', '\u001b[39m'],
  cyan: ['\u001b[36m', '\u001b[39m'],
};

/** `text` in `style` when colour is on, else unchanged. */
export function paint(text: string, style: Style | undefined, color: boolean): string {
  if (!color || !style || text === '') return text;
  const [open, close] = ansi[style];
  return `${open}${text}${close}`;
}

type Env = Readonly<Record<string, string | undefined>>;

/** Colour only on a terminal, and never when `NO_COLOR` is set to anything but an empty string. */
export function wantsColor(stream: { isTTY?: boolean }, env: Env): boolean {
  return Boolean(stream.isTTY) && !env.NO_COLOR && env.TERM !== 'dumb';
}

/** Display width, counting code points (the names and numbers shown here are not wide glyphs). */
export function textWidth(text: string): number {
  let width = 0;
  for (const _ of text) width += 1;
  return width;
}

/** `text` cut to `width` columns, ending with … when something was cut. */
export function truncate(text: string, width: number): string {
  const oneLine = text.replace(/\s*[\r\n]+\s*/g, ' ');
  if (textWidth(oneLine) <= width) return oneLine;
  if (width <= 0) return '';
  return `${[...oneLine].slice(0, width - 1).join('')}…`;
}

function pad(text: string, width: number, align: 'left' | 'right'): string {
  const fill = ' '.repeat(Math.max(0, width - textWidth(text)));
  return align === 'right' ? fill + text : text + fill;
}

// ── numbers, times, sizes ───────────────────────────────────────────────────────────────────────

/**
 * A number for a table cell: integers as they are, other values with `digits` significant digits
 * (trailing zeros dropped), one decimal from 10,000 up, exponents for the very small or very large.
 */
export function formatNumber(value: number, digits = 4): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Inf';
  if (value === -Infinity) return '-Inf';
  const size = Math.abs(value);
  if (Number.isInteger(value) && size < 1e15) return String(value);
  const withoutZeros = (text: string) => text.replace(/(\.\d*?)0+($|e)/, '$1$2').replace(/\.($|e)/, '$1');
  if (size >= 1e-4 && size < 1e15) {
    // toPrecision may still choose an exponent (9999.96 → "1.000e+4"): then one decimal.
    const text = size < 10 ** digits ? value.toPrecision(digits) : 'e';
    if (!text.includes('e')) return withoutZeros(text);
    if (size >= 1) return value.toFixed(1);
  }
  return withoutZeros(value.toExponential(digits - 1)).replace('e+', 'e');
}

/** "850 ms", "12.3 s", "4m 05s", "2h 03m", "3d 4h". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '-';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)} s`;
  const totalSeconds = Math.round(seconds);
  const minutes = Math.floor(totalSeconds / 60);
  if (minutes < 60) return `${minutes}m ${String(totalSeconds % 60).padStart(2, '0')}s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours}h ${String(minutes % 60).padStart(2, '0')}m`;
  return `${Math.floor(hours / 24)}d ${hours % 24}h`;
}

/** Local time as `YYYY-MM-DD HH:MM` (with `:SS` when `seconds`). */
export function formatLocalTime(epochMs: number, seconds = false): string {
  const date = new Date(epochMs);
  const two = (n: number) => String(n).padStart(2, '0');
  const day = `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())}`;
  const time = `${two(date.getHours())}:${two(date.getMinutes())}${seconds ? `:${two(date.getSeconds())}` : ''}`;
  return `${day} ${time}`;
}

/** "just now", "42 s ago", "3 min ago", "5 h ago"; a day or more ago (or in the future) as local time. */
export function formatRelativeTime(epochMs: number, now: number): string {
  const ago = now - epochMs;
  if (ago < -60_000 || ago >= 24 * 3600_000) return formatLocalTime(epochMs);
  if (ago < 5_000) return 'just now';
  if (ago < 60_000) return `${Math.floor(ago / 1000)} s ago`;
  if (ago < 3600_000) return `${Math.floor(ago / 60_000)} min ago`;
  return `${Math.floor(ago / 3600_000)} h ago`;
}

/** "512 B", "1.2 kB", "3.4 MB" (powers of 1000, as `ls --si`). */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 'B';
  for (const next of units) {
    if (value < 1000) break;
    value /= 1000;
    unit = next;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${unit}`;
}

// ── tables ──────────────────────────────────────────────────────────────────────────────────────

export type Column = {
  header: string;
  /** Columns of one group sit together under a shared label above their headers ("metrics"). */
  group?: string;
  /** Numbers go right (their headers too). */
  align?: 'left' | 'right';
  /** Never narrower than this when space is short (default: its natural width, up to 8). */
  minWidth?: number;
  /** Never wider than this, even with room to spare. */
  maxWidth?: number;
  /** When not all columns fit, the lowest priority goes first, rightmost first (default 0). */
  priority?: number;
};

export type Cell = string | { text: string; style?: Style };

export type TableOptions = {
  /** The terminal width; the table is squeezed to fit it. Unlimited when undefined. */
  width?: number;
  color?: boolean;
  /** The first `keep` columns are never dropped for lack of space (default 1). */
  keep?: number;
};

export type RenderedTable = {
  lines: string[];
  /** Headers of the columns left out because the terminal is too narrow for them. */
  hidden: string[];
};

const gap = 2;

function cellText(cell: Cell | undefined): string {
  return cell === undefined ? '' : typeof cell === 'string' ? cell : cell.text;
}

/**
 * The widths that fit `available`, or undefined when even the minimum widths do not. Long columns
 * are all capped at one level (found by bisection), so they give way evenly and short columns
 * keep their full text; the columns left at the cap share what room remains.
 */
function fitWidths(natural: number[], minimum: number[], available: number): number[] | undefined {
  const totalAt = (cap: number) =>
    natural.reduce((sum, width, i) => sum + Math.max(minimum[i] ?? 0, Math.min(width, cap)), 0) +
    gap * (natural.length - 1);
  if (totalAt(Infinity) <= available) return [...natural];
  if (totalAt(0) > available) return undefined;
  let low = 0;
  let high = Math.max(...natural);
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (totalAt(middle) <= available) low = middle;
    else high = middle - 1;
  }
  const widths = natural.map((width, i) => Math.max(minimum[i] ?? 0, Math.min(width, low)));
  let spare = available - totalAt(low);
  for (let i = 0; i < widths.length && spare > 0; i++) {
    if ((widths[i] ?? 0) === low && (natural[i] ?? 0) > low) {
      widths[i] = low + 1;
      spare -= 1;
    }
  }
  return widths;
}

/**
 * A fixed-width table: headers (under their group labels, if any), then one line per row, columns
 * two spaces apart. Too wide for `options.width`? The widest columns are cut (with …) down to
 * their minimum width, then columns are left out, lowest priority first, and reported in `hidden`.
 */
export function renderTable(columns: Column[], rows: Cell[][], options: TableOptions = {}): RenderedTable {
  const color = options.color ?? false;
  const natural = columns.map((column, i) => {
    const cells = rows.map((row) => textWidth(cellText(row[i])));
    const width = Math.max(textWidth(column.header), ...cells);
    return column.maxWidth === undefined ? width : Math.min(width, column.maxWidth);
  });
  const minimum = columns.map((column, i) => Math.min(natural[i] ?? 0, column.minWidth ?? 8));
  const keep = Math.max(1, options.keep ?? 1);
  // Which columns go first when space runs out: lowest priority, then rightmost.
  const dropOrder = columns
    .map((column, index) => ({ index, priority: column.priority ?? 0 }))
    .filter(({ index }) => index >= keep)
    .sort((a, b) => a.priority - b.priority || b.index - a.index)
    .map(({ index }) => index);
  let visible = columns.map((_, index) => index);
  let widths: number[] | undefined;
  for (;;) {
    const pick = (values: number[]) => visible.map((index) => values[index] ?? 0);
    widths =
      options.width === undefined ? pick(natural) : fitWidths(pick(natural), pick(minimum), options.width);
    const next = dropOrder.shift();
    if (widths || next === undefined) break;
    visible = visible.filter((index) => index !== next);
  }
  // Narrower than even the kept columns' minimums: cut them anyway rather than wrap.
  widths ??= visible.map((index) => minimum[index] ?? 0);
  const shown = visible.map((index, position) => ({
    column: columns[index] as Column,
    index,
    width: widths[position] ?? 0,
  }));
  const line = (cellAt: (index: number) => Cell | undefined, header: boolean) =>
    shown
      .map(({ column, index, width }, position) => {
        const cell = cellAt(index);
        const align = column.align ?? 'left';
        const cut = truncate(cellText(cell), width);
        // No padding after the last cell: lines end without trailing blanks.
        const text = position === shown.length - 1 && align === 'left' ? cut : pad(cut, width, align);
        const style = header ? 'bold' : typeof cell === 'object' ? cell.style : undefined;
        return paint(text, style, color);
      })
      .join(' '.repeat(gap))
      .trimEnd();
  const lines: string[] = [];
  if (shown.some(({ column }) => column.group !== undefined)) lines.push(groupLine(shown, color));
  lines.push(line((index) => columns[index]?.header, true));
  for (const row of rows) lines.push(line((index) => row[index], false));
  return {
    lines,
    hidden: columns
      .filter((_, index) => !visible.includes(index))
      .map((column) => (column.group === undefined ? column.header : `${column.group}.${column.header}`)),
  };
}

/**
 * The line above the headers: each group's label over its first column, then a rule to the end of
 * its columns. A label longer than its columns runs on into blank space, up to the next label.
 */
function groupLine(shown: { column: Column; width: number }[], color: boolean): string {
  const spans: { group: string | undefined; start: number; width: number }[] = [];
  let offset = 0;
  for (const { column, width } of shown) {
    const last = spans.at(-1);
    if (last && last.group === column.group) last.width += gap + width;
    else spans.push({ group: column.group, start: offset, width });
    offset += width + gap;
  }
  const labelled = spans.filter((span) => span.group !== undefined);
  let text = '';
  let cursor = 0;
  for (const [i, span] of labelled.entries()) {
    const next = labelled[i + 1];
    const room = next === undefined ? Infinity : next.start - gap - span.start;
    const label = truncate(span.group ?? '', room);
    const ruleWidth = span.width - textWidth(label) - 1;
    text += ' '.repeat(Math.max(0, span.start - cursor)) + paint(label, 'bold', color);
    cursor = span.start + textWidth(label);
    if (ruleWidth > 0) {
      text += ` ${paint('─'.repeat(ruleWidth), 'dim', color)}`;
      cursor += ruleWidth + 1;
    }
  }
  return text;
}

/** `key  value` lines with the keys aligned, values cut to the width. */
export function renderPairs(
  pairs: [string, Cell][],
  options: { width?: number; color?: boolean; indent?: number } = {},
): string[] {
  const indent = ' '.repeat(options.indent ?? 2);
  const keyWidth = Math.max(0, ...pairs.map(([key]) => textWidth(key)));
  return pairs.map(([key, value]) => {
    const room =
      options.width === undefined ? Infinity : Math.max(10, options.width - indent.length - keyWidth - gap);
    const text = truncate(cellText(value), room);
    const style = typeof value === 'object' ? value.style : undefined;
    return `${indent}${pad(key, keyWidth, 'left')}${' '.repeat(gap)}${paint(text, style, options.color ?? false)}`.trimEnd();
  });
}
