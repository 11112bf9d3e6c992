/**
 * The web app's server: Next.js, plus `/runner/*` proxied to the lab runner (HTTP and WebSocket),
 * so learners reach everything on one origin and one port. `--dev` runs Next.js in development
 * mode. Started by `npm start`, `npm run dev` and the end-to-end tests.
 */
import http from 'node:http';
import next from 'next';
import { getConfig, projectRoot } from '@/lib/config';
import { addressOfIncoming, clientAddressHeader } from '@/lib/http/client-address';
import { createBrowserProxy } from '@/lib/runner/browser-proxy';

const dev = process.argv.includes('--dev');
const { port, host, runnerUrl, trustProxy } = getConfig();

const app = next({ dev, dir: projectRoot, hostname: host, port });
const handle = app.getRequestHandler();
await app.prepare();
const handleUpgrade = app.getUpgradeHandler();
const proxy = createBrowserProxy(runnerUrl);

const server = http.createServer((request, response) => {
  // For the log-in rate limits (lib/auth/login-limiter.ts); a client cannot set it.
  request.headers[clientAddressHeader] = addressOfIncoming(request, trustProxy);
  if (proxy.matches(request)) return proxy.web(request, response);
  void handle(request, response);
});
server.on('upgrade', (request, socket, head) => {
  if (proxy.matches(request)) return proxy.upgrade(request, socket, head);
  void handleUpgrade(request, socket, head);
});

server.listen(port, host, () => {
  console.log(
    `▸ Web app on http://${host}:${port} (${dev ? 'development' : 'production'}); lab runner at ${runnerUrl}`,
  );
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    proxy.close();
    server.close(() => process.exit(0));
    server.closeAllConnections();
    setTimeout(() => process.exit(0), 3_000).unref();
  });
}
