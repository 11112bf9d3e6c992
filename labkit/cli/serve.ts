/**
 * `labkit serve <service> [--port N] [--host H] [--data DIR]`: runs one labkit service in the
 * foreground until SIGINT/SIGTERM. Today the only service is `tracking` (MLflow-compatible tracking
 * server and model registry). `npm run labkit -- serve tracking --port 5055 --data <dir>` runs it on
 * the host; in sandboxes it will listen on 127.0.0.1:5000.
 */
import { parseArgs } from 'node:util';
import { labkitServiceNames, labkitServices as serviceTable } from '@/lab-runner/api/labkit-services';
import { buildTrackingServer } from '../tracking/server';

export const labkitServices = labkitServiceNames;
export type LabkitService = (typeof labkitServices)[number];

const defaultPorts: Record<LabkitService, number> = { tracking: serviceTable.tracking.port };

export type ServeOptions = { service: LabkitService; port: number; host: string; dataDir: string };

/** Reads `serve` arguments; throws an Error whose message says what is wrong. */
export function parseServeArguments(args: string[]): ServeOptions {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      data: { type: 'string' },
    },
  });
  const [service, ...extra] = positionals;
  if (!service || !(labkitServices as readonly string[]).includes(service)) {
    throw new Error(`Name a service to serve: ${labkitServices.join(', ')}.`);
  }
  if (extra.length) throw new Error(`Unexpected argument "${extra[0]}".`);
  const port = values.port === undefined ? defaultPorts[service as LabkitService] : Number(values.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`--port must be a port number (1–65535), not "${values.port}".`);
  }
  if (!values.data) throw new Error('--data <dir> is required: where the service keeps its data.');
  return { service: service as LabkitService, port, host: values.host, dataDir: values.data };
}

export async function serve(options: ServeOptions): Promise<() => Promise<void>> {
  const app = await buildTrackingServer({ dataDir: options.dataDir });
  await app.listen({ port: options.port, host: options.host });
  console.log(
    `labkit ${options.service}: listening on http://${options.host}:${options.port} (data in ${options.dataDir})`,
  );
  return () => app.close();
}

export const serveUsage = 'Usage: labkit serve <tracking> --data <dir> [--port N] [--host H]';

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
