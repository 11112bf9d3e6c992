'use client';

/** The join code, big enough to read off a projector, the join link, and buttons to copy them. */
import { useState, useSyncExternalStore } from 'react';
import styles from './Workshops.module.css';

const subscribe = () => () => undefined;

async function copyText(text: string): Promise<boolean> {
  try {
    if (window.isSecureContext && navigator.clipboard) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // Permission refused: fall back to the selection below.
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.append(area);
  area.select();
  const isCopied = document.execCommand('copy');
  area.remove();
  return isCopied;
}

export function JoinCodePanel({ code, isOpen }: { code: string; isOpen: boolean }) {
  const origin = useSyncExternalStore(
    subscribe,
    () => window.location.origin,
    () => '',
  );
  const [copied, setCopied] = useState<string | null>(null);
  const path = `/join/${code}`;
  const link = `${origin}${path}`;

  const copy = async (what: 'code' | 'link') => {
    const isCopied = await copyText(what === 'code' ? code : link);
    setCopied(isCopied ? `The ${what} is copied.` : `Copy the ${what} by hand: the browser refused.`);
  };

  return (
    <section className={`${styles.card} ${styles.codePanel}`} aria-labelledby="join-code-label">
      <div>
        <p id="join-code-label" className={styles.muted}>
          Join code
        </p>
        <p className={styles.code} data-testid="join-code">
          {code}
        </p>
      </div>
      <div>
        <p className={styles.muted}>
          {isOpen ? 'Learners join at' : 'This workshop has ended: nobody can join any more.'}
        </p>
        {isOpen && (
          <p>
            <a href={path} data-testid="join-link">
              {link}
            </a>
          </p>
        )}
        <div className={styles.toolbar}>
          <button type="button" className="button button--secondary" onClick={() => void copy('code')}>
            Copy code
          </button>
          {isOpen && (
            <button type="button" className="button button--secondary" onClick={() => void copy('link')}>
              Copy link
            </button>
          )}
          <span role="status" className={styles.muted}>
            {copied}
          </span>
        </div>
      </div>
    </section>
  );
}
