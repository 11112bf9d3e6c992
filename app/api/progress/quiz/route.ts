import { apiRoute } from '@/lib/http/api-route';
import { jsonError, readJson } from '@/lib/http/responses';
import { quizSubmissionSchema, submitQuiz } from '@/lib/progress/submissions';

export const dynamic = 'force-dynamic';

/**
 * Grades and saves a quiz attempt of the signed-in learner: `{chapter, quizId, answers}` in, the
 * score computed here from the quiz's correct answers out (`{score, total, best}`).
 */
export async function POST(request: Request) {
  return apiRoute(request, { mutation: true }, async ({ user }) => {
    const input = await readJson(request, quizSubmissionSchema);
    if (input instanceof Response) return input;
    const result = await submitQuiz(user.id, input);
    if (!result.ok) return jsonError(result.status, result.error, result.message);
    return Response.json({ score: result.score, total: result.total, best: result.best }, { status: 201 });
  });
}
