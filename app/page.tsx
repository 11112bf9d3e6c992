import Link from 'next/link';
import { getChapters } from '@/lib/content/course';

export default function HomePage() {
  const chapters = getChapters();
  const totalMinutes = chapters.reduce((sum, chapter) => sum + chapter.minutes, 0);
  return (
    <div className="home">
      <section className="hero">
        <p className="eyebrow">Self-hosted · works offline</p>
        <h1>Learn MLOps by running it.</h1>
        <p className="hero__lead">
          A course that takes you from a notebook model to a monitored, automatically retrained service:
          experiment tracking, data versioning, pipelines, a model registry, deployment strategies, drift
          monitoring and CI/CD, each practised in a real sandbox in your browser.
        </p>
        <div className="hero__actions">
          <Link className="button" href="/learn">
            Start the course
          </Link>
          <span className="hero__meta">
            {chapters.length} {chapters.length === 1 ? 'chapter' : 'chapters'} · about {totalMinutes} minutes
            of reading
          </span>
        </div>
      </section>
      <section className="pillars" aria-label="How the course works">
        <div className="pillar">
          <h2>Read</h2>
          <p>Short chapters with diagrams, worked examples and a quiz at the end of each.</p>
        </div>
        <div className="pillar">
          <h2>Do</h2>
          <p>Labs run in a container of your own, with an editor, a terminal and a small real MLOps stack.</p>
        </div>
        <div className="pillar">
          <h2>Check</h2>
          <p>
            Every step is graded by inspecting the real state of your sandbox, with feedback on what to fix.
          </p>
        </div>
      </section>
    </div>
  );
}
