import type { Metadata } from 'next';
import Link from 'next/link';
import { ForgotPasswordForm } from '@/components/auth/ForgotPasswordForm';
import styles from '@/components/auth/AuthForm.module.css';
import { getConfig } from '@/lib/config';
import { resetLinkLifetimeMs } from '@/lib/auth/reset-links';

export const metadata: Metadata = { title: 'Forgot password' };
// Whether the platform sends mail is the running server's setting, not the build's.
export const dynamic = 'force-dynamic';

export default function ForgotPasswordPage() {
  const hasMail = getConfig().mail !== null;
  return (
    <div className={styles.card}>
      <h1>Forgot your password?</h1>
      {hasMail ? (
        <>
          <p className={styles.lead}>
            Enter the email of your account: we send it a link to choose a new password, which works for{' '}
            {resetLinkLifetimeMs / 60_000} minutes.
          </p>
          <ForgotPasswordForm />
        </>
      ) : (
        <div data-testid="no-mail">
          <p className={styles.lead}>This platform sends no mail, so a person resets passwords. Ask:</p>
          <ul className={styles.options}>
            <li>
              <strong>the instructor of your workshop</strong>, if you joined one: they can give you a
              temporary password from the workshop&apos;s page;
            </li>
            <li>
              otherwise <strong>an administrator of this platform</strong> (whoever runs it for your school or
              team): they can do the same from the list of users.
            </li>
          </ul>
          <p className={styles.lead}>
            Log in with the temporary password they hand you. Your old password then stops working, and you
            are logged out everywhere else.
          </p>
        </div>
      )}
      <p className={styles.switch}>
        <Link href="/login">Back to log in</Link>
      </p>
    </div>
  );
}
