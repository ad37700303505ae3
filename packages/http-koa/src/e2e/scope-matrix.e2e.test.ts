import type { ScopeExpression } from '@taskcluster-queue/core';
import { queueEndpoints } from '../endpoints';
import { useE2e } from '../testing/e2e';
import { caseOf } from '../testing/endpoint-cases';
import { rejection } from '../testing/expect-error';
import { ClientError } from '../testing/taskcluster-client';

// For every endpoint with scopes and every scope its happy path requires, a client holding all
// of them but that one gets 403 InsufficientScopes naming it; holding all of them, neither 401
// nor 403. The required scopes are those the use case checked during a root client's happy call.

const e2e = useE2e({ config: { claimWorkWait: 50 } });

/** "The" scopes of an expression: every member of an AllOf, the first alternative of an AnyOf. */
const scopesOf = (expression: ScopeExpression): string[] => {
  if (typeof expression === 'string') return [expression];
  if ('AllOf' in expression) return expression.AllOf.flatMap(scopesOf);
  return expression.AnyOf.length > 0 ? scopesOf(expression.AnyOf[0]!) : [];
};

const queueHolding = (scopes: readonly string[]) => e2e.queue({ credentials: e2e.newClient(scopes) });

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
  const { call } = await caseOf(name).happy(e2e.f);
  const before = e2e.server.authorizations.length;
  await call(e2e.root).catch(() => undefined);
  const checked = e2e.server.authorizations.slice(before).filter((a) => a.operation === operation);
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
  const status = await outcome(call(queueHolding(needed)));
  expect({ needed, refused: status === 401 || status === 403 }).toEqual({ needed, refused: false });
});
