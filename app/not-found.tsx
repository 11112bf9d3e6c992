import Link from 'next/link';

export default function NotFound() {
  return (
    <div className="page">
      <h1>Page not found</h1>
      <p>
        There is nothing at this address. <Link href="/learn">Go to the course</Link>.
      </p>
    </div>
  );
}
