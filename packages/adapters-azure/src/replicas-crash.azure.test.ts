import { unrestrictedCaller as root } from '@taskcluster-queue/core';
import { randomSlugid } from '@taskcluster-queue/core/testing';
import { useAzurite } from './azurite.test-support';
import { eventually, Killed, replica, SECOND, TASK_QUEUE, taskDef, type CrashPlan, type Replica } from './replicas.test-support';

// A replica "killed" half-way through an operation: its storage calls fail from a chosen point
// on, as if the process died there (upstream bug #8525). A fresh core instance over the same
// tables ("after restart") then runs the background jobs, and the outcome must be complete:
// nothing stuck (every task reaches a resolution, no hint or claim left over), nothing lost.
const azure = useAzurite('crash');

// Short claims and hint leases, so the repairs that wait for them happen within seconds.
const config = { claimTimeout: 2 * SECOND, leaseDuration: 1 * SECOND };
const worker = (workerId: string, tasks = 1) => ({ workerGroup: 'crash', workerId, tasks });

/** The replica that will die, a survivor, and a way to "restart" (a new instance, same tables). */
const cluster = () => {
  const prefix = azure.prefix();
  const { connectionString } = azure.azurite();
  const doomed = replica('doomed', connectionString, prefix, config);
  const survivor = replica('survivor', connectionString, prefix, config);
  return { doomed, survivor, restart: () => replica('restarted', connectionString, prefix, config) };
};

const at =
  (port: string, method: string, when: 'before' | 'after', taskId?: string): CrashPlan =>
  (call) => {
    if (call.port !== port || call.method !== method) return undefined;
    if (taskId !== undefined && !JSON.stringify(call.args).includes(taskId)) return undefined;
    return when;
  };

/** Runs the background jobs until a pass finds nothing to do. */
const settle = async (r: Replica) => {
  for (let round = 0; round < 100; round++) {
    const results = [await r.queue.jobs.expireClaims(), await r.queue.jobs.resolveDeadlines(), await r.queue.jobs.resolveDependencies()];
    if (results.every((result) => result.handled === 0)) return;
  }
  throw new Error('the background jobs do not settle');
};

/** Runs the reapers and claims until `taskId` is claimed (a hint lease or a claim must run out first). */
const claimEventually = async (r: Replica, taskId: string, workerId: string) => {
  let claimed: { taskId: string; runId: number } | undefined;
  await eventually(
    `${taskId} is claimable again`,
    async () => {
      await r.queue.jobs.expireClaims();
      const { tasks } = await r.queue.claimWork(root, TASK_QUEUE, worker(workerId, 4), { wait: 0 });
      const mine = tasks.find((t) => t.status.taskId === taskId);
      for (const other of tasks) if (other !== mine) await r.queue.reportCompleted(root, other.status.taskId, other.runId);
      claimed = mine && { taskId, runId: mine.runId };
      return claimed !== undefined;
    },
    60_000,
    200,
  );
  return claimed!;
};

const statusOf = async (r: Replica, taskId: string) => (await r.queue.status(root, taskId)).status;
const runsOf = async (r: Replica, taskId: string) =>
  (await statusOf(r, taskId)).runs.map((run) => `${run.state}/${run.reasonResolved ?? run.reasonCreated}`);
const published = (r: Replica, exchange: string, taskId: string) =>
  r.memory.events.ofExchange(exchange as never).filter((event) => JSON.stringify(event.payload).includes(taskId));

/** Nothing pending, nothing claimed, no active member left: the queue is quiet. */
const expectQuiet = async (r: Replica, taskGroupIds: readonly string[] = []) => {
  expect(await r.queue.taskQueueCounts(root, TASK_QUEUE)).toMatchObject({ pendingTasks: 0, claimedTasks: 0 });
  for (const taskGroupId of taskGroupIds) expect(await r.ports.taskGroups.hasActive(taskGroupId)).toBe(false);
};

describe('a replica killed between writing a timer and changing the task', () => {
  it('claimWork: the claim entry is written, the task not claimed; the task is claimed and completed after restart', async () => {
    const { doomed, survivor, restart } = cluster();
    const taskId = randomSlugid();
    await survivor.queue.createTask(root, taskId, taskDef({ taskGroupId: taskId }));
    doomed.crashAt(at('claims', 'put', 'after', taskId));
    await expect(doomed.queue.claimWork(root, TASK_QUEUE, worker('doomed'), { wait: 0 })).rejects.toBeInstanceOf(Killed);
    expect(await runsOf(survivor, taskId)).toEqual(['pending/scheduled']);

    const restarted = restart();
    const { runId } = await claimEventually(restarted, taskId, 'after-restart');
    expect(runId).toBe(0);
    await restarted.queue.reportCompleted(root, taskId, 0);
    await settle(restarted);
    expect(await runsOf(restarted, taskId)).toEqual(['completed/completed']);
    expect(published(restarted, 'task-running', taskId)).toHaveLength(1);
    expect(published(restarted, 'task-completed', taskId)).toHaveLength(1);
    await expectQuiet(restarted, [taskId]);
  }, 90_000);

  it('createTask: the deadline timer and group membership are written, the task is not; the group settles at the deadline', async () => {
    const { doomed, restart } = cluster();
    const [taskId, taskGroupId] = [randomSlugid(), randomSlugid()];
    doomed.crashAt(at('tasks', 'create', 'before', taskId));
    const deadline = new Date(Date.now() + 3 * SECOND).toISOString();
    await expect(doomed.queue.createTask(root, taskId, taskDef({ taskGroupId, deadline }))).rejects.toBeInstanceOf(Killed);
    expect(await doomed.storage.taskGroups.hasActive(taskGroupId)).toBe(true);

    // Nobody retries: the deadline timer cleans up what the half-done createTask left.
    const restarted = restart();
    await eventually('the deadline timer fired', async () => (await restarted.queue.jobs.resolveDeadlines()).handled > 0, 60_000, 200);
    await settle(restarted);
    expect(await restarted.storage.tasks.get(taskId)).toBeUndefined();
    expect((await restarted.storage.taskGroups.listMembers(taskGroupId, { limit: 10 })).items).toEqual([]);
    const resolved = restarted.memory.events.ofExchange('task-group-resolved');
    expect(resolved.map((event) => (event.payload as { taskGroupId: string }).taskGroupId)).toEqual([taskGroupId]);
    await expectQuiet(restarted, [taskGroupId]);
  }, 90_000);
});

