'use client';

import { useCallback, useEffect, useId, useRef, useState, type ReactNode } from 'react';
import styles from './ConfirmDialog.module.css';

export type ConfirmOptions = {
  title: string;
  message: string;
  /** The button that goes ahead, e.g. "Delete" or "Discard changes". */
  confirmLabel: string;
};

export type Confirm = (options: ConfirmOptions) => Promise<boolean>;

/** A modal question before something that cannot be undone; Cancel has the focus. */
function ConfirmDialog({
  title,
  message,
  confirmLabel,
  onAnswer,
}: ConfirmOptions & { onAnswer(isConfirmed: boolean): void }) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const messageId = useId();

  useEffect(() => {
    const dialog = dialogRef.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);

  // Closing first lets the page take the focus back (nothing outside a modal dialog can have it).
  const answer = (isConfirmed: boolean) => {
    dialogRef.current?.close();
    onAnswer(isConfirmed);
  };

  return (
    <dialog
      ref={dialogRef}
      className={styles.dialog}
      aria-labelledby={titleId}
      aria-describedby={messageId}
      onCancel={(event) => {
        event.preventDefault();
        answer(false);
      }}
    >
      <h2 id={titleId} className={styles.title}>
        {title}
      </h2>
      <p id={messageId} className={styles.message}>
        {message}
      </p>
      <div className={styles.actions}>
        <button type="button" className={styles.cancel} autoFocus onClick={() => answer(false)}>
          Cancel
        </button>
        <button type="button" className={styles.confirm} onClick={() => answer(true)}>
          {confirmLabel}
        </button>
      </div>
    </dialog>
  );
}

/** `confirm(options)` resolves to the answer; render `dialog` somewhere in the component. */
export function useConfirm(): { confirm: Confirm; dialog: ReactNode } {
  const [question, setQuestion] = useState<{ options: ConfirmOptions; resolve(ok: boolean): void } | null>(
    null,
  );
  const returnFocusRef = useRef<HTMLElement | null>(null);

  const confirm = useCallback<Confirm>(
    (options) =>
      new Promise<boolean>((resolve) => {
        returnFocusRef.current =
          document.activeElement instanceof HTMLElement ? document.activeElement : null;
        setQuestion((previous) => {
          previous?.resolve(false);
          return { options, resolve };
        });
      }),
    [],
  );

  const dialog = question ? (
    <ConfirmDialog
      {...question.options}
      onAnswer={(isConfirmed) => {
        returnFocusRef.current?.focus();
        question.resolve(isConfirmed);
        setQuestion(null);
      }}
    />
  ) : null;
  return { confirm, dialog };
}
