// `npm run bench [-- --json]`: make sure the production build exists, then run tests/bench.
import { ensureDependencies, runTs } from './lib/bootstrap.mjs';

ensureDependencies({ toStderr: true });
const stdoutToStderr = { stdio: ['inherit', process.stderr, 'inherit'] };
runTs('scripts/platform.ts', ['build'], stdoutToStderr);
runTs('tests/bench/run.ts', process.argv.slice(2));
