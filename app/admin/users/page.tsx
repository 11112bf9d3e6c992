import type { Metadata } from 'next';
import Form from 'next/form';
import Link from 'next/link';
import { AdminNav } from '@/components/admin/AdminNav';
import styles from '@/components/admin/Admin.module.css';
import { formatUtc } from '@/components/admin/format';
import { ResetPasswordButton } from '@/components/admin/ResetPasswordButton';
import { UnlockLogInButton } from '@/components/admin/UnlockLogInButton';
import { UserRoleSelect } from '@/components/admin/UserRoleSelect';
import { parseUserQuery, userQueryHref } from '@/lib/admin/user-query';
import { listUsers } from '@/lib/admin/users';
import { requirePageUser } from '@/lib/auth/page-guards';

export const metadata: Metadata = { title: 'Users · Administration' };
export const dynamic = 'force-dynamic';

export default async function AdminUsersPage({ searchParams }: PageProps<'/admin/users'>) {
  const admin = await requirePageUser('admin');
  const query = parseUserQuery(await searchParams);
  const { users, total, page, pages } = await listUsers(query);

  return (
    <div className="page">
      <header className="page__header">
        <h1>Users</h1>
        <p className="page__lead">
          Change a role, reset a password to a temporary one you hand over yourself, or unlock an account that
          wrong passwords have locked out.
        </p>
      </header>
      <AdminNav current="/admin/users" />
      <Form className={styles.search} role="search" action="/admin/users">
        <label>
          Search by email or name
          <input type="search" name="q" defaultValue={query.search} maxLength={100} />
        </label>
        <button type="submit" className="button button--secondary">
          Search
        </button>
        {query.search ? <Link href="/admin/users">Show everyone</Link> : null}
      </Form>
      <div className={styles.tableWrap}>
        <table className={styles.table}>
          <caption>
            {total === 0
              ? query.search
                ? 'No account matches this search.'
                : 'No accounts yet.'
              : `${total} account${total === 1 ? '' : 's'}${query.search ? ' found' : ''}, newest first; page ${page} of ${pages}.`}
          </caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Joined</th>
              <th scope="col">Last seen</th>
              <th scope="col">Password</th>
            </tr>
          </thead>
          <tbody>
            {users.map((user) => (
              <tr key={user.id} data-testid={`user-${user.id}`}>
                <td className={styles.nameCell}>
                  {user.name}
                  {user.id === admin.id ? <span className={styles.muted}> (you)</span> : null}
                </td>
                <td className={styles.nameCell}>{user.email}</td>
                <td>
                  <UserRoleSelect
                    key={`${user.id}:${user.role}`}
                    userId={user.id}
                    email={user.email}
                    role={user.role}
                    isSelf={user.id === admin.id}
                  />
                </td>
                <td>
                  <time dateTime={user.createdAt}>{formatUtc(user.createdAt).slice(0, 10)}</time>
                </td>
                <td>
                  {user.lastSeenAt ? (
                    <time dateTime={user.lastSeenAt}>{formatUtc(user.lastSeenAt).slice(0, 16)}</time>
                  ) : (
                    <span className={styles.muted}>never</span>
                  )}
                </td>
                <td>
                  {user.isLockedOut ? <UnlockLogInButton userId={user.id} email={user.email} /> : null}
                  <ResetPasswordButton
                    resetUrl={`/api/admin/users/${encodeURIComponent(user.id)}/password`}
                    email={user.email}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {pages > 1 ? (
        <nav className={styles.pager} aria-label="Pages of users">
          {page > 1 ? (
            <Link href={userQueryHref({ search: query.search, page: page - 1 })} rel="prev">
              Previous page
            </Link>
          ) : (
            <span />
          )}
          <span>
            Page {page} of {pages}
          </span>
          {page < pages ? (
            <Link href={userQueryHref({ search: query.search, page: page + 1 })} rel="next">
              Next page
            </Link>
          ) : (
            <span />
          )}
        </nav>
      ) : null}
    </div>
  );
}
