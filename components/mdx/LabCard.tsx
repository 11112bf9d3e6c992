import Link from 'next/link';
import { getLab, labExists, labTitleFromId } from '@/lib/labs/catalog';

/** "Try it in the lab": links to a lab, or says "coming soon" while the lab does not exist yet. */
export function LabCard({ lab, title }: { lab: string; title?: string }) {
  if (!labExists(lab)) {
    const name = title ?? labTitleFromId(lab);
    return (
      <aside className="lab-card lab-card--soon" aria-label={`Lab: ${name} (coming soon)`}>
        <p className="lab-card__eyebrow">Hands-on lab</p>
        <p className="lab-card__title">{name}</p>
        <p className="lab-card__status">Coming soon: this lab is being built.</p>
      </aside>
    );
  }
  const definition = getLab(lab);
  const name = title ?? definition?.title ?? labTitleFromId(lab);
  return (
    <aside className="lab-card" aria-label={`Lab: ${name}`}>
      <p className="lab-card__eyebrow">Hands-on lab</p>
      <p className="lab-card__title">{name}</p>
      {definition && (
        <p className="lab-card__status">
          {definition.summary} About {definition.minutes} minutes, {definition.steps.length} steps.
        </p>
      )}
      <Link className="button" href={`/labs/${lab}`}>
        Open the lab
      </Link>
    </aside>
  );
}
