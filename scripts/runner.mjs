// `npm run runner`: the lab runner alone (for a separate runner host, or development).
import { ensureDependencies, runTsForwardingSignals } from './lib/bootstrap.mjs';

ensureDependencies();
runTsForwardingSignals('scripts/platform.ts', ['runner']);
