import { queueEndpoints } from '../endpoints';
import { useE2e } from '../testing/e2e';
import { caseOf, endpointCases } from '../testing/endpoint-cases';
import { expectError } from '../testing/expect-error';

// One happy path and one error path per endpoint of the table, through taskcluster-client
// (or hand-signed requests for the endpoints the client lacks), as the root client.

const e2e = useE2e();

const endpointNames = queueEndpoints({ startedAt: 0, version: {}, now: () => 0 }).map((endpoint) => endpoint.name);

it('has a case for every endpoint of the table, and none for an endpoint that does not exist', () => {
  expect(Object.keys(endpointCases).sort()).toEqual([...endpointNames].sort());
});

describe.each(endpointNames)('%s', (name) => {
  it('answers a valid call', async () => {
    const { call, check, documentedError } = await caseOf(name).happy(e2e.f);
    if (documentedError) {
      await expectError(call(e2e.root), documentedError);
      return;
    }
    const result: unknown = await call(e2e.root);
    check?.(result);
  });

  it('answers an invalid call with the right error', async () => {
    const { call, expected } = await caseOf(name).error(e2e.f);
    await expectError(call(e2e.root), expected);
  });
});