describe('a replica killed between changing the task and publishing', () => {
  it('claimWork: the run is claimed but nobody is told; the claim expires, the retry is claimed and completed after restart', async () => {
    const { doomed, survivor, restart } = cluster();
    const taskId = randomSlugid();
    await survivor.queue.createTask(root, taskId, taskDef({ taskGroupId: taskId }));
    doomed.crashAt(at('tasks', 'update', 'after', taskId));
    await expect(doomed.queue.claimWork(root, TASK_QUEUE, worker('doomed'), { wait: 0 })).rejects.toBeInstanceOf(Killed);
    expect(await runsOf(survivor, taskId)).toEqual(['running/scheduled']);

    const restarted = restart();
    const { runId } = await claimEventually(restarted, taskId, 'after-restart');
    expect(runId).toBe(1);
    await restarted.queue.reportCompleted(root, taskId, 1);
    await settle(restarted);
    expect(await runsOf(restarted, taskId)).toEqual(['exception/claim-expired', 'completed/completed']);
    expect(published(restarted, 'task-exception', taskId)).toHaveLength(1);
    expect(published(restarted, 'task-completed', taskId)).toHaveLength(1);
    await expectQuiet(restarted, [taskId]);
  }, 90_000);

  for (const [what, plan] of [
    ['after the record changed', (taskId: string) => at('tasks', 'update', 'after', taskId)],
    ['at the publish', () => at('events', 'publish', 'before')],
  ] as const) {
    it(`reportCompleted, killed ${what}: the worker's retry after restart completes the effects, and the dependent runs`, async () => {
      const { doomed, survivor, restart } = cluster();
      const [taskId, dependent, taskGroupId] = [randomSlugid(), randomSlugid(), randomSlugid()];
      await survivor.queue.createTask(root, taskId, taskDef({ taskGroupId }));
      await survivor.queue.createTask(root, dependent, taskDef({ taskGroupId, dependencies: [taskId] }));
      const { tasks } = await survivor.queue.claimWork(root, TASK_QUEUE, worker('w'), { wait: 0 });
      expect(tasks.map((t) => t.status.taskId)).toEqual([taskId]);

      doomed.crashAt(plan(taskId));
      await expect(doomed.queue.reportCompleted(root, taskId, 0)).rejects.toBeInstanceOf(Killed);
      expect(await runsOf(survivor, taskId)).toEqual(['completed/completed']);

      // taskcluster-client retries a failed call; after the restart it reaches another replica.
      const restarted = restart();
      await restarted.queue.reportCompleted(root, taskId, 0);
      await settle(restarted);
      expect(await runsOf(restarted, dependent)).toEqual(['pending/scheduled']);
      const { runId } = await claimEventually(restarted, dependent, 'after-restart');
      await restarted.queue.reportCompleted(root, dependent, runId);
      await settle(restarted);

      expect(await runsOf(restarted, taskId)).toEqual(['completed/completed']);
      expect(await runsOf(restarted, dependent)).toEqual(['completed/completed']);
      expect(published(restarted, 'task-completed', taskId)).toHaveLength(1);
      expect(restarted.memory.events.ofExchange('task-group-resolved')).toHaveLength(1);
      await expectQuiet(restarted, [taskGroupId]);
    }, 90_000);
  }

  it('createTask, killed after the record was written: the retry after restart adds the hint and announces the task', async () => {
    const { doomed, restart } = cluster();
    const taskId = randomSlugid();
    doomed.crashAt(at('tasks', 'create', 'after', taskId));
    const definition = taskDef({ taskGroupId: taskId });
    await expect(doomed.queue.createTask(root, taskId, definition)).rejects.toBeInstanceOf(Killed);
    const restarted = restart();
    expect(await restarted.queue.pendingTasks(root, TASK_QUEUE)).toMatchObject({ pendingTasks: 0 });

    await restarted.queue.createTask(root, taskId, definition);
    expect(published(restarted, 'task-defined', taskId)).toHaveLength(1);
    expect(published(restarted, 'task-pending', taskId)).toHaveLength(1);
    const { runId } = await claimEventually(restarted, taskId, 'after-restart');
    await restarted.queue.reportCompleted(root, taskId, runId);
    await settle(restarted);
    expect(await runsOf(restarted, taskId)).toEqual(['completed/completed']);
    await expectQuiet(restarted, [taskId]);
  }, 90_000);
});
