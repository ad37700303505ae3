import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Container } from 'inversify';
import Koa from 'koa';
import { TOKENS } from '../tokens';

/**
 * `GET /metrics` on a port of its own, for processes without the HTTP API (workers, one job):
 * `web` and `all` serve it on the API's port.
 */
export const startMetricsServer = async (container: Container, port: number): Promise<{ port: number; stop: () => Promise<void> }> => {
  const app = new Koa();
  app.use(container.get(TOKENS.metrics).middleware());
  app.use((ctx) => {
    ctx.status = 404;
  });
  const server = createServer(app.callback());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
};
