import { queueEndpoints } from '../endpoints';
import { endpointCases } from '../testing/endpoint-cases';
import { expectError } from '../testing/expect-error';
import { Fixtures } from '../testing/fixtures';
import { startClient, type Client } from '../testing/taskcluster-client';
import { testQueue, type TestQueue } from '../testing/test-queue';
import { ROOT, startTestServer, type TestServer } from '../testing/test-server';

// One happy path and one error path per endpoint of the table, through taskcluster-client
// (or hand-signed requests for the endpoints the client lacks), as the root client.

let server: TestServer;
let client: Client;
let root: TestQueue;
let f: Fixtures;
beforeAll(async () => {
  [server, client] = await Promise.all([startTestServer(), startClient()]);
  root = testQueue(client, server.rootUrl, { credentials: ROOT });
  f = new Fixtures(server);
});
afterAll(async () => {
  await client?.close();
  await server?.close();
});

const endpointNames = queueEndpoints({ startedAt: 0, version: {}, now: () => 0 }).map((endpoint) => endpoint.name);

it('has a case for every endpoint of the table, and none for an endpoint that does not exist', () => {
  expect(Object.keys(endpointCases).sort()).toEqual([...endpointNames].sort());
});

describe.each(endpointNames)('%s', (name) => {
  const cases = endpointCases[name];

  it('answers a valid call', async () => {
    const { call, check, documentedError } = await cases!.happy(f);
    if (documentedError) {
      await expectError(call(root), documentedError);
      return;
    }
    const result: unknown = await call(root);
    check?.(result);
  });

  it('answers an invalid call with the right error', async () => {
    const { call, expected } = await cases!.error(f);
    await expectError(call(root), expected);
  });
});
