/**
 * `POST /v1/sessions/:id/exec` (server scope): runs a command in the sandbox as the learner or the
 * grader. Files sent along go to a private temporary folder the command runs in, so a learner
 * never sees them (a step's check, for instance).
 */
import type { FastifyPluginAsync } from 'fastify';
import { execBody } from '../../api/requests';
import { RunnerError } from '../../errors';
import type { SessionManager } from '../../sessions/manager';
import { parseWorkspacePath } from '../../workspace-files';
import { runWithFilesScript } from '../exec-files';
import { parseInput, sessionIdOf } from '../request-input';

const execOutputLimitBytes = 1024 * 1024;

export const execRoutes: FastifyPluginAsync<{ sessions: SessionManager }> = async (app, { sessions }) => {
  app.post('/v1/sessions/:id/exec', async (request) => {
    const id = sessionIdOf(request);
    const body = parseInput(execBody, request.body, 'request body');
    if (!body.files) {
      return sessions.exec(id, { ...body, outputLimitBytes: execOutputLimitBytes });
    }
    const filePaths = Object.keys(body.files).map((p) => parseWorkspacePath(p));
    if (filePaths.some((p) => p === '')) throw new RunnerError('BAD_REQUEST', 'Every file needs a name.');
    return sessions.exec(id, {
      cmd: ['python3', '-c', runWithFilesScript],
      user: body.user,
      timeoutMs: body.timeoutMs,
      stdin: Buffer.from(JSON.stringify({ files: body.files, cmd: body.cmd })),
      outputLimitBytes: execOutputLimitBytes,
    });
  });
};
