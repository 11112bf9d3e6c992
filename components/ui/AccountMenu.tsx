'use client';

/**
 * The header's account corner. Pages such as chapters are static, so who is logged in is asked in
 * the browser (GET /api/auth/me, through current-user.ts) instead of making every page render per
 * request. Signed out: "Log in" and "Sign up". Signed in: a menu under the user's name with My
 * progress, Instructor and Admin (by role) and Log out. Each state takes the same height, so the
 * header does not move when the answer arrives.
 */
import Link from 'next/link';
import { usePathname, useRouter } from 'next/navigation';
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import type { PublicUser } from '@/lib/auth/public-user';
import { hasRole } from '@/lib/auth/roles';
import { apiErrorOf, apiFetch } from '@/lib/http/api-client';
import styles from './AccountMenu.module.css';
import { accountChangedEvent, announceAccountChange } from './account-changed';
import { fetchCurrentUser } from './current-user';

type AccountState =
  { status: 'loading' } | { status: 'signed-out' } | { status: 'signed-in'; user: PublicUser };

function withNext(page: '/login' | '/signup', pathname: string): string {
  const isWorthReturningTo = pathname !== '/' && pathname !== '/login' && pathname !== '/signup';
  return isWorthReturningTo ? `${page}?next=${encodeURIComponent(pathname)}` : page;
}

export function AccountMenu() {
  const pathname = usePathname();
  const [account, setAccount] = useState<AccountState>({ status: 'loading' });
  // The menu is open on the page where it was opened: navigating closes it.
  const [openOn, setOpenOn] = useState<string | null>(null);
  const isOpen = openOn === pathname;
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const menuId = useId();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const containerRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    let isCurrent = true;
    const load = () => {
      fetchCurrentUser()
        .then((user) => {
          if (isCurrent) setAccount(user ? { status: 'signed-in', user } : { status: 'signed-out' });
        })
        .catch(() => {
          if (isCurrent) setAccount({ status: 'signed-out' });
        });
    };
    load();
    window.addEventListener(accountChangedEvent, load);
    return () => {
      isCurrent = false;
      window.removeEventListener(accountChangedEvent, load);
    };
  }, []);

  useEffect(() => {
    if (!isOpen) return;
    const onPointerDown = (event: PointerEvent) => {
      if (!containerRef.current?.contains(event.target as Node)) setOpenOn(null);
    };
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      setOpenOn(null);
      buttonRef.current?.focus();
    };
    document.addEventListener('pointerdown', onPointerDown);
    document.addEventListener('keydown', onKeyDown);
    return () => {
      document.removeEventListener('pointerdown', onPointerDown);
      document.removeEventListener('keydown', onKeyDown);
    };
  }, [isOpen]);

  const logOut = useCallback(async () => {
    setError(null);
    const response = await apiFetch('/api/auth/logout', { method: 'POST' }).catch(() => null);
    if (!response?.ok) {
      setError(response ? (await apiErrorOf(response)).message : 'The platform cannot be reached.');
      return;
    }
    setAccount({ status: 'signed-out' });
    announceAccountChange();
    router.push('/');
    router.refresh();
  }, [router]);

  if (account.status === 'loading') return <div className={styles.placeholder} aria-hidden="true" />;

  if (account.status === 'signed-out') {
    return (
      <div className={styles.links}>
        <Link href={withNext('/login', pathname)} className={styles.link}>
          Log in
        </Link>
        <Link href={withNext('/signup', pathname)} className={`button ${styles.signUp}`}>
          Sign up
        </Link>
      </div>
    );
  }

  const { user } = account;
  return (
    <div className={styles.account} ref={containerRef}>
      <button
        ref={buttonRef}
        type="button"
        className={styles.trigger}
        aria-expanded={isOpen}
        aria-controls={menuId}
        onClick={() => setOpenOn(isOpen ? null : pathname)}
      >
        <span className="visually-hidden">Account menu for </span>
        <span className={styles.name} data-testid="account-name">
          {user.name}
        </span>
        <span aria-hidden="true" className={styles.caret}>
          ▾
        </span>
      </button>
      <div id={menuId} className={styles.panel} hidden={!isOpen}>
        <p className={styles.email}>{user.email}</p>
        <ul className={styles.items}>
          <li>
            <Link href="/me">My progress</Link>
          </li>
          {hasRole(user, 'instructor') && (
            <li>
              <Link href="/instructor">Instructor</Link>
            </li>
          )}
          {hasRole(user, 'admin') && (
            <li>
              <Link href="/admin">Admin</Link>
            </li>
          )}
          <li>
            <button type="button" className={styles.logOut} onClick={() => void logOut()}>
              Log out
            </button>
          </li>
        </ul>
        {error && (
          <p role="alert" className={styles.error}>
            {error}
          </p>
        )}
      </div>
    </div>
  );
}
