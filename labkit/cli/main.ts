/**
 * The `labkit` command: `/opt/labkit/bin/labkit` in sandboxes, `npm run labkit -- …` on the host.
 * Each subcommand lives in its own module and exports `run(args): Promise<number>` (the exit code).
 */
export type Command = { summary: string; run: (args: string[]) => Promise<number> };

const commands: Record<string, () => Promise<Command>> = {
  serve: async () => (await import('./serve')).serveCommand,
  services: async () => (await import('./services')).servicesCommand,
  runs: async () => (await import('./runs')).runsCommand,
  models: async () => (await import('./models')).modelsCommand,
  data: async () => (await import('./data')).dataCommand,
  pipeline: async () => (await import('./pipeline')).pipelineCommand,
};

function usage(): string {
  return [
    'Usage: labkit <command> [arguments]',
    '',
    'Commands:',
    '  serve <service> --data DIR [--port N] [--host H]   run a labkit service in the foreground',
    "  services up|down|status [service…]                  start, stop or check the lab's services",
    '  runs list|show|compare                              read the runs on the tracking server',
    '  models list|show|promote                            the model registry: versions, stages, aliases',
    '  data add|status|checkout|push|pull|diff|…           DVC data versioning on .dvc files and the cache',
    '  pipeline repro|status|dag|metrics|plots|exp         DVC pipelines: dvc.yaml, params.yaml, dvc.lock',
    '',
    'Run `labkit <command> --help` for the details of one command.',
  ].join('\n');
}

const [commandName, ...args] = process.argv.slice(2);
if (!commandName || commandName === '--help' || commandName === '-h' || commandName === 'help') {
  console.log(usage());
  process.exit(commandName ? 0 : 2);
}
const load = Object.hasOwn(commands, commandName) ? commands[commandName] : undefined;
if (!load) {
  console.error(`labkit: unknown command "${commandName}".\n\n${usage()}`);
  process.exit(2);
}
const command = await load();
const code = await command.run(args);
if (code !== undefined && code >= 0) process.exitCode = code;
