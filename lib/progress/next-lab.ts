/**
 * Where a learner stands in each lab and which lab to do next, in the course's order. Pure and
 * browser-safe: the summary (summary.ts) uses it on the server, the course map in the browser.
 */
import type { LabSummary } from './summary';

export type LabStatus = 'done' | 'in-progress' | 'not-started';

/** Done once every step passed; in progress once opened or a step passed; else not started. */
export function labStatus(lab: Pick<LabSummary, 'isCompleted' | 'stepsPassed' | 'lastOpenedAt'>): LabStatus {
  if (lab.isCompleted) return 'done';
  return lab.stepsPassed > 0 || lab.lastOpenedAt !== null ? 'in-progress' : 'not-started';
}

/**
 * The labs in the order the course teaches them: by their chapter's order; labs of one chapter,
 * and labs of a chapter the course no longer has (last), keep the order they were given in.
 */
export function inCourseOrder<T extends { chapter: string }>(
  labs: readonly T[],
  chapters: readonly { slug: string; order: number }[],
): T[] {
  const orderOf = new Map(chapters.map((chapter) => [chapter.slug, chapter.order]));
  const rank = (lab: T) => orderOf.get(lab.chapter) ?? Number.POSITIVE_INFINITY;
  return labs
    .map((lab, index) => ({ lab, index }))
    .sort((a, b) => rank(a.lab) - rank(b.lab) || a.index - b.index)
    .map(({ lab }) => lab);
}

export type LabSuggestion = {
  labId: string;
  title: string;
  /** Resume the lab opened last; or start (never opened) or continue the next one. */
  action: 'resume' | 'start' | 'continue';
  /** The lab finished last, when the suggestion moves on from it. */
  finished: { labId: string; title: string } | null;
};

/**
 * What to do next, from the learner's labs in course order: the lab opened most recently while it
 * is unfinished; once it is finished, the first unfinished lab after it in the course (wrapping
 * round to the start), never the one just finished. Null before any lab was opened, and once
 * every lab is done.
 */
export function suggestLab(
  labs: readonly Pick<LabSummary, 'id' | 'title' | 'isCompleted' | 'stepsPassed' | 'lastOpenedAt'>[],
): LabSuggestion | null {
  const last = labs.reduce<(typeof labs)[number] | null>(
    (latest, lab) =>
      lab.lastOpenedAt !== null && (!latest || lab.lastOpenedAt > (latest.lastOpenedAt ?? '')) ? lab : latest,
    null,
  );
  if (!last) return null;
  if (!last.isCompleted) return { labId: last.id, title: last.title, action: 'resume', finished: null };
  const at = labs.indexOf(last);
  const next = [...labs.slice(at + 1), ...labs.slice(0, at)].find((lab) => !lab.isCompleted);
  if (!next) return null;
  return {
    labId: next.id,
    title: next.title,
    action: labStatus(next) === 'not-started' ? 'start' : 'continue',
    finished: { labId: last.id, title: last.title },
  };
}

/** The link text for a suggestion: "Resume Model registry", "Start Experiment tracking"… */
export function suggestionLabel(suggestion: Pick<LabSuggestion, 'action' | 'title'>): string {
  const verb = { resume: 'Resume', start: 'Start', continue: 'Continue' }[suggestion.action];
  return `${verb} ${suggestion.title}`;
}
