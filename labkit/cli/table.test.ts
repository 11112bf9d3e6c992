import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatDuration,
  formatLocalTime,
  formatNumber,
  formatRelativeTime,
  paint,
  renderPairs,
  renderTable,
  textWidth,
  truncate,
  wantsColor,
  type Column,
} from './table';

const escape = '\u001b';

describe('formatNumber', () => {
  it('keeps integers whole and gives other values four significant digits', () => {
    expect(formatNumber(42)).toBe('42');
    expect(formatNumber(-1000)).toBe('-1000');
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(0.123456789)).toBe('0.1235');
    expect(formatNumber(0.5)).toBe('0.5');
    expect(formatNumber(3.14159)).toBe('3.142');
    expect(formatNumber(1234.5678)).toBe('1235');
    expect(formatNumber(-0.000123456)).toBe('-0.0001235');
    expect(formatNumber(0.30000000000000004)).toBe('0.3');
  });

  it('uses one decimal for large values and exponents for tiny or huge ones', () => {
    expect(formatNumber(12345.678)).toBe('12345.7');
    expect(formatNumber(9999.96)).toBe('10000.0');
    expect(formatNumber(0.0000123)).toBe('1.23e-5');
    expect(formatNumber(1e20 + 0.5)).toBe('1e20');
    expect(formatNumber(2.5e-10)).toBe('2.5e-10');
  });

  it('writes NaN and infinities readably, and takes another number of digits', () => {
    expect([formatNumber(NaN), formatNumber(Infinity), formatNumber(-Infinity)]).toEqual([
      'NaN',
      'Inf',
      '-Inf',
    ]);
    expect(formatNumber(0.123456789, 6)).toBe('0.123457');
  });
});

describe('times, durations and sizes', () => {
  const now = new Date(2026, 2, 1, 14, 30, 0).getTime();

  it('says how long ago within a day, and the local time beyond', () => {
    expect(formatRelativeTime(now - 2_000, now)).toBe('just now');
    expect(formatRelativeTime(now - 42_000, now)).toBe('42 s ago');
    expect(formatRelativeTime(now - 3 * 60_000 - 5_000, now)).toBe('3 min ago');
    expect(formatRelativeTime(now - 5 * 3600_000, now)).toBe('5 h ago');
    expect(formatRelativeTime(now - 2 * 86400_000, now)).toBe('2026-02-27 14:30');
    expect(formatRelativeTime(now + 3600_000, now)).toBe('2026-03-01 15:30');
    expect(formatLocalTime(now + 7_000, true)).toBe('2026-03-01 14:30:07');
  });

  it('formats durations from milliseconds to days', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(4_321)).toBe('4.3 s');
    expect(formatDuration(12_345)).toBe('12 s');
    expect(formatDuration(42_000)).toBe('42 s');
    expect(formatDuration(245_000)).toBe('4m 05s');
    expect(formatDuration(2 * 3600_000 + 3 * 60_000)).toBe('2h 03m');
    expect(formatDuration(3 * 86400_000 + 4 * 3600_000)).toBe('3d 4h');
    expect(formatDuration(-1)).toBe('-');
  });

  it('formats sizes in SI units', () => {
    expect(formatBytes(5)).toBe('5 B');
    expect(formatBytes(1234)).toBe('1.2 kB');
    expect(formatBytes(3_400_000)).toBe('3.4 MB');
    expect(formatBytes(250_000_000)).toBe('250 MB');
  });
});

describe('truncate', () => {
  it('cuts with … only when needed, and keeps cells on one line', () => {
    expect(truncate('forest', 6)).toBe('forest');
    expect(truncate('random-forest', 8)).toBe('random-…');
    expect(truncate('a\nb', 10)).toBe('a b');
    expect(textWidth(truncate('ünïcödé-nämé', 5))).toBe(5);
  });
});

