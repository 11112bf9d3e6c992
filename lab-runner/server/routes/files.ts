/**
 * The workspace's files (session scope): read a file or folder and the whole tree with `read`
 * access (an instructor's read-only token may), write, create folders, move and delete with
 * `write` access. Paths are checked here; the operations run inside the sandbox as the learner.
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { moveFileBody, writeFileBody } from '../../api/requests';
import type { SessionManager } from '../../sessions/manager';
import type { ExecBudget } from '../exec-budget';
import { parseWorkspacePath, WorkspaceFiles } from '../../workspace-files';
import { parseInput } from '../request-input';

/** `?path=`, relative to the workspace; absent is the workspace itself. */
function pathOf(request: FastifyRequest): string {
  return parseWorkspacePath((request.query as { path?: unknown }).path);
}

export const fileRoutes: FastifyPluginAsync<{ sessions: SessionManager; execBudget: ExecBudget }> = async (
  app,
  { sessions, execBudget },
) => {
  const files = new WorkspaceFiles(sessions);
  // Each operation is an exec in the sandbox: a browser's are counted (the web app's are not).
  app.addHook('preHandler', async (request) => {
    const { caller, session } = request.sessionAccess;
    if (caller.kind === 'browser') execBudget.spend(session.id);
  });

  app.get('/v1/sessions/:id/files', { config: { access: 'read' } }, async (request) =>
    files.read(request.sessionAccess.session.id, pathOf(request)),
  );

  app.get('/v1/sessions/:id/files/tree', { config: { access: 'read' } }, async (request) =>
    files.tree(request.sessionAccess.session.id),
  );

  app.put('/v1/sessions/:id/files', async (request) => {
    const id = request.sessionAccess.session.id;
    const relativePath = pathOf(request);
    const body = parseInput(writeFileBody, request.body, 'request body');
    if ('type' in body) return files.mkdir(id, relativePath);
    return files.write(id, relativePath, Buffer.from(body.content, 'utf8'));
  });

  app.post('/v1/sessions/:id/files/move', async (request) => {
    const body = parseInput(moveFileBody, request.body, 'request body');
    return files.move(
      request.sessionAccess.session.id,
      parseWorkspacePath(body.from),
      parseWorkspacePath(body.to),
    );
  });

  app.delete('/v1/sessions/:id/files', async (request) =>
    files.remove(request.sessionAccess.session.id, pathOf(request)),
  );
};
