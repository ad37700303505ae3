import { callerWithScopes, unrestrictedCaller as root } from '../../caller';
import { defaultQueueConfig } from '../../config';
import { DAY, iso, MINUTE } from '../../domain/time';
import type { CreateTaskRequest } from '../../schemas/task';
import { createInMemoryPorts } from '../../testing/in-memory-ports';
import { claimWork } from '../work/claim-work';
import { createMemo, type UseCaseContext } from '../context';
import { createTask } from '../tasks/create-task';
import { pendingTasks, taskQueueCounts } from '../workers/task-queue-counts';
import { listClaimedTasks, listPendingTasks } from '../workers/task-queue-tasks';

const setup = () => {
  const ports = createInMemoryPorts();
  const ctx: UseCaseContext = { ports, config: { ...defaultQueueConfig, claimWorkWait: 0 }, memo: createMemo() };
  return { ctx, ports, clock: ports.clock };
};
type Env = ReturnType<typeof setup>;

const createPending = async (env: Env, overrides: Partial<CreateTaskRequest> = {}): Promise<string> => {
  const taskId = env.ports.ids.slugid();
  const now = env.clock.now();
  await createTask(env.ctx, root, taskId, {
    taskQueueId: 'prov/wt',
    created: iso(now),
    deadline: iso(now + DAY),
    payload: {},
    metadata: { name: 'test', description: 'a task', owner: 'me@example.com', source: 'https://example.com/src' },
    ...overrides,
  });
  return taskId;
};

const claim = (env: Env, tasks = 1, workerId = 'w1') =>
  claimWork(env.ctx, root, 'prov/wt', { workerGroup: 'wg', workerId, tasks });

const rejectsWith = (promise: Promise<unknown>, code: string) => expect(promise).rejects.toMatchObject({ code });

/** Deletes a task record behind the queue's back (as the expiry job would). */
const dropTask = async (env: Env, taskId: string) => {
  const found = (await env.ports.tasks.get(taskId))!;
  await env.ports.tasks.delete(taskId, found.version);
};

describe('pendingTasks', () => {
  it('is 0 for an empty or unknown task queue', async () => {
    const env = setup();
    expect(await pendingTasks(env.ctx, root, 'prov/wt')).toEqual({
      provisionerId: 'prov',
      workerType: 'wt',
      taskQueueId: 'prov/wt',
      pendingTasks: 0,
    });
  });

  it('counts pending runs exactly, per task queue', async () => {
    const env = setup();
    await createPending(env);
    await createPending(env);
    await createPending(env, { taskQueueId: 'prov/other' });
    expect((await pendingTasks(env.ctx, root, 'prov/wt')).pendingTasks).toBe(2);
    await claim(env);
    expect((await pendingTasks(env.ctx, root, 'prov/wt')).pendingTasks).toBe(1);
    expect((await pendingTasks(env.ctx, root, 'prov/other')).pendingTasks).toBe(1);
  });

  it('rejects a malformed taskQueueId (400)', async () => {
    const env = setup();
    await rejectsWith(pendingTasks(env.ctx, root, 'prov'), 'InvalidRequestArguments');
    await rejectsWith(pendingTasks(env.ctx, root, 'prov/Upper'), 'InvalidRequestArguments');
  });
});

describe('taskQueueCounts', () => {
  it('counts pending and claimed runs', async () => {
    const env = setup();
    expect(await taskQueueCounts(env.ctx, root, 'prov/wt')).toEqual({ taskQueueId: 'prov/wt', pendingTasks: 0, claimedTasks: 0 });
    for (let i = 0; i < 3; i++) await createPending(env);
    await claim(env, 2);
    expect(await taskQueueCounts(env.ctx, root, 'prov/wt')).toEqual({ taskQueueId: 'prov/wt', pendingTasks: 1, claimedTasks: 2 });
  });
});

describe('listPendingTasks', () => {
  it('lists pending runs in claim order (priority, then age), with their definitions', async () => {
    const env = setup();
    const low = await createPending(env);
    await env.clock.advance(MINUTE);
    const high = await createPending(env, { priority: 'high' });
    const { tasks, continuationToken } = await listPendingTasks(env.ctx, root, 'prov/wt');
    expect(continuationToken).toBeUndefined();
    expect(tasks.map((t) => t.taskId)).toEqual([high, low]);
    expect(tasks[1]).toEqual({
      taskId: low,
      runId: 0,
      inserted: iso(env.clock.now() - MINUTE),
      task: (await env.ports.tasks.get(low))!.value.definition,
    });
  });

  it('pages with limit and continuationToken', async () => {
    const env = setup();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await createPending(env));
    const listed: string[] = [];
    let continuationToken: string | undefined;
    do {
      const page = await listPendingTasks(env.ctx, root, 'prov/wt', { limit: 2, ...(continuationToken && { continuationToken }) });
      expect(page.tasks.length).toBeLessThanOrEqual(2);
      listed.push(...page.tasks.map((t) => t.taskId));
      continuationToken = page.continuationToken;
    } while (continuationToken);
    expect(listed).toEqual(ids);
  });

  it('drops a stale hint whose run is no longer pending', async () => {
    const env = setup();
    const running = await createPending(env);
    await claim(env);
    const kept = await createPending(env);
    // A hint left behind for a run that is already running (e.g. by a crash between two writes).
    await env.ports.pending.add({
      taskQueueId: 'prov/wt',
      priority: 'lowest',
      taskId: running,
      runId: 0,
      inserted: iso(env.clock.now()),
      expires: iso(env.clock.now() + DAY),
    });
    expect((await pendingTasks(env.ctx, root, 'prov/wt')).pendingTasks).toBe(2);
    expect((await listPendingTasks(env.ctx, root, 'prov/wt')).tasks.map((t) => t.taskId)).toEqual([kept]);
  });

  it('drops the hint of a deleted task', async () => {
    const env = setup();
    const gone = await createPending(env);
    const kept = await createPending(env);
    await dropTask(env, gone);
    expect((await pendingTasks(env.ctx, root, 'prov/wt')).pendingTasks).toBe(2);
    expect((await listPendingTasks(env.ctx, root, 'prov/wt')).tasks.map((t) => t.taskId)).toEqual([kept]);
  });
});

