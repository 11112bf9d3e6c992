'use client';

/**
 * The signed-in learner's marks on the course map (/learn): per chapter whether it was read and the
 * best quiz score, per lab whether it is done, in progress or not started; per maturity level, how
 * many chapters are read; and the lab to do next. Signed out, or while loading, nothing is shown,
 * so the static page looks as it always did.
 */
import Link from 'next/link';
import { labStatus, suggestionLabel } from '@/lib/progress/next-lab';
import { useProgress } from './ProgressProvider';
import styles from './progress.module.css';

export function ChapterMarks({ chapter }: { chapter: string }) {
  const state = useProgress()?.state;
  if (state?.status !== 'signed-in') return null;
  const summary = state.summary.chapters.find((entry) => entry.slug === chapter);
  if (!summary) return null;
  return (
    <ul className={styles.marks} aria-label="Your progress" data-testid={`chapter-marks-${chapter}`}>
      <li className={`${styles.mark} ${summary.readAt ? styles.markDone : ''}`}>
        {summary.readAt ? '✓ Read' : 'Not read yet'}
      </li>
      {summary.quiz ? (
        <li
          className={`${styles.mark} ${summary.quiz.bestScore === summary.quiz.total ? styles.markDone : ''}`}
        >
          Quiz {summary.quiz.bestScore}/{summary.quiz.total}
        </li>
      ) : null}
    </ul>
  );
}

const statusText = { done: '✓ Done', 'in-progress': 'In progress', 'not-started': 'Not started' } as const;

/** Beside a lab on the course map: done, in progress or not started, for a signed-in learner. */
export function LabStatusMark({ labId }: { labId: string }) {
  const state = useProgress()?.state;
  if (state?.status !== 'signed-in') return null;
  const lab = state.summary.labs.find((entry) => entry.id === labId);
  if (!lab) return null;
  const status = labStatus(lab);
  const detail = status === 'in-progress' ? `, ${lab.stepsPassed} of ${lab.stepsTotal} steps` : '';
  return (
    <span
      className={`${styles.mark} ${status === 'done' ? styles.markDone : status === 'in-progress' ? styles.markProgress : ''}`}
    >
      <span className="visually-hidden">Your status: </span>
      {statusText[status]}
      {detail}
    </span>
  );
}

/** "2 of 4 chapters read" for a maturity level. */
export function StageProgress({ chapters }: { chapters: string[] }) {
  const state = useProgress()?.state;
  if (state?.status !== 'signed-in') return null;
  const read = state.summary.chapters.filter(
    (chapter) => chapters.includes(chapter.slug) && chapter.readAt,
  ).length;
  return (
    <p className={styles.stageProgress} data-testid="stage-progress">
      {read} of {chapters.length} chapters read
    </p>
  );
}

/** Under the course map's title: the learner's totals and the lab to do next, or how to save progress. */
export function CourseProgressNote() {
  const state = useProgress()?.state;
  if (!state || state.status === 'loading') return null;
  if (state.status === 'signed-out') {
    return (
      <p>
        <Link href="/login?next=%2Flearn">Log in</Link> or <Link href="/signup?next=%2Flearn">sign up</Link>{' '}
        to save the chapters you read, your quiz scores and your labs.
      </p>
    );
  }
  const { chapters, labs, next } = state.summary;
  const read = chapters.filter((chapter) => chapter.readAt).length;
  const done = labs.filter((lab) => lab.isCompleted).length;
  return (
    <p data-testid="course-progress">
      You have read {read} of {chapters.length} chapters and finished {done} of {labs.length} labs.{' '}
      {next ? (
        <>
          <Link href={`/labs/${next.labId}`}>{suggestionLabel(next)}</Link> ·{' '}
        </>
      ) : null}
      <Link href="/me">Your progress</Link>
    </p>
  );
}
