import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { AuthForm } from '@/components/auth/AuthForm';
import styles from '@/components/auth/AuthForm.module.css';
import { currentUser } from '@/lib/auth/identity';
import { signupClosedMessage, signupNeedsWorkshopMessage } from '@/lib/auth/signup-policy';
import { getConfig } from '@/lib/config';
import { safeNextPath } from '@/lib/auth/next-path';

export const metadata: Metadata = { title: 'Sign up' };

type Props = { searchParams: Promise<{ next?: string | string[] }> };

export default async function SignupPage({ searchParams }: Props) {
  const raw = (await searchParams).next;
  const next = safeNextPath(typeof raw === 'string' ? raw : null);
  if (await currentUser()) redirect(next ?? '/learn');
  const mode = getConfig().signupMode;
  return (
    <div className={styles.card}>
      <h1>Sign up</h1>
      <p className={styles.lead}>
        An account keeps your lab sandboxes and your progress. The chapters stay open to everyone.
      </p>
      {mode === 'open' ? (
        <AuthForm mode="signup" next={next} />
      ) : (
        <p role="status" data-testid="signup-limited">
          {mode === 'workshop' ? signupNeedsWorkshopMessage : signupClosedMessage}{' '}
          <Link href={next ? `/login?next=${encodeURIComponent(next)}` : '/login'}>Log in</Link> if you have
          an account.
        </p>
      )}
    </div>
  );
}
