import Link from 'next/link';
import { AccountMenu } from './AccountMenu';
import { SearchDialog } from './SearchDialog';
import { ThemeToggle } from './ThemeToggle';

/**
 * The header of every page. It renders the same for everyone (chapters stay static); the account
 * corner finds out in the browser who is logged in (AccountMenu).
 */
export function SiteHeader() {
  return (
    <header className="site-header">
      <div className="site-header__inner">
        <Link href="/" className="brand">
          <span className="brand__mark" aria-hidden="true">
            ◆
          </span>
          MLOps Academy
        </Link>
        <nav aria-label="Main" className="site-nav">
          <Link href="/learn">Course</Link>
          <Link href="/labs">Labs</Link>
          <Link href="/learn/glossary">Glossary</Link>
        </nav>
        <SearchDialog />
        <ThemeToggle />
        <AccountMenu />
      </div>
    </header>
  );
}
