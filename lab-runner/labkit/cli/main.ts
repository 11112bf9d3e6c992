/** The `labkit` command (`npm run labkit -- …`). Subcommands: serve. */
import { parseServeArguments, serve } from './serve';

const [command, ...args] = process.argv.slice(2);
const usage = 'Usage: labkit serve <tracking> [--port N] [--host H] --data <dir>';

if (command !== 'serve') {
  console.error(usage);
  process.exit(2);
}
try {
  const close = await serve(parseServeArguments(args));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => void close().finally(() => process.exit(0)));
  }
} catch (error) {
  console.error(`labkit: ${(error as Error).message}`);
  console.error(usage);
  process.exit(2);
}
