import Link from 'next/link';

/** Shown with HTTP 403 when a signed-in user opens a page their role does not allow. */
export default function Forbidden() {
  return (
    <div className="page">
      <h1>You cannot open this page</h1>
      <p>
        Your account does not have the role this page needs. If you think it should, ask an administrator.{' '}
        <Link href="/learn">Go to the course</Link>.
      </p>
    </div>
  );
}
