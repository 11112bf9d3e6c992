import Link from 'next/link';
import styles from './Admin.module.css';

const sections = [
  { href: '/admin', label: 'Overview' },
  { href: '/admin/users', label: 'Users' },
  { href: '/admin/sandboxes', label: 'Sandboxes' },
] as const;

export type AdminSection = (typeof sections)[number]['href'];

/** The admin pages' own navigation; rendered by each page after its role check. */
export function AdminNav({ current }: { current: AdminSection }) {
  return (
    <nav aria-label="Administration">
      <ul className={styles.nav}>
        {sections.map((section) => (
          <li key={section.href}>
            <Link href={section.href} aria-current={section.href === current ? 'page' : undefined}>
              {section.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
