import type { TestQueue } from '../test-queue';
import type { EndpointCase, EndpointCases } from './case';

type HealthMethod = 'ping' | 'lbheartbeat' | 'version' | 'heartbeat';

/** Health endpoints need no credentials; the only error is a method they do not answer. */
const healthCase = (method: HealthMethod, path: string, expected: object): EndpointCase => ({
  happy: async () => ({ call: (q: TestQueue) => q[method](), check: (result) => expect(result).toMatchObject(expected) }),
  error: async () => ({ call: (q: TestQueue) => q.raw('POST', path), expected: { statusCode: 404, code: 'ResourceNotFound' } }),
});

export const healthCases: EndpointCases = {
  ping: healthCase('ping', '/ping', { alive: true }),
  lbheartbeat: healthCase('lbheartbeat', '/__lbheartbeat__', {}),
  version: healthCase('version', '/__version__', { version: '0.0.0-test' }),
  heartbeat: healthCase('heartbeat', '/__heartbeat__', {}),
};
