import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { EndWorkshopButton } from '@/components/workshops/EndWorkshopButton';
import { JoinCodePanel } from '@/components/workshops/JoinCodePanel';
import { LocalTime } from '@/components/workshops/LocalTime';
import { WorkshopDashboard } from '@/components/workshops/WorkshopDashboard';
import { WorkshopStatusBadge } from '@/components/workshops/WorkshopList';
import styles from '@/components/workshops/Workshops.module.css';
import { requirePageUser } from '@/lib/auth/page-guards';
import { WorkshopError, workshopDashboard } from '@/lib/workshops/workshops';

export const metadata: Metadata = { title: 'Workshop' };
export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ id: string }> };

export default async function WorkshopPage({ params }: Props) {
  const user = await requirePageUser('instructor');
  const { id } = await params;
  const dashboard = await workshopDashboard(user, id).catch((error: unknown) => {
    if (error instanceof WorkshopError) notFound();
    throw error;
  });
  const { workshop, view } = dashboard;
  const csvHref = `/api/workshops/${encodeURIComponent(workshop.id)}/grades.csv`;

  return (
    <div className={`page ${styles.widePage}`}>
      <p className={styles.muted}>
        <Link href="/instructor">Workshops</Link>
      </p>
      <header className="page__header">
        <h1>
          {workshop.title} <WorkshopStatusBadge status={workshop.status} />
        </h1>
        <p className="page__lead">
          {workshop.labs.map((lab) => lab.title).join(', ')} · <LocalTime iso={workshop.startsAt} /> to{' '}
          <LocalTime iso={workshop.endedAt ?? workshop.endsAt} />
          {workshop.learnersMayContinue && ' · learners may keep working after the end'}
        </p>
      </header>
      <JoinCodePanel code={workshop.code} isOpen={workshop.status !== 'ended'} />
      <div className={styles.toolbar}>
        <a className="button button--secondary" href={csvHref} download>
          Export grades (CSV)
        </a>
        <EndWorkshopButton
          workshopId={workshop.id}
          title={workshop.title}
          isEnded={workshop.status === 'ended'}
        />
      </div>
      <WorkshopDashboard workshopId={workshop.id} initial={view} />
    </div>
  );
}
