'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { apiErrorOf, apiFetch } from '@/lib/http/api-client';
import styles from './Admin.module.css';

/**
 * Shown for an account that wrong passwords have locked out: says so, and lifts the lock-out for
 * every address at once (the owner can then log in, or be given a temporary password).
 */
export function UnlockLogInButton({ userId, email }: { userId: string; email: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [isWorking, setIsWorking] = useState(false);

  async function unlock() {
    setIsWorking(true);
    setError(null);
    try {
      const response = await apiFetch(`/api/admin/users/${encodeURIComponent(userId)}/unlock`, {
        method: 'POST',
      });
      if (!response.ok) {
        setError((await apiErrorOf(response)).message);
        return;
      }
      router.refresh();
    } catch {
      setError('The server could not be reached. Try again.');
    } finally {
      setIsWorking(false);
    }
  }

  return (
    <>
      <span className={styles.muted}>Locked out by wrong passwords. </span>
      <button type="button" className={styles.smallButton} disabled={isWorking} onClick={() => void unlock()}>
        Unlock log-in<span className="visually-hidden"> of {email}</span>
      </button>
      {error ? (
        <p className={styles.error} role="alert">
          {error}
        </p>
      ) : null}
    </>
  );
}
