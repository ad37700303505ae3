import { useE2e } from '../testing/e2e';
import { expectError } from '../testing/expect-error';
import { fromNow, HOUR, slugid, taskDefinition } from '../testing/fixtures';

// Dependencies, reruns and cancels through taskcluster-client. The test server runs no
// background workers, so the tests run the dependency resolver themselves.

const e2e = useE2e({ config: { claimWorkWait: 50 } });
const worker = { workerGroup: 'wg', workerId: 'flows' };

/** What the dependency-resolver worker does after a resolution: run its batches until idle. */
const resolveDependencies = async () => {
  while ((await e2e.server.queue.jobs.resolveDependencies()).handled > 0);
};

const claimOne = async (taskQueueId: string) => {
  const { tasks } = await e2e.root.claimWork(taskQueueId, { ...worker, tasks: 4 });
  return tasks as { status: { taskId: string }; runId: number; credentials: { clientId: string; accessToken: string; certificate: string } }[];
};

describe('dependencies', () => {
  it('schedules B once A completes, not before', async () => {
    const { root } = e2e;
    const taskQueueId = e2e.f.taskQueueId();
    const [a, b] = [slugid(), slugid()];
    await root.createTask(a, taskDefinition(taskQueueId));
    const created = await root.createTask(b, taskDefinition(taskQueueId, { dependencies: [a] }));
    expect(created.status).toMatchObject({ state: 'unscheduled', runs: [] });
    expect((await root.listDependentTasks(a)).tasks.map((t: { status: { taskId: string } }) => t.status.taskId)).toEqual([b]);

    const first = await claimOne(taskQueueId);
    expect(first.map((claim) => claim.status.taskId)).toEqual([a]);
    await resolveDependencies();
    expect((await root.status(b)).status.state).toBe('unscheduled');

    await e2e.queue({ credentials: first[0]!.credentials }).reportCompleted(a, 0);
    await resolveDependencies();
    expect((await root.status(b)).status).toMatchObject({ state: 'pending', runs: [{ runId: 0, reasonCreated: 'scheduled' }] });
    expect((await claimOne(taskQueueId)).map((claim) => claim.status.taskId)).toEqual([b]);
  });

  it('schedules an all-resolved dependent after a failure, and leaves an all-completed one waiting', async () => {
    const { root } = e2e;
    const taskQueueId = e2e.f.taskQueueId();
    const [a, completedOnly, anyResolution] = [slugid(), slugid(), slugid()];
    await root.createTask(a, taskDefinition(taskQueueId));
    await root.createTask(completedOnly, taskDefinition(taskQueueId, { dependencies: [a] }));
    await root.createTask(anyResolution, taskDefinition(taskQueueId, { dependencies: [a], requires: 'all-resolved' }));
    const [claim] = await claimOne(taskQueueId);
    await e2e.queue({ credentials: claim!.credentials }).reportFailed(a, 0);
    await resolveDependencies();
    expect((await root.status(completedOnly)).status.state).toBe('unscheduled');
    expect((await root.status(anyResolution)).status.state).toBe('pending');
  });

  it('refuses a dependency that does not exist', async () => {
    const definition = taskDefinition(e2e.f.taskQueueId(), { dependencies: [slugid()] });
    await expectError(e2e.root.createTask(slugid(), definition), { statusCode: 400, code: 'InputError', mentions: 'do not exist' });
  });
});

describe('reruns', () => {
  it('adds a pending run to a resolved task, which a worker claims and resolves', async () => {
    const { root } = e2e;
    const task = await e2e.f.completed();
    const rerun = await root.rerunTask(task.taskId);
    expect(rerun.status.state).toBe('pending');
    expect(rerun.status.runs.map((run: { reasonCreated: string }) => run.reasonCreated)).toEqual(['scheduled', 'rerun']);

    const [claim] = await claimOne(task.taskQueueId);
    expect(claim).toMatchObject({ runId: 1, status: { taskId: task.taskId } });
    const done = await e2e.queue({ credentials: claim!.credentials }).reportFailed(task.taskId, 1);
    expect(done.status.runs.map((run: { state: string }) => run.state)).toEqual(['completed', 'failed']);
  });

  it('leaves a pending task as it is', async () => {
    const { taskId } = await e2e.f.pending();
    const status = await e2e.root.rerunTask(taskId);
    expect(status.status.runs).toHaveLength(1);
  });

  it('retries a run whose worker shut down, and the old run credentials cannot touch the new run', async () => {
    const task = await e2e.f.running();
    const worker = e2e.queue({ credentials: task.credentials });
    const after = await worker.reportException(task.taskId, 0, { reason: 'worker-shutdown' });
    expect(after.status.runs).toMatchObject([
      { state: 'exception', reasonResolved: 'worker-shutdown' },
      { state: 'pending', reasonCreated: 'retry' },
    ]);
    await expectError(worker.reportCompleted(task.taskId, 1), { statusCode: 403, code: 'InsufficientScopes', mentions: `${task.taskId}/1` });
  });
});

