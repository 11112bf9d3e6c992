/**
 * The grades export: one row per learner with their email and name, every step of the workshop's
 * labs (`pass`, `skipped`, `fail` or `—` when not tried), the steps passed (a skipped step is not
 * one), the solutions revealed and their last activity (ISO 8601, UTC).
 */
import { toCsv, type CsvValue } from './csv';
import type { CellStatus, DashboardView } from './dashboard';

const cellText: Record<CellStatus, string> = {
  passed: 'pass',
  skipped: 'skipped',
  failed: 'fail',
  'not-tried': '—',
};

export function gradesCsv(view: DashboardView): string {
  const header: CsvValue[] = [
    'email',
    'name',
    ...view.columns.map((column) => `${column.labId}/${column.stepId}`),
    'steps passed',
    'solution reveals',
    'last activity',
  ];
  const rows = view.learners.map((learner): CsvValue[] => [
    learner.email,
    learner.name,
    ...learner.cells.map((cell) => cellText[cell.status]),
    learner.stepsPassed,
    learner.reveals,
    learner.lastActivityAt ?? '',
  ]);
  return toCsv([header, ...rows]);
}

/** A file name for the export: the title's letters and digits, and the date. */
export function gradesFileName(title: string, now: Date): string {
  const slug =
    title
      .normalize('NFKD')
      .replace(/[^A-Za-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .toLowerCase()
      .slice(0, 60) || 'workshop';
  return `${slug}-grades-${now.toISOString().slice(0, 10)}.csv`;
}
