/**
 * How every page says when something happened, or will: "just now", "42 s ago", "5 min ago",
 * "3 h ago", "2 d ago", "in 12 min". The current instant is passed in, so the server's HTML and the
 * browser's first render agree; the exact date and time belong in the element's title.
 */

const units: [limitSeconds: number, secondsPerUnit: number, unit: string][] = [
  [60, 1, 's'],
  [3600, 60, 'min'],
  [86_400, 3600, 'h'],
  [Infinity, 86_400, 'd'],
];

/** `thenMs` relative to `nowMs` (both epoch milliseconds), in the past or in the future. */
export function relativeTime(thenMs: number, nowMs: number): string {
  const seconds = Math.round((thenMs - nowMs) / 1000);
  const size = Math.abs(seconds);
  if (size < 5) return 'just now';
  const [, perUnit, unit] = units.find(([limit]) => size < limit) ?? units[units.length - 1]!;
  const amount = Math.floor(size / perUnit);
  return seconds < 0 ? `${amount} ${unit} ago` : `in ${amount} ${unit}`;
}

/**
 * Something that has happened: a time a little ahead of `nowMs` (the server's clock against the
 * browser's) reads "just now", never "in 8 s".
 */
export function timeAgo(thenMs: number, nowMs: number): string {
  return relativeTime(Math.min(thenMs, nowMs), nowMs);
}
