'use client';

/** "Leave workshop", behind a confirmation that says what leaving changes and what it keeps. */
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useConfirm } from '@/components/lab/editor/ConfirmDialog';
import { apiErrorOf, apiFetch } from '@/lib/http/api-client';
import styles from './Workshops.module.css';

export function LeaveWorkshopButton({ workshopId, title }: { workshopId: string; title: string }) {
  const router = useRouter();
  const { confirm, dialog } = useConfirm();
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setIsBusy] = useState(false);

  async function leave() {
    const isConfirmed = await confirm({
      title: `Leave “${title}”?`,
      message:
        'Its instructor will no longer see your progress, your grades or your sandbox. Your files and ' +
        'your progress stay yours; you can join again with the code while the workshop runs.',
      confirmLabel: 'Leave workshop',
    });
    if (!isConfirmed) return;
    setIsBusy(true);
    setError(null);
    try {
      const response = await apiFetch(`/api/workshops/${encodeURIComponent(workshopId)}/leave`, {
        method: 'POST',
      });
      if (!response.ok) return setError((await apiErrorOf(response)).message);
      router.refresh();
    } catch {
      setError('The platform cannot be reached. Try again.');
    } finally {
      setIsBusy(false);
    }
  }

  return (
    <>
      <button
        type="button"
        className="button button--secondary"
        disabled={isBusy}
        onClick={() => void leave()}
      >
        Leave<span className="visually-hidden"> {title}</span>
      </button>
      {error ? (
        <span role="alert" className={styles.error}>
          {error}
        </span>
      ) : null}
      {dialog}
    </>
  );
}
