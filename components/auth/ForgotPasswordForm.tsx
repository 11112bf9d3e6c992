'use client';

/**
 * "Forgot password?" on a platform with a mail server: asks for a reset link. The answer is the
 * same whether an account has the email or not, and is shown as the server words it.
 */
import { useId, useState, type FormEvent } from 'react';
import { apiErrorOf, apiFetch } from '@/lib/http/api-client';
import styles from './AuthForm.module.css';

export function ForgotPasswordForm() {
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState<string | null>(null);
  const [isBusy, setIsBusy] = useState(false);
  const ids = { email: useId(), error: useId() };

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const email = String(new FormData(event.currentTarget).get('email') ?? '');
    setIsBusy(true);
    setError(null);
    try {
      const response = await apiFetch('/api/auth/password-reset', {
        method: 'POST',
        body: JSON.stringify({ email }),
      });
      if (!response.ok) {
        setError((await apiErrorOf(response)).message);
        return;
      }
      setSent(((await response.json()) as { message: string }).message);
    } catch {
      setError('The platform cannot be reached. Check your network connection and try again.');
    } finally {
      setIsBusy(false);
    }
  }

  if (sent) {
    return (
      <p role="status" className={styles.notice}>
        {sent}
      </p>
    );
  }
  return (
    <form className={styles.form} onSubmit={(event) => void submit(event)} noValidate>
      <div className={styles.field}>
        <label htmlFor={ids.email}>Email</label>
        <input
          id={ids.email}
          name="email"
          type="email"
          autoComplete="username"
          required
          maxLength={254}
          aria-describedby={error ? ids.error : undefined}
        />
      </div>
      <div id={ids.error} role="alert" className={styles.error}>
        {error}
      </div>
      <button type="submit" className={`button ${styles.submit}`} disabled={isBusy}>
        {isBusy ? 'Sending…' : 'Send me a link'}
      </button>
    </form>
  );
}
