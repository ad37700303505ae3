import type { ScopeExpression } from '@taskcluster-queue/core';
import { queueEndpoints } from '../endpoints';
import { endpointCases } from '../testing/endpoint-cases';
import { rejection } from '../testing/expect-error';
import { Fixtures } from '../testing/fixtures';
import { ClientError, startClient, type Client } from '../testing/taskcluster-client';
import { testQueue, type TestQueue } from '../testing/test-queue';
import { ROOT, startTestServer, type TestServer } from '../testing/test-server';

// For every endpoint with scopes and every scope its happy path requires, a client holding all
// of them but that one gets 403 InsufficientScopes naming it; holding all of them, no 403.

let server: TestServer;
let client: Client;
let f: Fixtures;
beforeAll(async () => {
  [server, client] = await Promise.all([startTestServer({ config: { claimWorkWait: 50 } }), startClient()]);
  f = new Fixtures(server);
});
afterAll(async () => {
  await client?.close();
  await server?.close();
});

/** "The" scopes of an expression: every member of an AllOf, the first alternative of an AnyOf. */
const scopesOf = (expression: ScopeExpression): string[] => {
  if (typeof expression === 'string') return [expression];
  if ('AllOf' in expression) return expression.AllOf.flatMap(scopesOf);
  return expression.AnyOf.length > 0 ? scopesOf(expression.AnyOf[0]!) : [];
};

let clients = 0;
const queueHolding = (scopes: readonly string[]): TestQueue => {
  clients += 1;
  const credentials = { clientId: `matrix/client-${clients}`, accessToken: `matrix-secret-${clients}` };
  server.addClient({ ...credentials, scopes });
  return testQueue(client, server.rootUrl, { credentials });
};

const outcome = async (call: Promise<unknown>): Promise<number> => {
  try {
    await call;
    return 200;
  } catch (error) {
    if (error instanceof ClientError && error.statusCode !== undefined) return error.statusCode;
    throw error;
  }
};

const endpoints = queueEndpoints({ startedAt: 0, version: {}, now: () => 0 });
const withScopes = endpoints.filter((endpoint) => endpoint.scopes !== undefined);

it('leaves only the health endpoints without scopes', () => {
  expect(endpoints.filter((endpoint) => endpoint.scopes === undefined).map((endpoint) => endpoint.name).sort()).toEqual(
    ['heartbeat', 'lbheartbeat', 'ping', 'version'],
  );
});

it.each(withScopes.map((endpoint) => [endpoint.name, endpoint.scopes!] as const))('%s refuses a client lacking any one scope', async (name, operation) => {
  const { call } = await endpointCases[name]!.happy(f);
  const before = server.authorizations.length;
  await call(testQueue(client, server.rootUrl, { credentials: ROOT })).catch(() => undefined);
  const checked = server.authorizations.slice(before).filter((a) => a.operation === operation);
  const needed = [...new Set(checked.flatMap((a) => scopesOf(a.expression)))];
  expect(needed.length).toBeGreaterThan(0);

  for (const missing of needed) {
    const error = await rejection(call(queueHolding(needed.filter((scope) => scope !== missing))));
    const lacks = /lacks scopes: (.*) \(required:/.exec(error.message)?.[1] ?? error.message;
    expect({ missing, statusCode: error.statusCode, code: error.code, namesIt: lacks.includes(missing) }).toEqual({
      missing,
      statusCode: 403,
      code: 'InsufficientScopes',
      namesIt: true,
    });
  }
  expect({ needed, status: await outcome(call(queueHolding(needed))) }).not.toEqual({ needed, status: 403 });
});
