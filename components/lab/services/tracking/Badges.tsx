/** The small labels of the tracking pages: a run's status, a model version's stage and aliases. */
import type { ModelStage, RunStatus } from './tracking-client';
import styles from './Tracking.module.css';

const statusWords: Record<RunStatus, string> = {
  RUNNING: 'Running',
  SCHEDULED: 'Scheduled',
  FINISHED: 'Finished',
  FAILED: 'Failed',
  KILLED: 'Killed',
};

export function statusWord(status: RunStatus): string {
  return statusWords[status];
}

export function StatusBadge({ status }: { status: RunStatus }) {
  return (
    <span className={`${styles.badge} ${styles[`status_${status}`] ?? ''}`} data-status={status}>
      {status === 'RUNNING' && <span className={styles.pulse} aria-hidden="true" />}
      {statusWords[status]}
    </span>
  );
}

export function StageBadge({ stage }: { stage: ModelStage }) {
  return (
    <span className={`${styles.badge} ${styles[`stage_${stage}`] ?? ''}`} data-stage={stage}>
      <span className="visually-hidden">Stage: </span>
      {stage}
    </span>
  );
}

export function AliasBadge({ alias }: { alias: string }) {
  return (
    <span className={`${styles.badge} ${styles.alias}`} data-alias={alias}>
      <span className="visually-hidden">Alias: </span>@{alias}
    </span>
  );
}
