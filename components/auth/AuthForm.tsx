'use client';

/**
 * The log-in and sign-up forms. They post JSON through apiFetch (CSRF header), announce errors in
 * an alert, and on success go to `next` (already checked to be a path on this site) or the course.
 */
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useId, useState, type FormEvent } from 'react';
import { announceAccountChange } from '@/components/ui/account-changed';
import { passwordMinLength } from '@/lib/auth/password-rules';
import { apiErrorOf, apiFetch } from '@/lib/http/api-client';
import styles from './AuthForm.module.css';

type Mode = 'login' | 'signup';

const copy = {
  login: {
    submit: 'Log in',
    busy: 'Logging in…',
    switchText: 'No account yet?',
    switchLink: 'Sign up',
    switchPath: '/signup',
    endpoint: '/api/auth/login',
  },
  signup: {
    submit: 'Create account',
    busy: 'Creating your account…',
    switchText: 'Already have an account?',
    switchLink: 'Log in',
    switchPath: '/login',
    endpoint: '/api/auth/signup',
  },
} as const;

export function AuthForm({ mode, next }: { mode: Mode; next: string | null }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setIsBusy] = useState(false);
  const ids = { email: useId(), name: useId(), password: useId(), hint: useId(), error: useId() };
  const text = copy[mode];
  const withNext = (path: string) => (next ? `${path}?next=${encodeURIComponent(next)}` : path);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const field = (name: string) => String(form.get(name) ?? '');
    const body =
      mode === 'signup'
        ? { email: field('email'), name: field('name'), password: field('password') }
        : { email: field('email'), password: field('password') };
    setIsBusy(true);
    setError(null);
    try {
      const response = await apiFetch(text.endpoint, { method: 'POST', body: JSON.stringify(body) });
      if (!response.ok) {
        setError((await apiErrorOf(response)).message);
        return;
      }
      announceAccountChange();
      router.replace(next ?? '/learn');
      router.refresh();
    } catch {
      setError('The platform cannot be reached. Check your network connection and try again.');
    } finally {
      setIsBusy(false);
    }
  }

  const describedBy = (...extra: string[]) =>
    [...extra, ...(error ? [ids.error] : [])].join(' ') || undefined;

  return (
    <form className={styles.form} onSubmit={(event) => void submit(event)} noValidate>
      <div className={styles.field}>
        <label htmlFor={ids.email}>Email</label>
        <input
          id={ids.email}
          name="email"
          type="email"
          autoComplete={mode === 'signup' ? 'email' : 'username'}
          required
          maxLength={254}
          aria-describedby={describedBy()}
        />
      </div>
      {mode === 'signup' && (
        <div className={styles.field}>
          <label htmlFor={ids.name}>Name</label>
          <input id={ids.name} name="name" type="text" autoComplete="name" required maxLength={80} />
        </div>
      )}
      <div className={styles.field}>
        <label htmlFor={ids.password}>Password</label>
        <input
          id={ids.password}
          name="password"
          type="password"
          autoComplete={mode === 'signup' ? 'new-password' : 'current-password'}
          required
          aria-describedby={describedBy(...(mode === 'signup' ? [ids.hint] : []))}
        />
        {mode === 'signup' && (
          <p id={ids.hint} className={styles.hint}>
            At least {passwordMinLength} characters. A few words you will remember make a good one.
          </p>
        )}
      </div>
      <div id={ids.error} role="alert" className={styles.error}>
        {error}
      </div>
      <button type="submit" className={`button ${styles.submit}`} disabled={isBusy}>
        {isBusy ? text.busy : text.submit}
      </button>
      <p className={styles.switch}>
        {text.switchText} <Link href={withNext(text.switchPath)}>{text.switchLink}</Link>
      </p>
      {mode === 'login' && (
        <p className={styles.switch}>
          <Link href="/forgot-password">Forgot password?</Link>
        </p>
      )}
    </form>
  );
}
