import { startClient, type Client } from '../testing/taskcluster-client';
import { ROOT, startTestServer, type TestServer } from '../testing/test-server';
import { InMemoryIdGenerator } from '@taskcluster-queue/core/testing';

let server: TestServer;
let client: Client;
beforeAll(async () => {
  [server, client] = await Promise.all([startTestServer(), startClient()]);
});
afterAll(async () => {
  await client?.close();
  await server?.close();
});

const ids = new InMemoryIdGenerator();
const fromNow = (ms = 0) => new Date(Date.now() + ms).toISOString();
const queueFor = (credentials: { clientId: string; accessToken: string; certificate?: string } = ROOT) =>
  client.queue({ rootUrl: server.rootUrl, credentials });

const definition = (overrides = {}) => ({
  taskQueueId: 'prov/wt',
  created: fromNow(),
  deadline: fromNow(3600_000),
  payload: {},
  metadata: { name: 't', description: 'd', owner: 'me@example.com', source: 'https://example.com' },
  ...overrides,
});

it('runs createTask → claimWork → reclaimTask → createArtifact → reportCompleted', async () => {
  const queue = queueFor();
  const taskId = ids.slugid();
  const created = await queue.createTask(taskId, definition());
  expect(created.status.state).toBe('pending');
  const { tasks } = await queue.claimWork('prov/wt', { workerGroup: 'wg', workerId: 'w1', tasks: 1 });
  expect(tasks).toHaveLength(1);
  const worker = queueFor(tasks[0].credentials);
  const reclaim = await worker.reclaimTask(taskId, 0);
  const workerAgain = queueFor(reclaim.credentials);
  await workerAgain.createArtifact(taskId, 0, 'public/logs/live.log', {
    storageType: 'reference',
    expires: fromNow(1800_000),
    url: 'https://example.com/log',
  });
  const redirect = await queue.getArtifact(taskId, 0, 'public/logs/live.log');
  expect(redirect).toEqual({ storageType: 'reference', url: 'https://example.com/log' });
  const done = await workerAgain.reportCompleted(taskId, 0);
  expect(done.status.state).toBe('completed');
});
