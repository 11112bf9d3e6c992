'use client';

/** Joins the workshop (POST /api/workshops/join), then opens its first lab. */
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { apiErrorOf, apiFetch } from '@/lib/http/api-client';
import styles from './Workshops.module.css';

export function JoinWorkshopButton({ code, title }: { code: string; title: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setIsBusy] = useState(false);

  async function join() {
    setIsBusy(true);
    setError(null);
    try {
      const response = await apiFetch('/api/workshops/join', {
        method: 'POST',
        body: JSON.stringify({ code }),
      });
      if (!response.ok) return setError((await apiErrorOf(response)).message);
      const { firstLab } = (await response.json()) as { firstLab: string | null };
      router.push(firstLab ? `/labs/${encodeURIComponent(firstLab)}` : '/labs');
    } catch {
      setError('The platform cannot be reached. Check your network connection and try again.');
    } finally {
      setIsBusy(false);
    }
  }

  return (
    <div>
      <button type="button" className="button" disabled={isBusy} onClick={() => void join()}>
        {isBusy ? 'Joining…' : `Join “${title}”`}
      </button>
      <p role="alert" className={styles.error}>
        {error}
      </p>
    </div>
  );
}
