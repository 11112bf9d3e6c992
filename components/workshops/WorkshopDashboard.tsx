'use client';

/**
 * The instructor's live grid: a row per learner, a column per step of the workshop's labs, each
 * cell an icon and a word (passed, skipped, failed with how many tries, not tried) and whether the
 * solution was shown; then the learner's sandboxes, last activity, a "stuck" badge, a link to
 * watch them and a reset of their password (a temporary one, shown once). It asks the server again every few seconds (and at once when the tab comes back into
 * view). Above it, "Start everyone at step N".
 */
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { ResetPasswordButton } from '@/components/admin/ResetPasswordButton';
import { timeAgo } from '@/components/ui/relative-time';
import type { DashboardLearner, DashboardView } from '@/lib/workshops/dashboard';
import { cellLabel, sandboxSummary } from './format';
import { StartEveryoneAt } from './StartEveryoneAt';
import styles from './Workshops.module.css';

export const dashboardPollMs = 2_500;

type Props = { workshopId: string; initial: DashboardView };

function useLiveDashboard(workshopId: string, initial: DashboardView) {
  const [view, setView] = useState(initial);
  const [problem, setProblem] = useState<string | null>(null);
  const [now, setNow] = useState(() => Date.parse(initial.generatedAt));

  useEffect(() => {
    let isCancelled = false;
    let isLoading = false;
    const load = async () => {
      if (isLoading || document.visibilityState === 'hidden') return;
      isLoading = true;
      try {
        const response = await fetch(`/api/workshops/${encodeURIComponent(workshopId)}/dashboard`, {
          cache: 'no-store',
          credentials: 'same-origin',
        });
        if (!response.ok) throw new Error(`The server answered ${response.status}.`);
        const body = (await response.json()) as { view: DashboardView };
        if (isCancelled) return;
        setView(body.view);
        setNow(Date.now());
        setProblem(null);
      } catch (error) {
        if (!isCancelled) {
          setProblem(
            `Live updates are paused (${error instanceof Error ? error.message : 'no answer'}); retrying…`,
          );
        }
      } finally {
        isLoading = false;
      }
    };
    const timer = window.setInterval(() => void load(), dashboardPollMs);
    const onVisible = () => void load();
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      isCancelled = true;
      window.clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [workshopId]);

  return { view, problem, now };
}

function LearnerRow({
  learner,
  view,
  workshopId,
  now,
}: {
  learner: DashboardLearner;
  view: DashboardView;
  workshopId: string;
  now: number;
}) {
  const labTitle = (labId: string) => view.columns.find((c) => c.labId === labId)?.labTitle ?? labId;
  const stuckStep =
    learner.stuck &&
    view.columns.find((c) => c.labId === learner.stuck?.labId && c.stepId === learner.stuck?.stepId);
  const isWatched = learner.sandboxes.some((s) => s.viewers > 0);
  return (
    <tr data-learner={learner.email} data-stuck={learner.stuck ? 'true' : undefined}>
      <th scope="row" className={styles.learnerCell}>
        {learner.name}
        {learner.stuck && (
          <span
            className={`${styles.badge} ${styles.stuck}`}
            title={`${learner.stuck.failures} failed checks in a row on “${stuckStep?.stepTitle ?? learner.stuck.stepId}”`}
          >
            Stuck
          </span>
        )}
        <span className={styles.email}>{learner.email}</span>
        {learner.stuck && (
          <span className={styles.email}>
            {learner.stuck.failures} failed checks in a row on “{stuckStep?.stepTitle ?? learner.stuck.stepId}
            ”
          </span>
        )}
      </th>
      {learner.cells.map((cell, index) => {
        const label = cellLabel[cell.status];
        const isLabStart = index === 0 || learner.cells[index - 1]?.labId !== cell.labId;
        return (
          <td
            key={`${cell.labId}/${cell.stepId}`}
            className={`${styles.cell} ${styles[`cell_${cell.status.replace('-', '_')}`]} ${isLabStart ? styles.labStart : ''}`}
            data-step={`${cell.labId}/${cell.stepId}`}
            data-status={cell.status}
          >
            <span className={styles.icon} aria-hidden="true">
              {label.icon}
            </span>
            {label.text}
            {cell.status === 'failed' && ` (${cell.failedAttempts})`}
            {cell.revealed && <span className={styles.revealed}>Solution shown</span>}
          </td>
        );
      })}
      <td data-testid="sandbox-state" className={`${styles.pinned} ${styles.pinSandbox}`}>
        <ul className={styles.sandboxList}>
          {sandboxSummary(learner.sandboxes, labTitle).map((line) => (
            <li key={line.key}>{line.text}</li>
          ))}
        </ul>
      </td>
      <td className={`${styles.pinned} ${styles.pinActivity}`}>
        {learner.lastActivityAt ? (
          <time
            dateTime={learner.lastActivityAt}
            suppressHydrationWarning
            title={new Date(learner.lastActivityAt).toLocaleString()}
          >
            {timeAgo(Date.parse(learner.lastActivityAt), now)}
          </time>
        ) : (
          'never'
        )}
      </td>
      <td className={`${styles.pinned} ${styles.pinWatch}`}>
        <Link
          href={`/instructor/workshops/${encodeURIComponent(workshopId)}/learners/${encodeURIComponent(learner.userId)}`}
          aria-label={`View ${learner.name}’s terminal and files`}
        >
          View
        </Link>
        {isWatched && <span className={styles.email}>being viewed</span>}
        <div className={styles.rowAction}>
          <ResetPasswordButton
            resetUrl={`/api/workshops/${encodeURIComponent(workshopId)}/learners/${encodeURIComponent(learner.userId)}/password`}
            email={learner.email}
          />
        </div>
      </td>
    </tr>
  );
}

export function WorkshopDashboard({ workshopId, initial }: Props) {
  const { view, problem, now } = useLiveDashboard(workshopId, initial);
  const labs = view.columns.reduce<{ labId: string; title: string; span: number }[]>((groups, column) => {
    const last = groups.at(-1);
    if (last?.labId === column.labId) last.span += 1;
    else groups.push({ labId: column.labId, title: column.labTitle, span: 1 });
    return groups;
  }, []);
  const stuck = view.learners.filter((l) => l.stuck).length;
  const learners = view.learners.length === 1 ? '1 learner' : `${view.learners.length} learners`;

  return (
    <section aria-labelledby="dashboard-title" data-testid="workshop-dashboard">
      <div className={styles.toolbar}>
        <h2 id="dashboard-title" style={{ margin: 0 }}>
          Progress
        </h2>
        <p className={styles.muted} role="status" aria-live="polite" style={{ margin: 0 }}>
          {learners}
          {stuck > 0 && ` · ${stuck} stuck`}
        </p>
        <p className={styles.muted} style={{ margin: 0 }}>
          Updated{' '}
          <time dateTime={view.generatedAt} suppressHydrationWarning>
            {new Date(view.generatedAt).toLocaleTimeString()}
          </time>
        </p>
      </div>
      {problem && (
        <p className={styles.error} role="alert">
          {problem}
        </p>
      )}
      {view.learners.length > 0 && <StartEveryoneAt workshopId={workshopId} columns={view.columns} />}
      {!view.runnerAvailable && (
        <p className={styles.error}>The lab runner does not answer: sandbox states are unknown for now.</p>
      )}
      {view.learners.length === 0 ? (
        <p className={styles.muted} data-testid="no-learners">
          Nobody has joined yet. Learners appear here within seconds of joining with the code.
        </p>
      ) : (
        <>
          <p className={styles.muted} id="workshop-grid-help">
            Each learner&rsquo;s steps: passed, skipped, failed (with the number of failed checks) or not
            tried; then their sandbox and last activity. A skipped step was not done: its reference solution
            was copied in. A learner is marked stuck after 3 failed checks in a row on a step. With many
            steps, scroll the grid sideways: the learners and their status stay in view.
          </p>
          <div
            className={styles.tableWrap}
            data-testid="workshop-grid-scroll"
            role="region"
            aria-label="Progress grid"
            aria-describedby="workshop-grid-help"
            tabIndex={0}
          >
            <table className={styles.table} data-testid="workshop-grid">
              <caption className={styles.visuallyHidden}>Progress of each learner, step by step</caption>
              <thead>
                <tr className={styles.labRow}>
                  <td className={styles.learnerCell} />
                  {labs.map((lab) => (
                    <th key={lab.labId} scope="colgroup" colSpan={lab.span} className={styles.labHeader}>
                      {lab.title}
                    </th>
                  ))}
                  <td colSpan={3} className={`${styles.pinned} ${styles.pinStatusGroup}`} />
                </tr>
                <tr className={styles.stepRow}>
                  <th scope="col" className={styles.learnerCell}>
                    Learner
                  </th>
                  {view.columns.map((column, index) => (
                    <th
                      key={`${column.labId}/${column.stepId}`}
                      scope="col"
                      className={`${styles.stepHeader} ${index === 0 || view.columns[index - 1]?.labId !== column.labId ? styles.labStart : ''}`}
                    >
                      {column.stepTitle}
                    </th>
                  ))}
                  <th scope="col" className={`${styles.pinned} ${styles.pinSandbox}`}>
                    Sandbox
                  </th>
                  <th scope="col" className={`${styles.pinned} ${styles.pinActivity}`}>
                    Last activity
                  </th>
                  <th scope="col" className={`${styles.pinned} ${styles.pinWatch}`}>
                    Actions
                  </th>
                </tr>
              </thead>
              <tbody>
                {view.learners.map((learner) => (
                  <LearnerRow
                    key={learner.userId}
                    learner={learner}
                    view={view}
                    workshopId={workshopId}
                    now={now}
                  />
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
