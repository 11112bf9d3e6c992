import type { CapacityLevel } from '@/lib/admin/capacity';
import styles from './Admin.module.css';

/**
 * A labelled bar for "in use of configured". The figures are in the text; the bar repeats them
 * for the eye and is hidden from screen readers.
 */
export function UsageMeter({
  label,
  value,
  percent,
  level,
}: {
  label: string;
  value: string;
  percent: number;
  level: CapacityLevel;
}) {
  return (
    <div className={styles.meterRow}>
      <div className={styles.meterLabel}>
        <span>{label}</span>
        <span>{value}</span>
      </div>
      <div className={styles.meter} aria-hidden="true">
        <div
          className={styles.meterFill}
          data-level={level}
          style={{ width: `${Math.min(100, percent)}%` }}
        />
      </div>
    </div>
  );
}
