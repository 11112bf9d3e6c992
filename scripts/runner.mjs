// `npm run runner`: the lab runner alone (for a separate runner host, or development).
import { ensureDependencies, runTs } from './lib/bootstrap.mjs';

ensureDependencies();
runTs('scripts/platform.ts', ['runner']);
