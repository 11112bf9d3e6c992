/**
 * "Your workshops": the workshops a learner joined, with links to their labs. A server component:
 * include it on any page of a signed-in learner (`<MyWorkshops userId={user.id} />`).
 */
import Link from 'next/link';
import { myWorkshops } from '@/lib/workshops/workshops';
import { workshopStatusLabel } from './format';
import { LeaveWorkshopButton } from './LeaveWorkshopButton';
import { LocalTime } from './LocalTime';
import styles from './Workshops.module.css';

export async function MyWorkshops({ userId, headingLevel = 2 }: { userId: string; headingLevel?: 2 | 3 }) {
  const workshops = await myWorkshops(userId);
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <section className={styles.section} aria-labelledby="my-workshops" data-testid="my-workshops">
      <Heading id="my-workshops">Your workshops</Heading>
      {workshops.length === 0 ? (
        <p className={styles.muted}>
          You have not joined a workshop. Got a code from your instructor?{' '}
          <Link href="/join">Join a workshop</Link>.
        </p>
      ) : (
        <ul className={styles.list}>
          {workshops.map((workshop) => (
            <li key={workshop.id} className={styles.card}>
              <strong>{workshop.title}</strong>{' '}
              <span className={`${styles.badge} ${styles[`status_${workshop.status}`]}`}>
                {workshopStatusLabel[workshop.status]}
              </span>
              <span className={styles.email}>
                <LocalTime iso={workshop.startsAt} /> to <LocalTime iso={workshop.endsAt} />
              </span>
              <span>
                Labs:{' '}
                {workshop.labs.map((lab, index) => (
                  <span key={lab.id}>
                    {index > 0 && ', '}
                    <Link href={`/labs/${encodeURIComponent(lab.id)}`}>{lab.title}</Link>
                  </span>
                ))}
              </span>
              <LeaveWorkshopButton workshopId={workshop.id} title={workshop.title} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
