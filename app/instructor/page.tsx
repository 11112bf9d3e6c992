import type { Metadata } from 'next';
import { CreateWorkshopForm } from '@/components/workshops/CreateWorkshopForm';
import { WorkshopList } from '@/components/workshops/WorkshopList';
import styles from '@/components/workshops/Workshops.module.css';
import { hasRole } from '@/lib/auth/roles';
import { requirePageUser } from '@/lib/auth/page-guards';
import { getLabs } from '@/lib/labs/catalog';
import { listWorkshops } from '@/lib/workshops/workshops';

export const metadata: Metadata = { title: 'Instructor' };
export const dynamic = 'force-dynamic';

export default async function InstructorPage() {
  const user = await requirePageUser('instructor');
  const workshops = await listWorkshops(user);
  const labs = getLabs().map((lab) => ({
    id: lab.id,
    title: lab.title,
    minutes: lab.minutes,
    steps: lab.steps.length,
  }));
  return (
    <div className="page">
      <header className="page__header">
        <h1>Workshops</h1>
        <p className="page__lead">
          Run a class: choose labs, share the join code, and watch every learner&rsquo;s progress live.
        </p>
      </header>
      <section className={styles.section} aria-labelledby="workshops-mine">
        <h2 id="workshops-mine">{hasRole(user, 'admin') ? 'All workshops' : 'Your workshops'}</h2>
        <WorkshopList workshops={workshops} showInstructor={hasRole(user, 'admin')} />
      </section>
      <section className={`${styles.section} ${styles.card}`} aria-labelledby="workshops-new">
        <h2 id="workshops-new">New workshop</h2>
        <CreateWorkshopForm labs={labs} />
      </section>
    </div>
  );
}
