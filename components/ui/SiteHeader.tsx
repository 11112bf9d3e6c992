import Link from 'next/link';
import { SearchDialog } from './SearchDialog';
import { ThemeToggle } from './ThemeToggle';

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
      </div>
    </header>
  );
}
