import type { Metadata } from 'next';
import Link from 'next/link';
import { AdminNav } from '@/components/admin/AdminNav';
import styles from '@/components/admin/Admin.module.css';
import { formatMb } from '@/components/admin/format';
import { UsageMeter } from '@/components/admin/UsageMeter';
import { capacitySummary, levelOf } from '@/lib/admin/capacity';
import { countUsersByRole } from '@/lib/admin/users';
import { requirePageUser } from '@/lib/auth/page-guards';
import { RunnerRequestError, type RunnerCapacity } from '@/lib/runner/client';
import { getRunner } from '@/lib/runner/instance';

export const metadata: Metadata = { title: 'Administration' };
export const dynamic = 'force-dynamic';

/** The runner's capacity, or why it cannot be known right now (the runner is down). */
async function readCapacity(): Promise<RunnerCapacity | string> {
  try {
    return await getRunner().capacity();
  } catch (error) {
    if (error instanceof RunnerRequestError) return error.message;
    throw error;
  }
}

export default async function AdminOverviewPage() {
  await requirePageUser('admin');
  const [users, capacity] = await Promise.all([countUsersByRole(), readCapacity()]);
  const summary = typeof capacity === 'string' ? null : capacitySummary(capacity);
  const accounts = users.byRole.learner + users.byRole.instructor + users.byRole.admin;

  return (
    <div className="page">
      <header className="page__header">
        <h1>Administration</h1>
        <p className="page__lead">Accounts and roles, the lab sandboxes and the capacity of this server.</p>
      </header>
      <AdminNav current="/admin" />
      {typeof capacity === 'string' ? (
        <p className={styles.notice} role="alert">
          {capacity}
        </p>
      ) : null}
      <div className={styles.cards}>
        <section className={styles.card} aria-labelledby="overview-users">
          <h2 id="overview-users">Users</h2>
          <dl className={styles.figures}>
            <dt>Learners</dt>
            <dd>{users.byRole.learner}</dd>
            <dt>Instructors</dt>
            <dd>{users.byRole.instructor}</dd>
            <dt>Admins</dt>
            <dd>{users.byRole.admin}</dd>
            <dt>All accounts</dt>
            <dd>{accounts}</dd>
            {users.guests ? (
              <>
                <dt>Guest learners (from before accounts)</dt>
                <dd>{users.guests}</dd>
              </>
            ) : null}
          </dl>
          <Link className={styles.cardLink} href="/admin/users">
            Manage users and roles
          </Link>
        </section>

        <section className={styles.card} aria-labelledby="overview-sandboxes">
          <h2 id="overview-sandboxes">Sandboxes</h2>
          {summary ? (
            <dl className={styles.figures}>
              <dt>Running (or starting)</dt>
              <dd>{summary.sandboxes.inUse}</dd>
              <dt>Stopped (work kept)</dt>
              <dd>{summary.stopped}</dd>
              <dt>Warm pool ready</dt>
              <dd>
                {summary.pool.ready} of {summary.pool.configured}
              </dd>
              <dt>Idle sandboxes stop after</dt>
              <dd>{summary.idleStopMinutes} min</dd>
            </dl>
          ) : (
            <p className={styles.muted}>Unknown while the lab runner cannot be reached.</p>
          )}
          <Link className={styles.cardLink} href="/admin/sandboxes">
            See every sandbox
          </Link>
        </section>

        <section className={styles.card} aria-labelledby="overview-capacity">
          <h2 id="overview-capacity">Capacity</h2>
          {summary ? (
            <>
              <UsageMeter
                label="Sandboxes in use (MAX_SESSIONS)"
                value={`${summary.sandboxes.inUse} of ${summary.sandboxes.limit}`}
                percent={summary.sandboxes.percent}
                level={summary.sandboxes.level}
              />
              <UsageMeter
                label="Host memory in use"
                value={`${formatMb(summary.memory.hostUsedMb)} of ${formatMb(summary.memory.hostTotalMb)}`}
                percent={summary.memory.hostPercent}
                level={levelOf(summary.memory.hostUsedMb, summary.memory.hostTotalMb)}
              />
              <dl className={styles.figures}>
                <dt>Sandboxes per learner (MAX_SESSIONS_PER_USER)</dt>
                <dd>{summary.perLearnerLimit}</dd>
                <dt>Memory limit per sandbox</dt>
                <dd>{formatMb(summary.memory.sandboxLimitMb)}</dd>
                <dt>Running sandboxes may use up to</dt>
                <dd>{formatMb(summary.memory.committedMb)}</dd>
                <dt>Host CPUs</dt>
                <dd>{summary.hostCpus}</dd>
              </dl>
              {summary.memory.isOvercommitted ? (
                <p className={styles.note}>
                  {summary.sandboxes.limit} sandboxes at their memory limit would need{' '}
                  {formatMb(summary.memory.configuredMb)}, more than this host has: a full class may run out
                  of memory. Lower MAX_SESSIONS or add memory.
                </p>
              ) : null}
            </>
          ) : (
            <p className={styles.muted}>Unknown while the lab runner cannot be reached.</p>
          )}
        </section>
      </div>
    </div>
  );
}
