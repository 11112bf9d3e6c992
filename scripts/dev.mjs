// `npm run dev`: the same preparation as `npm start`, then Next.js in development mode.
import { ensureDependencies, runTs } from './lib/bootstrap.mjs';

ensureDependencies();
runTs('scripts/platform.ts', ['dev']);
