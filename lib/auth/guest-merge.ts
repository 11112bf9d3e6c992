/**
 * A browser that still holds a guest session (from before accounts) logs in to an existing
 * account: the guest's lab work moves to that account and the guest is removed.
 *
 * Every graded check and quiz attempt moves (they are a history). A solution reveal moves unless
 * the account revealed that step too (then the earlier date is kept). A lab both worked on keeps
 * the earlier start, the later visit with its current step, and the earlier completion.
 * The guest's sandbox, if one still runs, is left to the runner's idle reaper.
 */
import 'server-only';
import { getDb } from '@/lib/db/client';

const earlier = (a: Date | null, b: Date | null) => (a && b ? (a < b ? a : b) : (a ?? b));

export async function mergeGuestInto(guestId: string, userId: string): Promise<void> {
  if (guestId === userId) return;
  await getDb().$transaction(async (tx) => {
    const guest = await tx.user.findFirst({ where: { id: guestId, guest: true } });
    if (!guest) return;

    await tx.labStepResult.updateMany({ where: { userId: guestId }, data: { userId } });
    await tx.quizAttempt.updateMany({ where: { userId: guestId }, data: { userId } });

    const reveals = await tx.solutionReveal.findMany({ where: { userId: guestId } });
    for (const reveal of reveals) {
      const key = { userId_labId_stepId: { userId, labId: reveal.labId, stepId: reveal.stepId } };
      const mine = await tx.solutionReveal.findUnique({ where: key });
      if (!mine) {
        await tx.solutionReveal.update({ where: { id: reveal.id }, data: { userId } });
        continue;
      }
      if (reveal.createdAt < mine.createdAt) {
        await tx.solutionReveal.update({ where: { id: mine.id }, data: { createdAt: reveal.createdAt } });
      }
    }

    const progress = await tx.labProgress.findMany({ where: { userId: guestId } });
    for (const theirs of progress) {
      const key = { userId_labId: { userId, labId: theirs.labId } };
      const mine = await tx.labProgress.findUnique({ where: key });
      if (!mine) {
        await tx.labProgress.create({ data: { ...theirs, userId } });
        continue;
      }
      const isGuestLater = theirs.lastOpenedAt > mine.lastOpenedAt;
      await tx.labProgress.update({
        where: key,
        data: {
          startedAt: earlier(mine.startedAt, theirs.startedAt) ?? mine.startedAt,
          lastOpenedAt: isGuestLater ? theirs.lastOpenedAt : mine.lastOpenedAt,
          currentStep: isGuestLater ? (theirs.currentStep ?? mine.currentStep) : mine.currentStep,
          completedAt: earlier(mine.completedAt, theirs.completedAt),
        },
      });
    }

    // Cascades remove the guest's remaining rows (its session, duplicate reveals, its progress).
    await tx.user.delete({ where: { id: guestId } });
  });
}
