'use client';

import { useEffect, useId, useRef, useState } from 'react';
import { useConfirm } from '@/components/lab/editor/ConfirmDialog';
import { apiErrorOf, apiFetch } from '@/lib/http/api-client';
import styles from './Admin.module.css';

/**
 * Resets a user's password to a temporary one (after a confirmation) and shows it once, with a
 * Copy button: the admin (or the workshop's instructor) passes it on in person. Closing the dialog
 * forgets it. `resetUrl` is the API route that resets it (the admin's or the workshop's).
 */
export function ResetPasswordButton({ resetUrl, email }: { resetUrl: string; email: string }) {
  const { confirm, dialog } = useConfirm();
  const [password, setPassword] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [isWorking, setIsWorking] = useState(false);

  async function reset() {
    const isConfirmed = await confirm({
      title: `Reset the password of ${email}?`,
      message:
        'They are logged out everywhere at once, and can log in only with the temporary password you will see next.',
      confirmLabel: 'Reset password',
    });
    if (!isConfirmed) return;
    setIsWorking(true);
    setError(null);
    try {
      const response = await apiFetch(resetUrl, { method: 'POST' });
      if (!response.ok) {
        setError((await apiErrorOf(response)).message);
        return;
      }
      setPassword(((await response.json()) as { password: string }).password);
    } catch {
      setError('The server could not be reached. Try again.');
    } finally {
      setIsWorking(false);
    }
  }

  return (
    <>
      <button type="button" className={styles.smallButton} disabled={isWorking} onClick={() => void reset()}>
        Reset password<span className="visually-hidden"> of {email}</span>
      </button>
      {error ? (
        <p className={styles.error} role="alert">
          {error}
        </p>
      ) : null}
      {dialog}
      {password ? (
        <TemporaryPasswordDialog email={email} password={password} onClose={() => setPassword(null)} />
      ) : null}
    </>
  );
}

function TemporaryPasswordDialog({
  email,
  password,
  onClose,
}: {
  email: string;
  password: string;
  onClose(): void;
}) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const titleId = useId();
  const inputId = useId();
  const [copyStatus, setCopyStatus] = useState('');

  useEffect(() => {
    const dialog = dialogRef.current;
    if (dialog && !dialog.open) dialog.showModal();
    inputRef.current?.select();
  }, []);

  async function copy() {
    try {
      await navigator.clipboard.writeText(password);
      setCopyStatus('Copied.');
    } catch {
      // Without clipboard access (plain http on another host): the text is selected for Ctrl+C.
      inputRef.current?.select();
      setCopyStatus('Press Ctrl+C (⌘C) to copy the selected password.');
    }
  }

  const close = () => {
    dialogRef.current?.close();
    onClose();
  };

  return (
    <dialog
      ref={dialogRef}
      className={styles.dialog}
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        close();
      }}
    >
      <h2 id={titleId}>Temporary password for {email}</h2>
      <p className={styles.note}>
        Give it to them in person or through a channel you trust. It is shown only now: once this dialog is
        closed, only a new reset can tell you a password again.
      </p>
      <div className={styles.passwordRow}>
        <label htmlFor={inputId} className="visually-hidden">
          Temporary password
        </label>
        <input id={inputId} ref={inputRef} readOnly value={password} spellCheck={false} />
        <button type="button" className={styles.smallButton} onClick={() => void copy()}>
          Copy
        </button>
      </div>
      <p className={styles.status} role="status">
        {copyStatus}
      </p>
      <div className={styles.dialogActions}>
        <button type="button" className="button" onClick={close}>
          Done
        </button>
      </div>
    </dialog>
  );
}
