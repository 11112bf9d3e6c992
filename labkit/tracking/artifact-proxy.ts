/**
 * The `mlflow-artifacts` proxy MLflow's client uploads to and downloads from: `PUT`, `GET` and
 * `DELETE <prefix>/<path>` for one file, `GET <prefix>?path=<folder>` for a folder's entries. It
 * has its own Fastify scope so uploads stream to disk instead of going through the JSON body
 * parser (and its size limit).
 */
import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import type { ArtifactStore } from './artifacts';
import { invalidParameter } from './errors';
import { parseFields } from './routing';
import { artifactProxyListing, artifactProxyPrefixes } from './wire';

/** The artifact path in a proxy URL, each segment percent-decoded (so `%2e%2e` is `..`, then refused). */
function proxyPathOf(rawUrl: string, prefix: string): string {
  const encoded = (rawUrl.split('?')[0] ?? '').slice(prefix.length + 1);
  try {
    return encoded.split('/').map(decodeURIComponent).join('/');
  } catch {
    throw invalidParameter(`Invalid path: ${JSON.stringify(encoded)}`);
  }
}

export function artifactProxyRoutes(scope: FastifyInstance, artifacts: ArtifactStore): void {
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
  for (const prefix of artifactProxyPrefixes) {
    scope.get(prefix, async (request) => {
      const { path } = parseFields(artifactProxyListing.request, request.query);
      const listing: z.input<typeof artifactProxyListing.response> = {
        files: await artifacts.list(path ?? ''),
      };
      return listing;
    });
    scope.put(`${prefix}/*`, async (request) => {
      const declared = request.headers['content-length'];
      await artifacts.write(
        proxyPathOf(request.raw.url ?? '', prefix),
        request.raw,
        declared === undefined ? undefined : Number(declared),
      );
      return {};
    });
    scope.get(`${prefix}/*`, async (request, reply) => {
      const { stream, size } = await artifacts.read(proxyPathOf(request.raw.url ?? '', prefix));
      return reply.type('application/octet-stream').header('content-length', size).send(stream);
    });
    scope.delete(`${prefix}/*`, async (request) => {
      await artifacts.delete(proxyPathOf(request.raw.url ?? '', prefix));
      return {};
    });
  }
}