describe('renderTable', () => {
  const columns: Column[] = [{ header: 'name' }, { header: 'status' }, { header: 'rmse', align: 'right' }];
  const rows = [
    ['forest-1', 'FINISHED', '0.4213'],
    ['gradient-boosting-with-a-long-name', { text: 'FAILED', style: 'red' as const }, '12.5'],
  ];

  it('aligns columns two spaces apart, numbers (and their header) on the right, no trailing blanks', () => {
    const { lines, hidden } = renderTable(columns, rows);
    expect(lines).toEqual([
      'name                                status      rmse',
      'forest-1                            FINISHED  0.4213',
      'gradient-boosting-with-a-long-name  FAILED      12.5',
    ]);
    expect(hidden).toEqual([]);
  });

  it('cuts the widest column with … to fit the width', () => {
    const { lines } = renderTable(columns, rows, { width: 30 });
    expect(lines).toEqual([
      'name          status      rmse',
      'forest-1      FINISHED  0.4213',
      'gradient-bo…  FAILED      12.5',
    ]);
    for (const line of lines) expect(textWidth(line)).toBeLessThanOrEqual(30);
  });

  it('shares the cut evenly between long columns', () => {
    const { lines } = renderTable([{ header: 'a' }, { header: 'b' }], [['x'.repeat(30), 'y'.repeat(30)]], {
      width: 42,
    });
    expect(lines[1]).toBe(`${'x'.repeat(19)}…  ${'y'.repeat(19)}…`);
  });

  it('leaves out the lowest-priority columns when even the minimum widths do not fit', () => {
    const { lines, hidden } = renderTable(
      [
        { header: 'id' },
        { header: 'start', minWidth: 10, priority: 10 },
        { header: 'name', priority: 90 },
        { header: 'rmse', align: 'right', priority: 80 },
      ],
      [['ab12', '10 min ago', 'forest-1', '0.42']],
      { width: 20 },
    );
    expect(hidden).toEqual(['start']);
    expect(lines).toEqual(['id    name      rmse', 'ab12  forest-1  0.42']);
  });

  it('labels groups of columns above their headers and names hidden ones with their group', () => {
    const { lines, hidden } = renderTable(
      [
        { header: 'run' },
        { header: 'alpha', group: 'params', align: 'right' },
        { header: 'depth', group: 'params', align: 'right' },
        { header: 'rmse', group: 'metrics', align: 'right' },
        { header: 'mae', group: 'metrics', align: 'right', priority: -1 },
      ],
      [['ab12', '0.5', '3', '0.42', '0.31']],
      { width: 28 },
    );
    expect(lines).toEqual([
      '      params ─────  metrics',
      'run   alpha  depth  rmse',
      'ab12    0.5      3  0.42',
    ]);
    expect(hidden).toEqual(['metrics.mae']);
  });

  it('paints headers bold and styled cells only when colour is on', () => {
    expect(renderTable(columns, rows).lines.join('\n')).not.toContain(escape);
    const colored = renderTable(columns, rows, { color: true }).lines;
    expect(colored[0]).toContain(`${escape}[1mname`);
    expect(colored[2]).toContain(`${escape}[31mFAILED`);
    expect(paint('x', 'green', false)).toBe('x');
  });
});

describe('renderPairs', () => {
  it('aligns keys and cuts long values to the width', () => {
    expect(
      renderPairs(
        [
          ['name', 'forest-1'],
          ['artifact uri', 'mlflow-artifacts:/1/0123456789abcdef/artifacts'],
        ],
        { width: 40 },
      ),
    ).toEqual(['  name          forest-1', '  artifact uri  mlflow-artifacts:/1/012…']);
  });
});

describe('wantsColor', () => {
  it('is on for a terminal unless NO_COLOR is set or TERM is dumb', () => {
    expect(wantsColor({ isTTY: true }, {})).toBe(true);
    expect(wantsColor({ isTTY: false }, {})).toBe(false);
    expect(wantsColor({}, {})).toBe(false);
    expect(wantsColor({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(wantsColor({ isTTY: true }, { NO_COLOR: '' })).toBe(true);
    expect(wantsColor({ isTTY: true }, { TERM: 'dumb' })).toBe(false);
  });
});
