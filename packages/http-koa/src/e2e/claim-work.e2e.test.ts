import { API_PREFIX } from '../http/app';
import { eventually, useE2e } from '../testing/e2e';
import { slugid, taskDefinition } from '../testing/fixtures';
import { signedFetch } from '../testing/signed-fetch';
import { ROOT } from '../testing/test-server';

// claimWork's long poll. The wait and the poll for other replicas' work are both far longer
// than the test timeout, so a claim can only end early by a wake-up, a disconnect or shutdown:
// a test whose claim is never woken fails by timing out, with no timing assertion.

const e2e = useE2e({ config: { claimWorkWait: 120_000, claimWorkPollInterval: 120_000 } });
const waiting = (taskQueueId: string) => e2e.server.ports.work.waiting(taskQueueId);
type Claimed = { tasks: { status: { taskId: string } }[] };
const claimedIds = (claim: Claimed) => claim.tasks.map((t) => t.status.taskId);

it('answers a waiting claimWork as soon as work becomes pending', async () => {
  const taskQueueId = e2e.f.taskQueueId();
  const claim: Promise<Claimed> = e2e.root.claimWork(taskQueueId, { workerGroup: 'wg', workerId: 'waiter', tasks: 1 });
  await eventually(() => waiting(taskQueueId) === 1);
  const taskId = slugid();
  await e2e.root.createTask(taskId, taskDefinition(taskQueueId));
  expect(claimedIds(await claim)).toEqual([taskId]);
});

it('wakes every waiting claimWork; the one that gets nothing waits on for the next task', async () => {
  const taskQueueId = e2e.f.taskQueueId();
  const claims = ['w1', 'w2'].map((workerId): Promise<Claimed> => e2e.root.claimWork(taskQueueId, { workerGroup: 'wg', workerId, tasks: 1 }));
  await eventually(() => waiting(taskQueueId) === 2);
  const first = slugid();
  await e2e.root.createTask(first, taskDefinition(taskQueueId));
  // One claim takes the task; the other goes back to waiting.
  const tookFirst = () =>
    e2e.server.settled.some((s) => s.operation === 'claimWork' && s.result !== undefined && claimedIds(s.result as Claimed).includes(first));
  await eventually(() => waiting(taskQueueId) === 1 && tookFirst());
  const second = slugid();
  await e2e.root.createTask(second, taskDefinition(taskQueueId));
  const answers = await Promise.all(claims);
  expect(answers.flatMap(claimedIds).sort()).toEqual([first, second].sort());
});

it('answers {tasks: []} when the client disconnects, and leaves later work for others', async () => {
  const taskQueueId = e2e.f.taskQueueId();
  const controller = new AbortController();
  const request = signedFetch(`${e2e.server.rootUrl}${API_PREFIX}/claim-work/${encodeURIComponent(taskQueueId)}`, {
    method: 'POST',
    credentials: ROOT,
    body: { workerGroup: 'wg', workerId: 'gone', tasks: 1 },
    signal: controller.signal,
  }).catch((error: unknown) => error);
  await eventually(() => waiting(taskQueueId) === 1);
  const settledBefore = e2e.server.settled.length;
  controller.abort();
  expect(await request).toMatchObject({ name: 'AbortError' });

  await eventually(() => e2e.server.settled.slice(settledBefore).some((s) => s.operation === 'claimWork'));
  expect(e2e.server.settled.slice(settledBefore).find((s) => s.operation === 'claimWork')).toMatchObject({ result: { tasks: [] } });
  expect(waiting(taskQueueId)).toBe(0);
  const { taskId } = await e2e.f.pending({ taskQueueId });
  expect((await e2e.root.status(taskId)).status.state).toBe('pending');
});

// Last: the server stops serving long polls once it shuts down.
it('answers {tasks: []} to a waiting claimWork when the server shuts down', async () => {
  const taskQueueId = e2e.f.taskQueueId();
  const claim: Promise<Claimed> = e2e.root.claimWork(taskQueueId, { workerGroup: 'wg', workerId: 'shutdown', tasks: 1 });
  await eventually(() => waiting(taskQueueId) === 1);
  e2e.server.shutdown.abort();
  expect(await claim).toEqual({ tasks: [] });
});
