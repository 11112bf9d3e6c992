'use client';

/**
 * The signed-in learner's marks on the course map (/learn): per chapter whether it was read, the
 * best quiz score and whether its labs are done; per maturity level, how many chapters are read.
 * Signed out, or while loading, nothing is shown, so the static page looks as it always did.
 */
import Link from 'next/link';
import { useProgress } from './ProgressProvider';
import styles from './progress.module.css';

export function ChapterMarks({ chapter }: { chapter: string }) {
  const state = useProgress()?.state;
  if (state?.status !== 'signed-in') return null;
  const summary = state.summary.chapters.find((entry) => entry.slug === chapter);
  const labs = state.summary.labs.filter((lab) => lab.chapter === chapter);
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
      {labs.map((lab) => (
        <li
          key={lab.id}
          className={`${styles.mark} ${lab.isCompleted ? styles.markDone : lab.stepsPassed ? styles.markProgress : ''}`}
        >
          <Link href={`/labs/${lab.id}`} title={lab.title}>
            {lab.isCompleted
              ? `✓ Lab done`
              : lab.stepsPassed
                ? `Lab ${lab.stepsPassed}/${lab.stepsTotal} steps`
                : 'Lab not started'}
          </Link>
        </li>
      ))}
    </ul>
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

/** Under the course map's title: the learner's totals and the lab to resume, or how to save progress. */
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
  const { chapters, labs, resume } = state.summary;
  const read = chapters.filter((chapter) => chapter.readAt).length;
  const done = labs.filter((lab) => lab.isCompleted).length;
  return (
    <p data-testid="course-progress">
      You have read {read} of {chapters.length} chapters and finished {done} of {labs.length} labs.{' '}
      {resume ? (
        <>
          <Link href={`/labs/${resume.labId}`}>Resume {resume.title}</Link> ·{' '}
        </>
      ) : null}
      <Link href="/me">Your progress</Link>
    </p>
  );
}
