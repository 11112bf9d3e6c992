// `npm run dev`: the same preparation as `npm start`, then Next.js in development mode.
import { ensureDependencies, runTsForwardingSignals } from './lib/bootstrap.mjs';

ensureDependencies();
runTsForwardingSignals('scripts/platform.ts', ['dev']);
