/** What the tracking pages say when there is nothing to show, or the service cannot be reached. */
import type { ReactNode } from 'react';
import type { TrackingError } from './tracking-client';
import styles from './Tracking.module.css';

/** The service failed: unavailable (still starting, or stopped) or another error, with a retry. */
export function ServiceProblem({ error, onRetry }: { error: TrackingError; onRetry(): void }) {
  return (
    <div className={styles.problem} role="alert">
      <p>
        <strong>
          {error.isUnavailable ? 'The tracking service is not answering.' : 'Something went wrong.'}
        </strong>{' '}
        {error.message}
      </p>
      <p className={styles.muted}>
        {error.isUnavailable
          ? 'It starts with your sandbox; this page keeps trying every few seconds.'
          : 'This page keeps trying every few seconds.'}
      </p>
      <button type="button" className={`button button--secondary ${styles.smallButton}`} onClick={onRetry}>
        Try again now
      </button>
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className={styles.empty}>
      <h3>{title}</h3>
      {children}
    </div>
  );
}

/** A snippet to copy into the terminal. */
export function Snippet({ label, code }: { label: string; code: string }) {
  return (
    <figure className={styles.snippet}>
      <figcaption>{label}</figcaption>
      <pre>
        <code>{code}</code>
      </pre>
    </figure>
  );
}

export function NoSandbox() {
  return (
    <div className={styles.empty}>
      <h3>Start the lab first</h3>
      <p>This page shows what your sandbox&apos;s tracking service records, once the sandbox is running.</p>
    </div>
  );
}
