/**
 * `labkit serve <service> [--port N] [--host H] --data DIR [--workspace DIR]`: runs one labkit
 * service in the foreground until SIGINT/SIGTERM: `tracking` (the MLflow-compatible tracking server
 * and model registry, 127.0.0.1:5000 in sandboxes) or `pipelines` (the read-only view of the
 * learner's DVC project for the Pipelines tab, 127.0.0.1:5100). `npm run labkit -- serve tracking
 * --port 5055 --data <dir>` runs one on the host. Each service's code is imported only when it is
 * the one served, so each process compiles only its own.
 */
import { parseArgs } from 'node:util';
import type { FastifyInstance } from 'fastify';
import {
  labkitServiceNames,
  labkitServices as serviceTable,
  sandboxWorkspace,
} from '@/lab-runner/api/labkit-services';

export const labkitServices = labkitServiceNames;
export type LabkitService = (typeof labkitServices)[number];

export type ServeOptions = {
  service: LabkitService;
  port: number;
  host: string;
  dataDir: string;
  /** The workspace the pipelines service reads: `--workspace`, `$LABKIT_WORKSPACE`, else the sandbox's. */
  workspace: string;
};

const builders: Record<LabkitService, (options: ServeOptions) => Promise<FastifyInstance>> = {
  tracking: async ({ dataDir }) => (await import('../tracking/server')).buildTrackingServer({ dataDir }),
  pipelines: async ({ dataDir, workspace }) =>
    (await import('../pipelines/service/server')).buildPipelinesServer({ dataDir, workspace }),
};

/** Reads `serve` arguments; throws an Error whose message says what is wrong. */
export function parseServeArguments(
  args: string[],
  env: Record<string, string | undefined> = process.env,
): ServeOptions {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      data: { type: 'string' },
      workspace: { type: 'string' },
    },
  });
  const [service, ...extra] = positionals;
  if (!service || !(labkitServices as readonly string[]).includes(service)) {
    throw new Error(`Name a service to serve: ${labkitServices.join(', ')}.`);
  }
  if (extra.length) throw new Error(`Unexpected argument "${extra[0]}".`);
  const port = values.port === undefined ? serviceTable[service as LabkitService].port : Number(values.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`--port must be a port number (1–65535), not "${values.port}".`);
  }
  if (!values.data) throw new Error('--data <dir> is required: where the service keeps its data.');
  const workspace = values.workspace || env.LABKIT_WORKSPACE || sandboxWorkspace;
  return { service: service as LabkitService, port, host: values.host, dataDir: values.data, workspace };
}

export async function serve(options: ServeOptions): Promise<() => Promise<void>> {
  const app = await builders[options.service](options);
  await app.listen({ port: options.port, host: options.host });
  console.log(
    `labkit ${options.service}: listening on http://${options.host}:${options.port} (data in ${options.dataDir})`,
  );
  return () => app.close();
}

export const serveUsage = `Usage: labkit serve <${labkitServiceNames.join('|')}> --data <dir> [--port N] [--host H] [--workspace <dir>]`;

/** `labkit serve …`: runs until SIGINT or SIGTERM, then closes the service cleanly. */
export const serveCommand = {
  summary: 'run a labkit service in the foreground',
  async run(args: string[]): Promise<number> {
    if (args.includes('--help') || args.includes('-h')) {
      console.log(serveUsage);
      return 0;
    }
    let close: () => Promise<void>;
    try {
      close = await serve(parseServeArguments(args));
    } catch (error) {
      console.error(`labkit: ${(error as Error).message}`);
      console.error(serveUsage);
      return 2;
    }
    await new Promise<void>((resolve) => {
      for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve());
    });
    await close();
    return 0;
  },
};
