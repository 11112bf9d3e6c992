'use client';

/** "Enter the code your instructor gave you": goes to /join/<code>, where joining happens. */
import { useRouter } from 'next/navigation';
import { useId, useState, type FormEvent } from 'react';
import { isJoinCode, joinCodeLength, normalizeJoinCode } from '@/lib/workshops/join-code';
import styles from './Workshops.module.css';

export function JoinCodeForm() {
  const router = useRouter();
  const ids = { code: useId(), error: useId() };
  const [error, setError] = useState<string | null>(null);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const code = normalizeJoinCode(String(new FormData(event.currentTarget).get('code') ?? '').trim());
    if (!isJoinCode(code)) {
      setError(`A workshop code has ${joinCodeLength} letters and digits, such as K7MQ2P.`);
      return;
    }
    setError(null);
    router.push(`/join/${code}`);
  }

  return (
    <form className={styles.form} onSubmit={submit} noValidate>
      <div className={styles.field}>
        <label htmlFor={ids.code}>Workshop code</label>
        <input
          id={ids.code}
          name="code"
          className={styles.codeInput}
          type="text"
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          maxLength={16}
          required
          aria-describedby={error ? ids.error : undefined}
        />
      </div>
      <p id={ids.error} role="alert" className={styles.error}>
        {error}
      </p>
      <div>
        <button type="submit" className="button">
          Continue
        </button>
      </div>
    </form>
  );
}