describe('cancels', () => {
  it('resolves a pending task as exception/canceled, so no worker gets it', async () => {
    const { taskId, taskQueueId } = await e2e.f.pending();
    const canceled = await e2e.root.cancelTask(taskId);
    expect(canceled.status).toMatchObject({ state: 'exception', runs: [{ state: 'exception', reasonResolved: 'canceled' }] });
    expect(await claimOne(taskQueueId)).toEqual([]);
  });

  it('cancels a running task under its worker: resolving and reclaiming are conflicts, artifacts still allowed', async () => {
    const task = await e2e.f.running();
    await e2e.root.cancelTask(task.taskId);
    const worker = e2e.queue({ credentials: task.credentials });
    await expectError(worker.reclaimTask(task.taskId, 0), { statusCode: 409, code: 'RequestConflict' });
    await expectError(worker.reportCompleted(task.taskId, 0), { statusCode: 409, code: 'RequestConflict' });
    const log = { storageType: 'reference', expires: fromNow(HOUR), url: 'https://example.com/log' };
    expect(await worker.createArtifact(task.taskId, 0, 'public/logs/live.log', log)).toEqual({ storageType: 'reference' });
  });

  it('gives an unscheduled task one exception run', async () => {
    const { taskId: required } = await e2e.f.pending();
    const dependent = slugid();
    await e2e.root.createTask(dependent, taskDefinition(e2e.f.taskQueueId(), { dependencies: [required] }));
    const canceled = await e2e.root.cancelTask(dependent);
    expect(canceled.status.runs).toMatchObject([{ state: 'exception', reasonCreated: 'exception', reasonResolved: 'canceled' }]);
  });

  it('leaves a resolved task unchanged', async () => {
    const { taskId } = await e2e.f.completed();
    const status = await e2e.root.cancelTask(taskId);
    expect(status.status).toMatchObject({ state: 'completed', runs: [{ state: 'completed' }] });
  });
});

describe('creating and prioritising', () => {
  it('answers the same createTask again as before, and another definition with 409', async () => {
    const taskId = slugid();
    const definition = taskDefinition(e2e.f.taskQueueId());
    const first = await e2e.root.createTask(taskId, definition);
    expect(await e2e.root.createTask(taskId, definition)).toEqual(first);
    await expectError(e2e.root.createTask(taskId, { ...definition, retries: 1 }), { statusCode: 409, code: 'RequestConflict' });
  });

  it.each([
    ['created an hour ago', { created: fromNow(-HOUR), deadline: fromNow(HOUR) }],
    ['a deadline in the past', { created: fromNow(), deadline: fromNow(-60_000) }],
    ['expiring before its deadline', { deadline: fromNow(2 * HOUR), expires: fromNow(HOUR) }],
  ])('refuses a task %s with 400 InputError', async (_, overrides) => {
    await expectError(e2e.root.createTask(slugid(), taskDefinition(e2e.f.taskQueueId(), overrides)), { statusCode: 400, code: 'InputError' });
  });

  it('claims a task moved to a higher priority first', async () => {
    const taskQueueId = e2e.f.taskQueueId();
    const [early, late] = [slugid(), slugid()];
    await e2e.root.createTask(early, taskDefinition(taskQueueId));
    await e2e.root.createTask(late, taskDefinition(taskQueueId, { priority: 'low' }));
    await e2e.root.changeTaskPriority(late, { newPriority: 'highest' });
    expect((await claimOne(taskQueueId)).map((claim) => claim.status.taskId)).toEqual([late, early]);
  });

  it('pages tasks and statuses by continuationToken', async () => {
    const taskIds = [(await e2e.f.pending()).taskId, (await e2e.f.pending()).taskId, (await e2e.f.pending()).taskId];
    const first = await e2e.root.statuses({ taskIds }, { limit: 2 });
    expect(first.statuses).toHaveLength(2);
    const second = await e2e.root.statuses({ taskIds }, { continuationToken: first.continuationToken });
    expect([...first.statuses, ...second.statuses].map((s: { taskId: string }) => s.taskId)).toEqual(taskIds);
    const tasks = await e2e.root.tasks({ taskIds }, { limit: 1 });
    expect(tasks.tasks).toHaveLength(1);
    expect(tasks.continuationToken).toEqual(expect.any(String));
  });
});
