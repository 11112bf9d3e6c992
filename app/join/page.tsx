import type { Metadata } from 'next';
import { JoinCodeForm } from '@/components/workshops/JoinCodeForm';
import { MyWorkshops } from '@/components/workshops/MyWorkshops';
import styles from '@/components/workshops/Workshops.module.css';
import { currentUser } from '@/lib/auth/identity';

export const metadata: Metadata = { title: 'Join a workshop' };
export const dynamic = 'force-dynamic';

export default async function JoinPage() {
  const user = await currentUser();
  return (
    <div className="page">
      <header className="page__header">
        <h1>Join a workshop</h1>
        <p className="page__lead">Enter the code your instructor shows: six letters and digits.</p>
      </header>
      <section className={`${styles.section} ${styles.card}`}>
        <JoinCodeForm />
      </section>
      {user && <MyWorkshops userId={user.id} />}
    </div>
  );
}
