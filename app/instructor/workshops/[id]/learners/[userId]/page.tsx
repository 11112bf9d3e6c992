import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ResetPasswordButton } from '@/components/admin/ResetPasswordButton';
import { LearnerView } from '@/components/workshops/LearnerView';
import styles from '@/components/workshops/Workshops.module.css';
import { requirePageUser } from '@/lib/auth/page-guards';
import { learnerInWorkshop, WorkshopError } from '@/lib/workshops/workshops';

export const metadata: Metadata = { title: 'Learner view' };
export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ id: string; userId: string }> };

export default async function LearnerViewPage({ params }: Props) {
  const user = await requirePageUser('instructor');
  const { id, userId } = await params;
  const { workshop, learner, sandboxes } = await learnerInWorkshop(user, id, userId).catch(
    (error: unknown) => {
      if (error instanceof WorkshopError) notFound();
      throw error;
    },
  );

  return (
    <div className="page">
      <p className={styles.muted}>
        <Link href="/instructor">Workshops</Link> ·{' '}
        <Link href={`/instructor/workshops/${encodeURIComponent(workshop.id)}`}>{workshop.title}</Link>
      </p>
      <header className="page__header">
        <h1>{learner.name}</h1>
        <p className="page__lead">
          {learner.email} · A read-only view of their sandbox. They see a notice that you are watching while
          this page is open.
        </p>
        <p>
          Forgot their password?{' '}
          <ResetPasswordButton
            resetUrl={`/api/workshops/${encodeURIComponent(workshop.id)}/learners/${encodeURIComponent(learner.id)}/password`}
            email={learner.email}
          />
        </p>
      </header>
      <LearnerView
        workshopId={workshop.id}
        learner={{ id: learner.id, name: learner.name }}
        sandboxes={sandboxes}
      />
    </div>
  );
}
