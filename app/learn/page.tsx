import type { Metadata } from 'next';
import Link from 'next/link';
import { getChapters } from '@/lib/content/course';

export const metadata: Metadata = { title: 'Course' };

export default function LearnPage() {
  const chapters = getChapters();
  return (
    <div className="page">
      <header className="page__header">
        <h1>The course</h1>
        <p className="page__lead">
          Read the chapters in order if MLOps is new to you, or jump to the topic you need: each chapter
          stands on its own with its lab.
        </p>
      </header>
      <ol className="chapter-list">
        {chapters.map((chapter) => (
          <li key={chapter.slug} className="chapter-card">
            <p className="chapter-card__number">Chapter {chapter.order}</p>
            <h2 className="chapter-card__title">
              <Link href={`/learn/${chapter.slug}`}>{chapter.title}</Link>
            </h2>
            <p className="chapter-card__summary">{chapter.summary}</p>
            <p className="chapter-meta">
              <span className={`badge badge--${chapter.difficulty}`}>{chapter.difficulty}</span>
              <span>{chapter.minutes} min read</span>
            </p>
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
    </div>
  );
}
