import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createQueue, realClock } from '@taskcluster-queue/core';
import { createInMemoryPorts, InMemoryIdGenerator } from '@taskcluster-queue/core/testing';
import { StaticAuthenticator } from '../auth/authenticator';
import { API_PREFIX, createApp, type RequestObservation } from './app';

// The two hooks a host process (the service) uses: `observe` for request metrics, and
// `middleware` for routes of its own beside the API.

describe('createApp hooks', () => {
  const observed: RequestObservation[] = [];
  let server: Server;
  let base: string;

  beforeAll(async () => {
    const app = createApp({
      queue: createQueue(createInMemoryPorts({ clock: realClock })),
      authenticator: new StaticAuthenticator([], ['queue:status:*']),
      clock: realClock,
      rootUrl: 'http://localhost',
      observe: (observation) => {
        observed.push(observation);
        if (observation.method === 'ping') throw new Error('a broken observer');
      },
      middleware: [
        async (ctx, next) => {
          if (ctx.path !== '/metrics') return next();
          ctx.body = 'metrics here';
        },
      ],
    });
    server = createServer(app.callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('observes every API call with its method, status and duration; a throwing observer changes nothing', async () => {
    expect((await fetch(`${base}${API_PREFIX}/ping`)).status).toBe(200);
    expect((await fetch(`${base}${API_PREFIX}/task/${new InMemoryIdGenerator().slugid()}/status`)).status).toBe(404);
    expect(observed.map(({ method, status }) => [method, status])).toEqual([
      ['ping', 200],
      ['status', 404],
    ]);
    for (const { seconds } of observed) expect(seconds).toBeGreaterThanOrEqual(0);
  });

  it('runs the extra middleware before the API routes', async () => {
    const response = await fetch(`${base}/metrics`);
    expect(await response.text()).toBe('metrics here');
    expect((await fetch(`${base}/nothing-here`)).status).toBe(404);
  });
});
