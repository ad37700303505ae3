import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { createQueue, realClock, type QueueConfig } from '@taskcluster-queue/core';
import { createInMemoryPorts } from '@taskcluster-queue/core/testing';
import { StaticAuthenticator, type ClientRecord } from '../auth/authenticator';
import { HmacCredentialIssuer } from '../auth/temporary-credentials';
import { createApp } from '../http/app';

export const ROOT = { clientId: 'static/taskcluster/root', accessToken: 'root-secret-token-for-tests', scopes: ['*'] };

export interface TestServer {
  readonly rootUrl: string;
  readonly ports: ReturnType<typeof createInMemoryPorts>;
  readonly queue: ReturnType<typeof createQueue>;
  readonly shutdown: AbortController;
  /** Adds a client the server accepts. */
  addClient(client: ClientRecord): void;
  close(): Promise<void>;
}

/**
 * A listening server over the in-memory backend and the real clock, with a root client and
 * response validation on: what the end-to-end tests drive with taskcluster-client.
 */
export const startTestServer = async (config: Partial<QueueConfig> = {}): Promise<TestServer> => {
  const ports = createInMemoryPorts({ clock: realClock });
  const clients: ClientRecord[] = [ROOT];
  const authenticator = new StaticAuthenticator([], ['queue:ping']);
  Object.assign(authenticator, { client: async (id: string) => clients.find((c) => c.clientId === id) });
  const queue = createQueue({ ...ports, credentials: new HmacCredentialIssuer(ROOT) }, { claimWorkWait: 2_000, ...config });
  const shutdown = new AbortController();
  let server: Server | undefined;
  const app = createApp({ queue, authenticator, clock: realClock, rootUrl: 'http://placeholder', validateResponses: true, shutdown: shutdown.signal });
  server = createServer(app.callback());
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    rootUrl: `http://127.0.0.1:${port}`,
    ports,
    queue,
    shutdown,
    addClient: (client) => clients.push(client),
    close: async () => {
      shutdown.abort();
      await new Promise<void>((resolve) => server!.close(() => resolve()));
      server!.closeAllConnections();
    },
  };
};
