/**
 * How the admin pages write sizes and times. Times are relative to a given instant (the moment the
 * server took the figures), so the server's HTML and the browser's first render agree.
 */

/** 512 → "512 MB", 1536 → "1.5 GB". */
export function formatMb(mb: number): string {
  if (mb >= 1024) return `${(mb / 1024).toFixed(mb >= 10 * 1024 ? 0 : 1)} GB`;
  return `${mb >= 100 ? Math.round(mb) : mb.toFixed(1).replace(/\.0$/, '')} MB`;
}

export function formatPercent(value: number): string {
  return `${value >= 10 ? Math.round(value) : value.toFixed(1).replace(/\.0$/, '')} %`;
}

const units: [limitSeconds: number, secondsPerUnit: number, unit: string][] = [
  [60, 1, 's'],
  [3600, 60, 'min'],
  [86_400, 3600, 'h'],
  [Infinity, 86_400, 'd'],
];

/** "3 min ago", "in 12 min", "just now"; "never" for no time. */
export function formatRelative(iso: string | null, nowIso: string): string {
  if (!iso) return 'never';
  const seconds = Math.round((Date.parse(iso) - Date.parse(nowIso)) / 1000);
  const size = Math.abs(seconds);
  if (size < 5) return 'just now';
  const [, perUnit, unit] = units.find(([limit]) => size < limit) ?? units[units.length - 1]!;
  const amount = Math.floor(size / perUnit);
  return seconds < 0 ? `${amount} ${unit} ago` : `in ${amount} ${unit}`;
}

/** The full date and time in UTC, for a tooltip: "2026-12-01 10:05:00 UTC". */
export function formatUtc(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}
