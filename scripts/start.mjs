// `npm start`: install what is missing, generate the Prisma client, build if needed, migrate, serve.
import { ensureDependencies, runTs } from './lib/bootstrap.mjs';

ensureDependencies();
runTs('scripts/platform.ts', ['start']);
