import type { Metadata } from 'next';
import { ChapterProgressList, LabProgressList, NextLab } from '@/components/progress/MyProgress';
import { MyWorkshops } from '@/components/workshops/MyWorkshops';
import { requirePageUser } from '@/lib/auth/page-guards';
import { progressSummary } from '@/lib/progress/summary';

export const metadata: Metadata = { title: 'Your progress' };

export const dynamic = 'force-dynamic';

export default async function MyProgressPage() {
  const user = await requirePageUser();
  const summary = await progressSummary(user.id);
  return (
    <div className="page">
      <header className="page__header">
        <h1>Your progress</h1>
        <p className="page__lead">
          Signed in as <strong>{user.name}</strong>. Chapters you read, your quiz scores and your labs are
          saved here as you go.
        </p>
        <NextLab summary={summary} />
      </header>
      <LabProgressList labs={summary.labs} />
      <MyWorkshops userId={user.id} />
      <ChapterProgressList chapters={summary.chapters} />
    </div>
  );
}
