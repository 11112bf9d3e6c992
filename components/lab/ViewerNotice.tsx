/**
 * Tells the learner that an instructor is watching their terminal and files (read-only), for as
 * long as one is: the runner counts the read-only viewers of the sandbox.
 */
import styles from './ViewerNotice.module.css';

export function ViewerNotice({ viewers }: { viewers: number }) {
  if (viewers <= 0) return null;
  return (
    <p className={styles.notice} role="status" data-testid="viewer-notice">
      <span className={styles.icon} aria-hidden="true">
        👁
      </span>
      Your instructor is viewing your terminal and files (read-only: they cannot type or change anything).
    </p>
  );
}
