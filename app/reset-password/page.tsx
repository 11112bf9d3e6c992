import type { Metadata } from 'next';
import Link from 'next/link';
import { ResetPasswordForm } from '@/components/auth/ResetPasswordForm';
import styles from '@/components/auth/AuthForm.module.css';
import { isResetLinkUsable, resetLinkLifetimeMs } from '@/lib/auth/reset-links';

// The link's token is in the address: no other site learns it from a Referer header.
export const metadata: Metadata = { title: 'Choose a new password', referrer: 'no-referrer' };
export const dynamic = 'force-dynamic';

type Props = { searchParams: Promise<{ token?: string | string[] }> };

export default async function ResetPasswordPage({ searchParams }: Props) {
  const raw = (await searchParams).token;
  const token = typeof raw === 'string' ? raw : undefined;
  const isUsable = await isResetLinkUsable(token);
  return (
    <div className={styles.card}>
      <h1>Choose a new password</h1>
      {token && isUsable ? (
        <ResetPasswordForm token={token} />
      ) : (
        <>
          <p className={styles.lead} data-testid="reset-link-invalid">
            This link has expired or was already used: each one works once, for {resetLinkLifetimeMs / 60_000}{' '}
            minutes.
          </p>
          <p className={styles.switch}>
            <Link href="/forgot-password">Ask for a new link</Link>
          </p>
        </>
      )}
    </div>
  );
}
