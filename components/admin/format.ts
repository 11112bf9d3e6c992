/** How the admin pages write sizes, shares and exact times ("3 min ago" is ui/relative-time's). */

/** 512 → "512 MB", 1536 → "1.5 GB". */
export function formatMb(mb: number): string {
  if (mb >= 1024) return `${(mb / 1024).toFixed(mb >= 10 * 1024 ? 0 : 1)} GB`;
  return `${mb >= 100 ? Math.round(mb) : mb.toFixed(1).replace(/\.0$/, '')} MB`;
}

export function formatPercent(value: number): string {
  return `${value >= 10 ? Math.round(value) : value.toFixed(1).replace(/\.0$/, '')} %`;
}

/** The full date and time in UTC, for a tooltip: "2026-12-01 10:05:00 UTC". */
export function formatUtc(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}
