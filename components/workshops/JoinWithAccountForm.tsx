'use client';

/**
 * The join page for a visitor: sign up (or log in) and join the workshop in one step. The form
 * names the workshop, so pressing it is the visitor's own choice to join; then it opens the
 * workshop's first lab. Should the join itself fail (the workshop ended meanwhile), the account is
 * made all the same: the page reloads as the signed-in person and says what happened.
 */
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useId, useState, type FormEvent } from 'react';
import styles from '@/components/auth/AuthForm.module.css';
import ownStyles from './Workshops.module.css';
import { announceAccountChange } from '@/components/ui/account-changed';
import { passwordMinLength } from '@/lib/auth/password-rules';
import { apiErrorOf, apiFetch } from '@/lib/http/api-client';

type Mode = 'signup' | 'login';

const offline = 'The platform cannot be reached. Check your network connection and try again.';

const copy = {
  signup: {
    endpoint: '/api/auth/signup',
    submit: 'Sign up and join',
    busy: 'Creating your account…',
    switchText: 'Already have an account?',
    switchTo: 'Log in and join instead',
  },
  login: {
    endpoint: '/api/auth/login',
    submit: 'Log in and join',
    busy: 'Logging in…',
    switchText: 'No account yet?',
    switchTo: 'Sign up and join instead',
  },
} as const;

export function JoinWithAccountForm({ code, title }: { code: string; title: string }) {
  const router = useRouter();
  const [mode, setMode] = useState<Mode>('signup');
  const [error, setError] = useState<string | null>(null);
  const [phase, setPhase] = useState<'idle' | 'account' | 'joining'>('idle');
  const ids = { email: useId(), name: useId(), password: useId(), hint: useId(), error: useId() };
  const text = copy[mode];

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const field = (name: string) => String(form.get(name) ?? '');
    const account =
      mode === 'signup'
        ? // The new account joins in the same request (the only way to sign up when sign-up is
          // limited to workshops); the join below then finds it a member already.
          { email: field('email'), name: field('name'), password: field('password'), joinCode: code }
        : { email: field('email'), password: field('password') };
    setError(null);
    setPhase('account');
    try {
      const signedIn = await apiFetch(text.endpoint, { method: 'POST', body: JSON.stringify(account) });
      if (!signedIn.ok) {
        setError((await apiErrorOf(signedIn)).message);
        setPhase('idle');
        return;
      }
      announceAccountChange();
      setPhase('joining');
      const joined = await apiFetch('/api/workshops/join', {
        method: 'POST',
        body: JSON.stringify({ code }),
      });
      if (!joined.ok) {
        const problem = (await apiErrorOf(joined)).message;
        setError(`Your account is ready, but joining did not work: ${problem}`);
        setPhase('idle');
        router.refresh();
        return;
      }
      const { firstLab } = (await joined.json()) as { firstLab: string | null };
      router.push(firstLab ? `/labs/${encodeURIComponent(firstLab)}` : '/me');
    } catch {
      setError(offline);
      setPhase('idle');
    }
  }

  const isBusy = phase !== 'idle';
  const describedBy = (...extra: string[]) =>
    [...extra, ...(error ? [ids.error] : [])].join(' ') || undefined;

  return (
    <form
      className={`${styles.form} ${ownStyles.joinForm}`}
      onSubmit={(event) => void submit(event)}
      noValidate
      aria-label={`${text.submit} “${title}”`}
      data-testid="join-with-account"
      data-mode={mode}
    >
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
        {phase === 'account' ? text.busy : phase === 'joining' ? 'Joining…' : text.submit}
      </button>
      <p className={styles.switch}>
        {text.switchText}{' '}
        <button
          type="button"
          className={ownStyles.linkButton}
          disabled={isBusy}
          onClick={() => {
            setMode(mode === 'signup' ? 'login' : 'signup');
            setError(null);
          }}
        >
          {text.switchTo}
        </button>
      </p>
      {mode === 'login' && (
        <p className={styles.switch}>
          <Link href="/forgot-password">Forgot password?</Link>
        </p>
      )}
    </form>
  );
}
