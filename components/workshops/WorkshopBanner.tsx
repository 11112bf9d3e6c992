/**
 * On a lab page, for a member of a workshop that has the lab: the workshop's name, so a learner
 * who joined with a code sees they are in the class (and which one). Nothing for anyone else.
 */
import type { LearnerLabWorkshop } from './learner-workshop';
import styles from './Workshops.module.css';

export function WorkshopBanner({ workshop }: { workshop: LearnerLabWorkshop | null }) {
  if (!workshop) return null;
  const state =
    workshop.status === 'ended' ? ' (ended)' : workshop.status === 'upcoming' ? ' (not started yet)' : '';
  return (
    <span
      className={styles.workshopBanner}
      data-testid="workshop-banner"
      title={`Workshop “${workshop.title}”${state}`}
    >
      Workshop “{workshop.title}”{state}
    </span>
  );
}
