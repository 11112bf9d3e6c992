import type { Metadata } from 'next';
import Link from 'next/link';
import { currentUser } from '@/lib/auth/identity';
import { getChapters } from '@/lib/content/course';
import { getLabs } from '@/lib/labs/catalog';
import { passedStepsByLab } from '@/lib/labs/progress';

export const metadata: Metadata = {
  title: 'Labs',
  description: 'Hands-on MLOps labs in your own sandbox: an editor, a terminal and automatic checks.',
};

export const dynamic = 'force-dynamic';

export default async function LabsPage() {
  const labs = getLabs();
  const chapters = new Map(getChapters().map((c) => [c.slug, c]));
  const user = await currentUser();
  const passed = user ? await passedStepsByLab(user.id) : new Map<string, Set<string>>();
  const ordered = [...labs].sort(
    (a, b) =>
      (chapters.get(a.chapter)?.order ?? 99) - (chapters.get(b.chapter)?.order ?? 99) ||
      a.title.localeCompare(b.title),
  );

  return (
    <div className="page">
      <header className="page__header">
        <h1>Hands-on labs</h1>
        <p className="page__lead">
          Each lab gives you a Linux sandbox of your own with the starter files, an editor and a terminal.
          Work through the steps and press Check: an automatic grader inspects what you built and tells you
          what to fix.
        </p>
      </header>
      <ul className="lab-list">
        {ordered.map((lab) => {
          const chapter = chapters.get(lab.chapter);
          const done = lab.steps.filter((s) => passed.get(lab.id)?.has(s.id)).length;
          const status =
            done === 0
              ? 'Not started'
              : done === lab.steps.length
                ? 'Completed'
                : `In progress: ${done} of ${lab.steps.length} steps`;
          const statusKind = done === 0 ? 'new' : done === lab.steps.length ? 'done' : 'progress';
          return (
            <li key={lab.id} className="lab-list__item">
              <div className="lab-list__main">
                <h2 className="lab-list__title">
                  <Link href={`/labs/${lab.id}`}>{lab.title}</Link>
                </h2>
                <p className="lab-list__summary">{lab.summary}</p>
                <p className="lab-list__meta">
                  {chapter ? (
                    <Link href={`/learn/${chapter.slug}`}>
                      Chapter {chapter.order}: {chapter.title}
                    </Link>
                  ) : (
                    lab.chapter
                  )}
                  <span aria-hidden="true"> · </span>
                  <span>{lab.minutes} min</span>
                  <span aria-hidden="true"> · </span>
                  <span>{lab.steps.length} steps</span>
                </p>
              </div>
              <p className={`lab-status lab-status--${statusKind}`} data-testid={`lab-status-${lab.id}`}>
                {status}
              </p>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
