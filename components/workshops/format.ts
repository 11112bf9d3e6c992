/** Plain-words labels and date inputs for the workshop pages (browser-safe, tested in format.test.ts). */
import type { CellStatus, SandboxState } from '@/lib/workshops/dashboard';
import type { WorkshopStatus } from '@/lib/workshops/workshops';

export const cellLabel: Record<CellStatus, { icon: string; text: string }> = {
  passed: { icon: '✓', text: 'Passed' },
  skipped: { icon: '↷', text: 'Skipped' },
  failed: { icon: '✗', text: 'Failed' },
  'not-tried': { icon: '–', text: 'Not tried' },
};

export const sandboxLabel: Record<SandboxState, string> = {
  creating: 'Starting',
  ready: 'Running',
  stopped: 'Stopped',
  error: 'Failed',
  none: 'No sandbox',
  unknown: 'Unknown',
};

/**
 * A learner's sandboxes in one dashboard cell, shortest first: only the labs that have one (named
 * when the workshop has several labs); "No sandbox" or "Unknown" once when that holds for all.
 */
export function sandboxSummary(
  sandboxes: readonly { labId: string; state: SandboxState }[],
  labTitle: (labId: string) => string,
): { key: string; text: string }[] {
  for (const state of ['none', 'unknown'] as const) {
    if (sandboxes.every((sandbox) => sandbox.state === state)) {
      return [{ key: state, text: sandboxLabel[state] }];
    }
  }
  const isNamed = sandboxes.length > 1;
  return sandboxes
    .filter((sandbox) => sandbox.state !== 'none')
    .map((sandbox) => ({
      key: sandbox.labId,
      text: `${isNamed ? `${labTitle(sandbox.labId)}: ` : ''}${sandboxLabel[sandbox.state]}`,
    }));
}

export const workshopStatusLabel: Record<WorkshopStatus, string> = {
  upcoming: 'Upcoming',
  live: 'Live',
  ended: 'Ended',
};

/** A `datetime-local` input's value (local time, minutes) for a date. */
export function toDateTimeLocal(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The ISO 8601 instant (UTC) of a `datetime-local` value read in the browser's time zone, or null. */
export function fromDateTimeLocal(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
