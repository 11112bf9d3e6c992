import { apiRoute } from '@/lib/http/api-route';
import { readJson } from '@/lib/http/responses';
import { quizSubmissionSchema, submitQuiz } from '@/lib/progress/submissions';

export const dynamic = 'force-dynamic';

/**
 * Grades and saves a quiz attempt of the signed-in learner: `{chapter, quizId, answers}` in, the
 * score computed here from the quiz's correct answers out (`{score, total, best}`).
 */
export async function POST(request: Request) {
  return apiRoute(request, { mutation: true }, async ({ user }) => {
    const input = await readJson(request, quizSubmissionSchema);
    return Response.json(await submitQuiz(user.id, input), { status: 201 });
  });
}
