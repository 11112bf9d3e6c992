'use client';

import { useRouter } from 'next/navigation';
import { useId, useState } from 'react';
import { roles, type Role } from '@/lib/auth/roles';
import { apiErrorOf, apiFetch } from '@/lib/http/api-client';
import styles from './Admin.module.css';

const roleLabels: Record<Role, string> = { learner: 'Learner', instructor: 'Instructor', admin: 'Admin' };

/** A user's role, changed as soon as another one is chosen; a refusal puts the old one back. */
export function UserRoleSelect({
  userId,
  email,
  role,
  isSelf,
}: {
  userId: string;
  email: string;
  role: Role;
  /** The signed-in admin's own row. */
  isSelf: boolean;
}) {
  const router = useRouter();
  const [value, setValue] = useState<Role>(role);
  const [isSaving, setIsSaving] = useState(false);
  const [message, setMessage] = useState<{ text: string; isError: boolean } | null>(null);
  const statusId = useId();

  async function change(next: Role) {
    const previous = value;
    setValue(next);
    setIsSaving(true);
    setMessage(null);
    try {
      const response = await apiFetch(`/api/admin/users/${encodeURIComponent(userId)}`, {
        method: 'PATCH',
        body: JSON.stringify({ role: next }),
      });
      if (!response.ok) {
        setValue(previous);
        setMessage({ text: (await apiErrorOf(response)).message, isError: true });
        return;
      }
      setMessage({ text: `Now ${roleLabels[next].toLowerCase()}.`, isError: false });
      // An admin who gave up their own admin role may no longer see this page.
      if (isSelf && next !== 'admin') router.refresh();
    } catch {
      setValue(previous);
      setMessage({ text: 'The server could not be reached. Try again.', isError: true });
    } finally {
      setIsSaving(false);
    }
  }

  return (
    <div>
      <select
        className={styles.select}
        aria-label={`Role of ${email}`}
        aria-describedby={statusId}
        value={value}
        disabled={isSaving}
        onChange={(event) => void change(event.target.value as Role)}
      >
        {roles.map((r) => (
          <option key={r} value={r}>
            {roleLabels[r]}
          </option>
        ))}
      </select>
      <p id={statusId} className={message?.isError ? styles.error : styles.status} role="status">
        {message?.text}
      </p>
    </div>
  );
}
