import type { Credentials } from './hawk';
import { Fixtures } from './fixtures';
import { startClient, type Client } from './taskcluster-client';
import { testQueue, type TestQueue, type TestQueueOptions } from './test-queue';
import { ROOT, startTestServer, type TestServer, type TestServerOptions } from './test-server';

export interface E2e {
  readonly server: TestServer;
  readonly client: Client;
  /** The client's Queue with the root credentials. */
  readonly root: TestQueue;
  readonly f: Fixtures;
  /** The client's Queue with other credentials (none: anonymous). */
  queue(options?: TestQueueOptions): TestQueue;
  /** A new permanent client holding `scopes`, added to the server. */
  newClient(scopes: readonly string[], clientId?: string): Credentials;
}

let clientCount = 0;

/**
 * One test server and one taskcluster-client process for a test file: started in beforeAll,
 * closed in afterAll. Read the fields inside tests (they are set once beforeAll ran).
 */
export const useE2e = (options: TestServerOptions = {}): E2e => {
  const e2e = {} as { -readonly [K in keyof E2e]: E2e[K] };
  beforeAll(async () => {
    const [server, client] = await Promise.all([startTestServer(options), startClient()]);
    Object.assign(e2e, {
      server,
      client,
      root: testQueue(client, server.rootUrl, { credentials: ROOT }),
      f: new Fixtures(server),
      queue: (queueOptions: TestQueueOptions = {}) => testQueue(client, server.rootUrl, queueOptions),
      newClient: (scopes: readonly string[], clientId?: string) => {
        clientCount += 1;
        const credentials = { clientId: clientId ?? `e2e/client-${clientCount}`, accessToken: `e2e-secret-${clientCount}` };
        server.addClient({ ...credentials, scopes });
        return credentials;
      },
    });
  });
  afterAll(async () => {
    await e2e.client?.close();
    await e2e.server?.close();
  });
  return e2e;
};

/** Resolves once `condition` holds, checking every 10 ms (the test's timeout bounds the wait). */
export const eventually = async (condition: () => boolean): Promise<void> => {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
};
