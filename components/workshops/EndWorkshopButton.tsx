'use client';

/** "End workshop", behind a confirmation: no more joins, and the learners' sandboxes stop. */
import { useRouter } from 'next/navigation';
import { useRef, useState } from 'react';
import { apiErrorOf, apiFetch } from '@/lib/http/api-client';
import styles from './Workshops.module.css';

type Props = { workshopId: string; title: string; isEnded: boolean };

export function EndWorkshopButton({ workshopId, title, isEnded }: Props) {
  const router = useRouter();
  const dialog = useRef<HTMLDialogElement>(null);
  const [message, setMessage] = useState<{ text: string; isError: boolean } | null>(null);
  const [isBusy, setIsBusy] = useState(false);

  async function end() {
    setIsBusy(true);
    setMessage(null);
    try {
      const response = await apiFetch(`/api/workshops/${encodeURIComponent(workshopId)}/end`, {
        method: 'POST',
      });
      if (!response.ok) return setMessage({ text: (await apiErrorOf(response)).message, isError: true });
      const { stopped, notStopped } = (await response.json()) as { stopped: number; notStopped: number };
      const sandboxes = (n: number) => (n === 1 ? '1 sandbox' : `${n} sandboxes`);
      setMessage({
        text:
          `The workshop has ended; ${sandboxes(stopped)} stopped.` +
          (notStopped ? ` ${sandboxes(notStopped)} could not be stopped: see the Admin page.` : ''),
        isError: notStopped > 0,
      });
      router.refresh();
    } catch {
      setMessage({ text: 'The platform cannot be reached. Try again.', isError: true });
    } finally {
      setIsBusy(false);
    }
  }

  return (
    <>
      {!isEnded && (
        <button
          type="button"
          className="button button--danger"
          disabled={isBusy}
          onClick={() => {
            if (!dialog.current) return;
            dialog.current.returnValue = '';
            dialog.current.showModal();
          }}
        >
          {isBusy ? 'Ending…' : 'End workshop'}
        </button>
      )}
      <span role="status" className={message?.isError ? styles.error : styles.success}>
        {message?.text}
      </span>
      <dialog
        ref={dialog}
        className={styles.dialog}
        aria-labelledby="end-workshop-title"
        onClose={() => {
          if (dialog.current?.returnValue === 'end') void end();
        }}
      >
        <form method="dialog">
          <h2 id="end-workshop-title">End “{title}”?</h2>
          <p>
            Nobody can join any more, and every learner&rsquo;s sandbox for the workshop&rsquo;s labs stops
            now. Their files and results are kept, and the dashboard and the grades stay available.
          </p>
          <div className={styles.dialogActions}>
            <button type="submit" value="cancel" className="button button--secondary">
              Cancel
            </button>
            <button type="submit" value="end" className="button button--danger">
              End workshop
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}
