/**
 * The learner's own progress on /me: the lab to do next, every chapter (read? best quiz score) and
 * the labs they started (steps passed as a bar, where they are). Server-rendered from the summary.
 */
import Link from 'next/link';
import { suggestionLabel } from '@/lib/progress/next-lab';
import type { ChapterSummary, LabSummary, ProgressSummary } from '@/lib/progress/summary';
import styles from './progress.module.css';

const dateFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});

function When({ iso }: { iso: string }) {
  return <time dateTime={iso}>{dateFormat.format(new Date(iso))}</time>;
}

/** The lab to do next: the one to resume, or the next in the course after the one just finished. */
export function NextLab({ summary }: { summary: ProgressSummary }) {
  const { next } = summary;
  if (!next) {
    const isAllDone = summary.labs.length > 0 && summary.labs.every((lab) => lab.isCompleted);
    return (
      <div className={styles.resume} data-testid="next-lab">
        <p>{isAllDone ? 'You have finished every lab.' : 'You have not opened a lab yet.'}</p>
        <Link className="button" href="/labs">
          {isAllDone ? 'Revisit the labs' : 'Browse the labs'}
        </Link>
      </div>
    );
  }
  const lab = summary.labs.find((entry) => entry.id === next.labId);
  return (
    <div className={styles.resume} data-testid="next-lab">
      {next.finished ? <p>You finished {next.finished.title}.</p> : null}
      <Link className="button" href={`/labs/${next.labId}`}>
        {suggestionLabel(next)}
      </Link>
      {lab?.currentStep && next.action !== 'start' ? <p>You were on “{lab.currentStep.title}”.</p> : null}
    </div>
  );
}

function ChapterRow({ chapter }: { chapter: ChapterSummary }) {
  const { quiz } = chapter;
  return (
    <li className={styles.row} data-testid={`me-chapter-${chapter.slug}`}>
      <div>
        <p className={styles.rowTitle}>
          <Link href={`/learn/${chapter.slug}`}>
            {chapter.order}. {chapter.title}
          </Link>
        </p>
        <p className={styles.rowMeta}>
          {chapter.readAt ? (
            <>
              Read <When iso={chapter.readAt} />
            </>
          ) : (
            'Not read yet'
          )}
          {quiz ? ` · ${quiz.attempts} quiz ${quiz.attempts === 1 ? 'attempt' : 'attempts'}` : ''}
        </p>
      </div>
      <div className={styles.rowMarks}>
        <span className={`${styles.mark} ${chapter.readAt ? styles.markDone : ''}`}>
          {chapter.readAt ? '✓ Read' : 'Unread'}
        </span>
        <span className={`${styles.mark} ${quiz && quiz.bestScore === quiz.total ? styles.markDone : ''}`}>
          {quiz ? `Quiz ${quiz.bestScore}/${quiz.total}` : 'Quiz not taken'}
        </span>
      </div>
    </li>
  );
}

function LabRow({ lab }: { lab: LabSummary }) {
  const label = `${lab.stepsPassed} of ${lab.stepsTotal} steps passed`;
  return (
    <li className={styles.row} data-testid={`me-lab-${lab.id}`}>
      <div>
        <p className={styles.rowTitle}>
          <Link href={`/labs/${lab.id}`}>{lab.title}</Link>
        </p>
        <p className={styles.rowMeta}>
          {label}
          {lab.lastOpenedAt ? (
            <>
              {' · '}last opened <When iso={lab.lastOpenedAt} />
            </>
          ) : null}
          {lab.currentStep && !lab.isCompleted ? ` · on “${lab.currentStep.title}”` : ''}
          {lab.solutionsRevealed
            ? ` · ${lab.solutionsRevealed} solution${lab.solutionsRevealed === 1 ? '' : 's'} revealed`
            : ''}
        </p>
      </div>
      <div className={styles.rowMarks}>
        <span
          className={`${styles.mark} ${lab.isCompleted ? styles.markDone : lab.stepsPassed ? styles.markProgress : ''}`}
        >
          {lab.isCompleted ? '✓ Completed' : lab.stepsPassed ? 'In progress' : 'Started'}
        </span>
      </div>
      <progress
        className={styles.bar}
        max={lab.stepsTotal}
        value={lab.stepsPassed}
        aria-label={`${lab.title}: ${label}`}
      />
    </li>
  );
}

export function ChapterProgressList({ chapters }: { chapters: ChapterSummary[] }) {
  const isUntouched = chapters.every((chapter) => !chapter.readAt && !chapter.quiz);
  return (
    <section className={styles.section} aria-labelledby="me-chapters">
      <h2 id="me-chapters">Chapters</h2>
      {isUntouched ? (
        <p className={styles.empty}>
          No chapter read yet. A chapter counts as read when you reach its end;{' '}
          {chapters[0] ? (
            <Link href={`/learn/${chapters[0].slug}`}>start with chapter 1</Link>
          ) : (
            'start with chapter 1'
          )}
          .
        </p>
      ) : null}
      <ol className={styles.rows}>
        {chapters.map((chapter) => (
          <ChapterRow key={chapter.slug} chapter={chapter} />
        ))}
      </ol>
    </section>
  );
}

export function LabProgressList({ labs }: { labs: LabSummary[] }) {
  const started = labs.filter((lab) => lab.lastOpenedAt || lab.stepsPassed);
  const notStarted = labs.filter((lab) => !started.includes(lab));
  return (
    <section className={styles.section} aria-labelledby="me-labs">
      <h2 id="me-labs">Labs</h2>
      {started.length === 0 ? (
        <p className={styles.empty}>
          You have not started a lab yet. Each lab gives you a sandbox of your own;{' '}
          <Link href="/labs">pick one</Link>.
        </p>
      ) : (
        <ul className={styles.rows}>
          {started.map((lab) => (
            <LabRow key={lab.id} lab={lab} />
          ))}
        </ul>
      )}
      {started.length > 0 && notStarted.length > 0 ? (
        <p className={styles.rowMeta}>
          Not started yet:{' '}
          {notStarted.map((lab, index) => (
            <span key={lab.id}>
              {index > 0 ? ', ' : ''}
              <Link href={`/labs/${lab.id}`}>{lab.title}</Link>
            </span>
          ))}
          .
        </p>
      ) : null}
    </section>
  );
}
