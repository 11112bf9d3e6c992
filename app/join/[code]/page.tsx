import type { Metadata } from 'next';
import Link from 'next/link';
import { JoinCodeForm } from '@/components/workshops/JoinCodeForm';
import { JoinWithAccountForm } from '@/components/workshops/JoinWithAccountForm';
import { JoinWorkshopButton } from '@/components/workshops/JoinWorkshopButton';
import { LocalTime } from '@/components/workshops/LocalTime';
import styles from '@/components/workshops/Workshops.module.css';
import { currentUser } from '@/lib/auth/identity';
import { isMember, workshopByCode } from '@/lib/workshops/workshops';

export const metadata: Metadata = { title: 'Join a workshop' };
export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ code: string }> };

export default async function JoinWorkshopPage({ params }: Props) {
  const { code: raw } = await params;
  const [workshop, user] = await Promise.all([workshopByCode(decodeURIComponent(raw)), currentUser()]);

  if (!workshop) {
    return (
      <div className="page">
        <header className="page__header">
          <h1>No workshop has this code</h1>
          <p className="page__lead">Check the code with your instructor: it is six letters and digits.</p>
        </header>
        <section className={`${styles.section} ${styles.card}`}>
          <JoinCodeForm />
        </section>
      </div>
    );
  }

  const isInWorkshop = user !== null && (await isMember(workshop.id, user.id));
  const firstLab = workshop.labs[0];

  return (
    <div className="page">
      <header className="page__header">
        <p className={styles.muted}>Workshop</p>
        <h1 data-testid="workshop-title">{workshop.title}</h1>
        <p className="page__lead">
          With {workshop.instructor.name} · <LocalTime iso={workshop.startsAt} /> to{' '}
          <LocalTime iso={workshop.endedAt ?? workshop.endsAt} />
        </p>
      </header>
      <section className={`${styles.section} ${styles.card}`}>
        <p>Labs: {workshop.labs.map((lab) => lab.title).join(', ')}</p>
        {isInWorkshop ? (
          <p>
            You are in this workshop.{' '}
            {firstLab && (
              <Link className="button" href={`/labs/${encodeURIComponent(firstLab.id)}`}>
                Open {firstLab.title}
              </Link>
            )}
          </p>
        ) : workshop.status === 'ended' ? (
          <p role="alert" className={styles.error}>
            This workshop has ended: it takes no new learners.
          </p>
        ) : user ? (
          <JoinWorkshopButton code={workshop.code} title={workshop.title} />
        ) : (
          <>
            <p>
              To join, sign up (it takes a minute) or log in: your sandbox and progress are kept in your
              account. You join the workshop in the same step.
            </p>
            <JoinWithAccountForm code={workshop.code} title={workshop.title} />
          </>
        )}
      </section>
    </div>
  );
}
