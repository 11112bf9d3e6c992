/**
 * Sessions as the web app drives them (server scope): create or find a learner's sandbox, list,
 * view, stop, resume, reset, destroy, its resource use, and the runner's capacity.
 */
import type { FastifyPluginAsync } from 'fastify';
import { createSessionBody, listSessionsQuery } from '../../api/requests';
import type { SessionManager } from '../../sessions/manager';
import { capacityView } from '../capacity';
import { parseInput, sessionIdOf } from '../request-input';

export const sessionRoutes: FastifyPluginAsync<{ sessions: SessionManager }> = async (app, { sessions }) => {
  app.get('/v1/capacity', async () => capacityView(sessions));

  app.post('/v1/sessions', async (request, reply) => {
    const { userId, labId } = parseInput(createSessionBody, request.body, 'request body');
    const { session, isNew } = await sessions.create(userId, labId);
    return reply.status(isNew ? 201 : 200).send(sessions.view(session));
  });

  app.get('/v1/sessions', async (request) => {
    const filter = parseInput(listSessionsQuery, request.query, 'query');
    return { sessions: sessions.list(filter).map((s) => sessions.view(s)) };
  });

  app.get('/v1/sessions/:id', async (request) => sessions.view(sessions.get(sessionIdOf(request))));

  for (const action of ['stop', 'resume', 'reset'] as const) {
    app.post(`/v1/sessions/:id/${action}`, async (request) => {
      const session = await sessions[action](sessionIdOf(request));
      return sessions.view(session);
    });
  }

  app.delete('/v1/sessions/:id', async (request, reply) => {
    await sessions.destroy(sessionIdOf(request));
    return reply.status(204).send();
  });

  app.get('/v1/sessions/:id/stats', async (request) => {
    const id = sessionIdOf(request);
    sessions.requireReady(id);
    return sessions.stats(id);
  });
};
