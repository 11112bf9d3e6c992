/**
 * Tells the learner that an instructor is watching their terminal and files (read-only), for as
 * long as one is: the runner counts the read-only viewers of the sandbox.
 */
import styles from './ViewerNotice.module.css';

export function ViewerNotice({ viewers }: { viewers: number }) {
  if (viewers <= 0) return null;
  return (
    <p className={styles.notice} role="status" data-testid="viewer-notice">
      <svg className={styles.icon} viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
        <path
          d="M12 5C6.5 5 2.7 9.4 1.5 12c1.2 2.6 5 7 10.5 7s9.3-4.4 10.5-7C21.3 9.4 17.5 5 12 5Zm0 11.5a4.5 4.5 0 1 1 0-9 4.5 4.5 0 0 1 0 9Zm0-2.5a2 2 0 1 0 0-4 2 2 0 0 0 0 4Z"
          fill="currentColor"
        />
      </svg>
      Your instructor is viewing your terminal and files (read-only: they cannot type or change anything).
    </p>
  );
}
