import type { Metadata } from 'next';
import Link from 'next/link';
import {
  ChapterMarks,
  CourseProgressNote,
  LabStatusMark,
  StageProgress,
} from '@/components/progress/CourseMapProgress';
import { ProgressProvider } from '@/components/progress/ProgressProvider';
import { courseMap } from '@/lib/content/course-map';
import { getChapters } from '@/lib/content/course';
import { getLabs } from '@/lib/labs/catalog';

export const metadata: Metadata = { title: 'Course' };

export default function LearnPage() {
  const stages = courseMap(getChapters());
  const labs = getLabs();
  // Static: the learner's progress is asked in the browser and decorates the map (ProgressProvider).
  return (
    <ProgressProvider>
      <div className="page">
        <header className="page__header">
          <h1>The course</h1>
          <p className="page__lead">
            New to MLOps? Read the chapters in order. Already training models? Start at chapter 2. Need one
            topic? Each chapter stands on its own with its lab, in about an hour. The chapters are grouped by
            the maturity level they take a team towards.
          </p>
          <p>
            <Link href="/learn/glossary">Glossary</Link> · Search with <kbd>/</kbd>
          </p>
          <CourseProgressNote />
        </header>
        {stages.map((stage) => (
          <section key={stage.level} className="course-stage" aria-labelledby={`stage-${stage.level}`}>
            <header className="course-stage__header">
              <h2 id={`stage-${stage.level}`}>{stage.title}</h2>
              <p>{stage.summary}</p>
              <StageProgress chapters={stage.chapters.map((chapter) => chapter.slug)} />
            </header>
            <ol className="chapter-list">
              {stage.chapters.map((chapter) => (
                <li key={chapter.slug} className="chapter-card">
                  <p className="chapter-card__number">Chapter {chapter.order}</p>
                  <h3 className="chapter-card__title">
                    <Link href={`/learn/${chapter.slug}`}>{chapter.title}</Link>
                  </h3>
                  <p className="chapter-card__summary">{chapter.summary}</p>
                  <p className="chapter-meta">
                    <span className={`badge badge--${chapter.difficulty}`}>{chapter.difficulty}</span>
                    <span>{chapter.minutes} min read</span>
                  </p>
                  <ChapterMarks chapter={chapter.slug} />
                  {labs.some((lab) => lab.chapter === chapter.slug) ? (
                    <ul className="chapter-card__labs" aria-label={`Labs of chapter ${chapter.order}`}>
                      {labs
                        .filter((lab) => lab.chapter === chapter.slug)
                        .map((lab) => (
                          <li key={lab.id} data-testid={`course-lab-${lab.id}`}>
                            <span className="chapter-card__lab-label">Lab</span>
                            <Link href={`/labs/${lab.id}`}>{lab.title}</Link>
                            <LabStatusMark labId={lab.id} />
                          </li>
                        ))}
                    </ul>
                  ) : null}
                  <div className="chapter-card__objectives">
                    <p className="chapter-card__objectives-title">You will be able to</p>
                    <ul>
                      {chapter.objectives.map((objective) => (
                        <li key={objective}>{objective}</li>
                      ))}
                    </ul>
                  </div>
                </li>
              ))}
            </ol>
          </section>
        ))}
      </div>
    </ProgressProvider>
  );
}
