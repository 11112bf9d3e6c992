// `npm start`: install what is missing, generate the Prisma client, build if needed, migrate, serve.
import { ensureDependencies, runTsForwardingSignals } from './lib/bootstrap.mjs';

ensureDependencies();
runTsForwardingSignals('scripts/platform.ts', ['start']);
