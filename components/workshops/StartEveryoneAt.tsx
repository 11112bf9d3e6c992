'use client';

/**
 * "Start everyone at step N", behind a confirmation: every member who has not done the steps before
 * it gets their reference solutions (those steps count as skipped); members with a running sandbox
 * now, the others when they next start the lab. Members already past it are left alone.
 */
import { useRef, useState } from 'react';
import { apiErrorOf, apiFetch } from '@/lib/http/api-client';
import type { DashboardColumn } from '@/lib/workshops/dashboard';
import type { StartEveryoneOutcome } from '@/lib/workshops/jump';
import styles from './Workshops.module.css';

type Props = { workshopId: string; columns: DashboardColumn[] };

/** The steps one can start everyone at: every step but the first of each lab. */
function targetsOf(columns: DashboardColumn[]) {
  return columns.flatMap((column, index) => {
    const number = columns.slice(0, index + 1).filter((c) => c.labId === column.labId).length;
    return number > 1 ? [{ ...column, number, value: `${column.labId}/${column.stepId}` }] : [];
  });
}

function learners(n: number): string {
  return n === 1 ? '1 learner' : `${n} learners`;
}

export function StartEveryoneAt({ workshopId, columns }: Props) {
  const targets = targetsOf(columns);
  const dialog = useRef<HTMLDialogElement>(null);
  const [chosen, setChosen] = useState(targets[0]?.value ?? '');
  const [message, setMessage] = useState<{ text: string; isError: boolean } | null>(null);
  const [isBusy, setIsBusy] = useState(false);
  const target = targets.find((t) => t.value === chosen) ?? targets[0];
  if (!target) return null;
  const hasSeveralLabs = new Set(columns.map((c) => c.labId)).size > 1;
  const describe = (t: (typeof targets)[number]) =>
    `${hasSeveralLabs ? `${t.labTitle}: ` : ''}step ${t.number}, ${t.stepTitle}`;

  async function start(step: (typeof targets)[number]) {
    setIsBusy(true);
    setMessage(null);
    try {
      const response = await apiFetch(`/api/workshops/${encodeURIComponent(workshopId)}/jump`, {
        method: 'POST',
        body: JSON.stringify({ labId: step.labId, stepId: step.stepId }),
      });
      if (!response.ok) return setMessage({ text: (await apiErrorOf(response)).message, isError: true });
      const outcome = (await response.json()) as StartEveryoneOutcome;
      const parts = [
        `${learners(outcome.moved)} moved now`,
        `${learners(outcome.pending)} when they start the lab`,
        `${learners(outcome.alreadyThere)} already there`,
      ];
      setMessage({
        text:
          `Started everyone at ${describe(step)}: ${parts.join(', ')}.` +
          (outcome.failed ? ` ${learners(outcome.failed)} could not be moved; try again.` : ''),
        isError: outcome.failed > 0,
      });
    } catch {
      setMessage({ text: 'The platform cannot be reached. Try again.', isError: true });
    } finally {
      setIsBusy(false);
    }
  }

  return (
    <div className={styles.toolbar}>
      <label className={styles.inlineField}>
        Start everyone at
        <select value={target.value} onChange={(event) => setChosen(event.target.value)} disabled={isBusy}>
          {targets.map((t) => (
            <option key={t.value} value={t.value}>
              {describe(t)}
            </option>
          ))}
        </select>
      </label>
      <button
        type="button"
        className="button button--secondary"
        disabled={isBusy}
        onClick={() => {
          if (!dialog.current) return;
          dialog.current.returnValue = '';
          dialog.current.showModal();
        }}
      >
        {isBusy ? 'Starting…' : 'Start everyone here…'}
      </button>
      <span role="status" className={message?.isError ? styles.error : styles.success}>
        {message?.text}
      </span>
      <dialog
        ref={dialog}
        className={styles.dialog}
        aria-labelledby="start-everyone-title"
        onClose={() => {
          if (dialog.current?.returnValue === 'start') void start(target);
        }}
      >
        <form method="dialog">
          <h2 id="start-everyone-title">Start everyone at {describe(target)}?</h2>
          <p>
            Every learner who has not done the steps before it gets their reference solutions in the
            workspace, replacing their own version of those files, and those steps are marked skipped: they do
            not count as passed. Learners with a running sandbox are moved now, the others when they next
            start the lab. Learners who passed or skipped every earlier step are left as they are.
          </p>
          <div className={styles.dialogActions}>
            <button type="submit" value="cancel" className="button button--secondary">
              Cancel
            </button>
            <button type="submit" value="start" className="button">
              Start everyone here
            </button>
          </div>
        </form>
      </dialog>
    </div>
  );
}
