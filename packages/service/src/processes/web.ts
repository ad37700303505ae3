import { createServer, type Server } from 'node:http';
import type { Container } from 'inversify';
import { TOKENS } from '../tokens';

/** How long in-flight requests may take to finish after a shutdown began. */
const SHUTDOWN_GRACE = 30_000;

/**
 * The HTTP API. `stop` stops accepting connections, answers waiting claimWork calls with no
 * tasks, lets in-flight requests finish (then closes kept-alive connections), then resolves.
 */
export const startWeb = async (container: Container): Promise<{ server: Server; stop: () => Promise<void> }> => {
  const config = container.get(TOKENS.config);
  const app = container.get(TOKENS.httpApp);
  const server = createServer(app.callback());
  server.keepAliveTimeout = 65_000;
  let inFlight = 0;
  let stopping = false;
  const settle = () => {
    if (stopping && inFlight === 0) server.closeAllConnections();
  };
  server.on('request', (_req, res) => {
    inFlight++;
    res.once('close', () => {
      inFlight--;
      settle();
    });
  });
  // Browsers upload artifacts straight to the buckets: their CORS rules must allow it (needs s3:PutBucketCORS).
  await container.get(TOKENS.s3)?.configureBuckets();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.PORT, resolve);
  });
  const stop = async () => {
    stopping = true;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    container.get(TOKENS.shutdown).abort();
    server.closeIdleConnections();
    settle();
    const grace = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE);
    await closed;
    clearTimeout(grace);
  };
  return { server, stop };
};
