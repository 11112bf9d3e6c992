'use client';

/**
 * The page a reset link opens: a new password under the sign-up rules. Once it is set, every
 * session of the account has ended, this browser's included, and the learner logs in with it.
 */
import Link from 'next/link';
import { useId, useState, type FormEvent } from 'react';
import { passwordMinLength } from '@/lib/auth/password-rules';
import { apiErrorOf, apiFetch } from '@/lib/http/api-client';
import styles from './AuthForm.module.css';

export function ResetPasswordForm({ token }: { token: string }) {
  const [error, setError] = useState<string | null>(null);
  const [isDone, setIsDone] = useState(false);
  const [isBusy, setIsBusy] = useState(false);
  const ids = { password: useId(), hint: useId(), error: useId() };

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const password = String(new FormData(event.currentTarget).get('password') ?? '');
    setIsBusy(true);
    setError(null);
    try {
      const response = await apiFetch('/api/auth/password-reset/confirm', {
        method: 'POST',
        body: JSON.stringify({ token, password }),
      });
      if (!response.ok) {
        setError((await apiErrorOf(response)).message);
        return;
      }
      setIsDone(true);
    } catch {
      setError('The platform cannot be reached. Check your network connection and try again.');
    } finally {
      setIsBusy(false);
    }
  }

  if (isDone) {
    return (
      <div role="status" className={styles.notice}>
        <p>Your password is changed, and you are logged out everywhere.</p>
        <p>
          <Link href="/login">Log in with your new password</Link>
        </p>
      </div>
    );
  }
  return (
    <form className={styles.form} onSubmit={(event) => void submit(event)} noValidate>
      <div className={styles.field}>
        <label htmlFor={ids.password}>New password</label>
        <input
          id={ids.password}
          name="password"
          type="password"
          autoComplete="new-password"
          required
          aria-describedby={[ids.hint, ...(error ? [ids.error] : [])].join(' ')}
        />
        <p id={ids.hint} className={styles.hint}>
          At least {passwordMinLength} characters. A few words you will remember make a good one.
        </p>
      </div>
      <div id={ids.error} role="alert" className={styles.error}>
        {error}
      </div>
      <button type="submit" className={`button ${styles.submit}`} disabled={isBusy}>
        {isBusy ? 'Saving…' : 'Set my new password'}
      </button>
    </form>
  );
}
