/**
 * `POST /v1/sessions/:id/checks` (server scope): grades one step, its runs as the learner, then its
 * check as the grader (grading/grader.ts), and counts the result in the metrics.
 */
import type { FastifyPluginAsync } from 'fastify';
import { checkBody } from '../../api/requests';
import { gradeStep } from '../../grading/grader';
import type { LabCatalog } from '../../labs';
import type { SessionManager } from '../../sessions/manager';
import type { RunnerMetrics } from '../metrics';
import { parseInput, sessionIdOf } from '../request-input';

export const checkRoutes: FastifyPluginAsync<{
  sessions: SessionManager;
  labs: LabCatalog;
  metrics: RunnerMetrics;
}> = async (app, { sessions, labs, metrics }) => {
  app.post('/v1/sessions/:id/checks', async (request) => {
    const id = sessionIdOf(request);
    const { stepId } = parseInput(checkBody, request.body, 'request body');
    const result = await gradeStep({ sessions, labs }, id, stepId);
    metrics.checks.inc({ status: result.status });
    metrics.checkSeconds.observe(result.durationMs / 1000);
    return result;
  });
};