describe('listClaimedTasks', () => {
  it('lists claimed runs with their workers and definitions', async () => {
    const env = setup();
    const a = await createPending(env);
    const b = await createPending(env);
    await createPending(env);
    await claim(env, 1, 'w1');
    await env.clock.advance(MINUTE);
    await claim(env, 1, 'w2');
    const { tasks } = await listClaimedTasks(env.ctx, root, 'prov/wt');
    const byId = Object.fromEntries(tasks.map((t) => [t.taskId, t]));
    expect(Object.keys(byId).sort()).toEqual([a, b].sort());
    expect(byId[a]).toEqual({
      taskId: a,
      runId: 0,
      workerGroup: 'wg',
      workerId: 'w1',
      claimed: iso(env.clock.now() - MINUTE),
      task: (await env.ports.tasks.get(a))!.value.definition,
    });
    expect(byId[b]).toMatchObject({ workerId: 'w2', claimed: iso(env.clock.now()) });
  });

  it('pages with limit and continuationToken', async () => {
    const env = setup();
    for (let i = 0; i < 3; i++) await createPending(env);
    await claim(env, 3);
    const first = await listClaimedTasks(env.ctx, root, 'prov/wt', { limit: 2 });
    expect(first.tasks).toHaveLength(2);
    const second = await listClaimedTasks(env.ctx, root, 'prov/wt', { limit: 2, continuationToken: first.continuationToken! });
    expect(second.tasks).toHaveLength(1);
    expect(second.continuationToken).toBeUndefined();
    expect(new Set([...first.tasks, ...second.tasks].map((t) => t.taskId)).size).toBe(3);
  });

  it('drops claims whose task is gone or whose run is not running', async () => {
    const env = setup();
    const gone = await createPending(env);
    const kept = await createPending(env);
    const pending = await createPending(env);
    await claim(env, 2);
    await dropTask(env, gone);
    // A claim entry written before a claim that never reached the record.
    await env.ports.claims.put({
      taskQueueId: 'prov/wt',
      taskId: pending,
      runId: 0,
      workerGroup: 'wg',
      workerId: 'w9',
      claimed: iso(env.clock.now()),
      takenUntil: iso(env.clock.now() + 20 * MINUTE),
    });
    expect((await taskQueueCounts(env.ctx, root, 'prov/wt')).claimedTasks).toBe(3);
    expect((await listClaimedTasks(env.ctx, root, 'prov/wt')).tasks.map((t) => t.taskId)).toEqual([kept]);
  });
});

describe('scopes of the task-queue reads', () => {
  it.each([
    ['pendingTasks', (env: Env, scopes: string[]) => pendingTasks(env.ctx, callerWithScopes(scopes), 'prov/wt'), ['queue:pending-count:prov/wt']],
    [
      'taskQueueCounts',
      (env: Env, scopes: string[]) => taskQueueCounts(env.ctx, callerWithScopes(scopes), 'prov/wt'),
      ['queue:pending-count:prov/wt', 'queue:claimed-count:prov/wt'],
    ],
    ['listPendingTasks', (env: Env, scopes: string[]) => listPendingTasks(env.ctx, callerWithScopes(scopes), 'prov/wt'), ['queue:pending-list:prov/wt']],
    ['listClaimedTasks', (env: Env, scopes: string[]) => listClaimedTasks(env.ctx, callerWithScopes(scopes), 'prov/wt'), ['queue:claimed-list:prov/wt']],
  ] as const)('%s needs its scopes', async (_name, call, scopes) => {
    const env = setup();
    await expect(call(env, [...scopes])).resolves.toBeDefined();
    await rejectsWith(call(env, []), 'InsufficientScopes');
    for (const scope of scopes) {
      await rejectsWith(call(env, scopes.filter((s) => s !== scope)), 'InsufficientScopes');
      await rejectsWith(call(env, [scope.replace('prov/wt', 'prov/other')]), 'InsufficientScopes');
    }
  });
});
