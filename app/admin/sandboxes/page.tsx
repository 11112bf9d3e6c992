import type { Metadata } from 'next';
import { AdminNav } from '@/components/admin/AdminNav';
import { SandboxTable } from '@/components/admin/SandboxTable';
import { listSandboxes, type SandboxSnapshot } from '@/lib/admin/sandboxes';
import { requirePageUser } from '@/lib/auth/page-guards';
import { RunnerRequestError } from '@/lib/runner/client';

export const metadata: Metadata = { title: 'Sandboxes · Administration' };
export const dynamic = 'force-dynamic';

async function readSandboxes(): Promise<SandboxSnapshot | null> {
  try {
    return await listSandboxes();
  } catch (error) {
    // The table says the runner is unreachable and keeps asking.
    if (error instanceof RunnerRequestError) return null;
    throw error;
  }
}

export default async function AdminSandboxesPage() {
  await requirePageUser('admin');
  const snapshot = await readSandboxes();
  return (
    <div className="page">
      <header className="page__header">
        <h1>Sandboxes</h1>
        <p className="page__lead">
          Every lab sandbox on the runner with what it uses. Stop keeps the learner&apos;s work (their next
          Start resumes it); Destroy deletes it.
        </p>
      </header>
      <AdminNav current="/admin/sandboxes" />
      <SandboxTable initial={snapshot} />
    </div>
  );
}
