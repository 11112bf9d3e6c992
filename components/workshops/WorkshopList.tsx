/** The instructor's workshops as a table: title, code, status, learners, schedule. */
import Link from 'next/link';
import type { WorkshopSummary } from '@/lib/workshops/workshops';
import { workshopStatusLabel } from './format';
import { LocalTime } from './LocalTime';
import styles from './Workshops.module.css';

export function WorkshopStatusBadge({ status }: { status: WorkshopSummary['status'] }) {
  return (
    <span className={`${styles.badge} ${styles[`status_${status}`]}`} data-testid="workshop-status">
      {workshopStatusLabel[status]}
    </span>
  );
}

export function WorkshopList({
  workshops,
  showInstructor,
}: {
  workshops: WorkshopSummary[];
  showInstructor: boolean;
}) {
  if (workshops.length === 0) {
    return (
      <p className={styles.muted}>No workshops yet. Create one below: learners join it with its code.</p>
    );
  }
  return (
    <div className={styles.tableWrap}>
      <table className={styles.table}>
        <caption>{showInstructor ? "Every instructor's workshops" : 'Your workshops'}, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Workshop</th>
            <th scope="col">Code</th>
            <th scope="col">Status</th>
            <th scope="col">Learners</th>
            <th scope="col">Starts</th>
            <th scope="col">Ends</th>
            {showInstructor && <th scope="col">Instructor</th>}
          </tr>
        </thead>
        <tbody>
          {workshops.map((workshop) => (
            <tr key={workshop.id}>
              <th scope="row">
                <Link href={`/instructor/workshops/${encodeURIComponent(workshop.id)}`}>
                  {workshop.title}
                </Link>
                <span className={styles.email}>{workshop.labs.map((lab) => lab.title).join(', ')}</span>
              </th>
              <td>
                <code>{workshop.code}</code>
              </td>
              <td>
                <WorkshopStatusBadge status={workshop.status} />
              </td>
              <td>{workshop.members}</td>
              <td>
                <LocalTime iso={workshop.startsAt} />
              </td>
              <td>
                <LocalTime iso={workshop.endedAt ?? workshop.endsAt} />
              </td>
              {showInstructor && <td>{workshop.instructor.name}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
