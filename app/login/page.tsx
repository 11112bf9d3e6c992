import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { AuthForm } from '@/components/auth/AuthForm';
import styles from '@/components/auth/AuthForm.module.css';
import { currentUser } from '@/lib/auth/identity';
import { safeNextPath } from '@/lib/auth/next-path';

export const metadata: Metadata = { title: 'Log in' };

type Props = { searchParams: Promise<{ next?: string | string[] }> };

export default async function LoginPage({ searchParams }: Props) {
  const raw = (await searchParams).next;
  const next = safeNextPath(typeof raw === 'string' ? raw : null);
  if (await currentUser()) redirect(next ?? '/learn');
  return (
    <div className={styles.card}>
      <h1>Log in</h1>
      <p className={styles.lead}>Welcome back. Your labs and progress are where you left them.</p>
      <AuthForm mode="login" next={next} />
    </div>
  );
}
