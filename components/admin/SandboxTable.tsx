'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import { useConfirm } from '@/components/lab/editor/ConfirmDialog';
import { relativeTime } from '@/components/ui/relative-time';
import { sandboxTotals, type SandboxRow } from '@/lib/admin/sandbox-rows';
import type { SandboxSnapshot } from '@/lib/admin/sandboxes';
import { apiErrorOf, apiFetch } from '@/lib/http/api-client';
import styles from './Admin.module.css';
import { formatMb, formatPercent, formatUtc } from './format';

const refreshIntervalMs = 5_000;

const stateLabels: Record<SandboxRow['state'], string> = {
  creating: 'Starting',
  ready: 'Running',
  stopped: 'Stopped',
  error: 'Failed',
  destroyed: 'Destroyed',
};

function When({ iso, now }: { iso: string | null; now: string }) {
  if (!iso) return <span className={styles.muted}>—</span>;
  return (
    <time dateTime={iso} title={formatUtc(iso)}>
      {relativeTime(Date.parse(iso), Date.parse(now))}
    </time>
  );
}

function ownerText(row: SandboxRow): string {
  if (!row.owner) return `deleted user ${row.userId}`;
  return row.owner.guest ? 'guest learner' : row.owner.email;
}

/**
 * Every sandbox with what it uses, refreshed every 5 seconds while the tab is visible. Stop keeps
 * the learner's work; Destroy deletes it, after a confirmation.
 */
export function SandboxTable({ initial }: { initial: SandboxSnapshot | null }) {
  const [snapshot, setSnapshot] = useState<SandboxSnapshot | null>(initial);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const [busyId, setBusyId] = useState<string | null>(null);
  const { confirm, dialog } = useConfirm();
  const isLoading = useRef(false);

  const refresh = useCallback(async () => {
    if (isLoading.current) return;
    isLoading.current = true;
    try {
      const response = await apiFetch('/api/admin/sandboxes');
      if (!response.ok) {
        setLoadError((await apiErrorOf(response)).message);
        return;
      }
      setSnapshot((await response.json()) as SandboxSnapshot);
      setLoadError(null);
    } catch {
      setLoadError('The server could not be reached.');
    } finally {
      isLoading.current = false;
    }
  }, []);

  useEffect(() => {
    const timer = setInterval(() => {
      if (!document.hidden) void refresh();
    }, refreshIntervalMs);
    return () => clearInterval(timer);
  }, [refresh]);

  async function act(row: SandboxRow, action: 'stop' | 'destroy') {
    const who = ownerText(row);
    if (action === 'destroy') {
      const isConfirmed = await confirm({
        title: `Destroy the sandbox of ${who}?`,
        message: `The sandbox for "${row.labTitle}" is deleted with the learner's workspace: every file they changed is lost. Their progress in the course stays.`,
        confirmLabel: 'Destroy sandbox',
      });
      if (!isConfirmed) return;
    }
    setBusyId(row.id);
    try {
      const response = await apiFetch(
        action === 'stop' ? `/api/admin/sandboxes/${row.id}/stop` : `/api/admin/sandboxes/${row.id}`,
        { method: action === 'stop' ? 'POST' : 'DELETE' },
      );
      setAnnouncement(
        response.ok
          ? `${action === 'stop' ? 'Stopped' : 'Destroyed'} the sandbox of ${who} (${row.labTitle}).`
          : `Could not ${action} the sandbox of ${who}: ${(await apiErrorOf(response)).message}`,
      );
    } catch {
      setAnnouncement(`Could not ${action} the sandbox of ${who}: the server could not be reached.`);
    } finally {
      setBusyId(null);
      await refresh();
    }
  }

  if (!snapshot) {
    return (
      <p className={styles.notice} role="alert">
        {loadError ?? 'The lab runner cannot be reached right now.'} The list will appear once it answers.
      </p>
    );
  }

  const totals = sandboxTotals(snapshot.rows);
  const now = snapshot.takenAt;
  return (
    <>
      {loadError ? (
        <p className={styles.notice} role="alert">
          Could not refresh: {loadError} Showing the list from{' '}
          <When iso={now} now={new Date().toISOString()} />.
        </p>
      ) : null}
      <p className={styles.status} role="status">
        {announcement}
      </p>
      <div className={styles.tableWrap}>
        <table className={styles.table}>
          <caption>
            {totals.running} running, {totals.stopped} stopped
            {totals.failed ? `, ${totals.failed} failed` : ''}; together {formatMb(totals.memoryMb)} of
            memory, {formatPercent(totals.cpuPercent)} CPU, {formatMb(totals.diskMb)} of disk. Refreshed every
            5 seconds.
          </caption>
          <thead>
            <tr>
              <th scope="col">Learner</th>
              <th scope="col">Lab</th>
              <th scope="col">State</th>
              <th scope="col">Started</th>
              <th scope="col">Last activity</th>
              <th scope="col">Idle stop</th>
              <th scope="col" className={styles.number}>
                Memory
              </th>
              <th scope="col" className={styles.number}>
                CPU
              </th>
              <th scope="col" className={styles.number}>
                Processes
              </th>
              <th scope="col" className={styles.number}>
                Disk
              </th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {snapshot.rows.length === 0 ? (
              <tr>
                <td colSpan={11} className={styles.muted}>
                  No sandboxes: nobody has a lab open.
                </td>
              </tr>
            ) : null}
            {snapshot.rows.map((row) => {
              const who = ownerText(row);
              const isBusy = busyId === row.id;
              return (
                <tr key={row.id} data-testid={`sandbox-${row.id}`}>
                  <td className={styles.nameCell}>
                    {row.owner && !row.owner.guest ? (
                      <>
                        {row.owner.name}
                        <br />
                        <span className={styles.muted}>{row.owner.email}</span>
                      </>
                    ) : (
                      <span className={styles.muted}>{who}</span>
                    )}
                  </td>
                  <td>{row.labTitle}</td>
                  <td>
                    <span className={styles.state} data-state={row.state}>
                      {stateLabels[row.state]}
                    </span>
                    {row.error ? <div className={styles.error}>{row.error}</div> : null}
                  </td>
                  <td>
                    <When iso={row.createdAt} now={now} />
                  </td>
                  <td>
                    <When iso={row.lastActivityAt} now={now} />
                  </td>
                  <td>
                    <When iso={row.idleStopAt} now={now} />
                  </td>
                  <td className={styles.number}>{row.usage ? formatMb(row.usage.memoryMb) : '—'}</td>
                  <td className={styles.number}>{row.usage ? formatPercent(row.usage.cpuPercent) : '—'}</td>
                  <td className={styles.number}>{row.usage ? row.usage.pids : '—'}</td>
                  <td className={styles.number}>{row.usage ? formatMb(row.usage.diskMb) : '—'}</td>
                  <td>
                    <div className={styles.actions}>
                      {row.state === 'ready' ? (
                        <button
                          type="button"
                          className={styles.smallButton}
                          disabled={isBusy}
                          onClick={() => void act(row, 'stop')}
                        >
                          Stop<span className="visually-hidden"> the sandbox of {who}</span>
                        </button>
                      ) : null}
                      <button
                        type="button"
                        className={`${styles.smallButton} ${styles.dangerButton}`}
                        disabled={isBusy}
                        onClick={() => void act(row, 'destroy')}
                      >
                        Destroy<span className="visually-hidden"> the sandbox of {who}</span>
                      </button>
                    </div>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {dialog}
    </>
  );
}
