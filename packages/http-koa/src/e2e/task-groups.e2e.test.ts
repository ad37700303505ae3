import { useE2e } from '../testing/e2e';
import { expectError } from '../testing/expect-error';
import { slugid, taskDefinition } from '../testing/fixtures';

// Task groups through taskcluster-client: listing in pages, reading, sealing, canceling.

const e2e = useE2e({ config: { claimWorkWait: 50 } });

type Listed = { status: { taskId: string; state: string } };

/** A group of `size` tasks created through the client. */
const createGroup = async (size: number) => {
  const taskGroupId = slugid();
  const taskQueueId = e2e.f.taskQueueId();
  const taskIds = Array.from({ length: size }, () => slugid());
  for (const taskId of taskIds) await e2e.root.createTask(taskId, taskDefinition(taskQueueId, { taskGroupId }));
  return { taskGroupId, taskQueueId, taskIds };
};

it('lists a task group page by page, each task once', async () => {
  const { taskGroupId, taskIds } = await createGroup(5);
  const seen: string[] = [];
  const pageSizes: number[] = [];
  let continuationToken: string | undefined;
  do {
    const page = await e2e.root.listTaskGroup(taskGroupId, { limit: 2, ...(continuationToken && { continuationToken }) });
    expect(page.taskGroupId).toBe(taskGroupId);
    pageSizes.push(page.tasks.length);
    seen.push(...page.tasks.map((t: Listed) => t.status.taskId));
    continuationToken = page.continuationToken;
  } while (continuationToken);
  expect(pageSizes.every((size) => size <= 2)).toBe(true);
  expect(seen.sort()).toEqual([...taskIds].sort());
});

it('reads a task group: scheduler, expiry, no seal yet', async () => {
  const { taskGroupId } = await createGroup(1);
  const group = await e2e.root.getTaskGroup(taskGroupId);
  expect(group).toEqual({ taskGroupId, schedulerId: '-', expires: expect.any(String) });
});

it('keeps one schedulerId per group', async () => {
  const { taskGroupId, taskQueueId } = await createGroup(1);
  const other = taskDefinition(taskQueueId, { taskGroupId, schedulerId: 'another-scheduler' });
  await expectError(e2e.root.createTask(slugid(), other), { statusCode: 409, code: 'RequestConflict' });
});

it('seals a group, after which no task joins it', async () => {
  const { taskGroupId, taskQueueId } = await createGroup(1);
  const sealed = await e2e.root.sealTaskGroup(taskGroupId);
  expect(sealed).toMatchObject({ taskGroupId, sealed: expect.any(String) });
  expect(await e2e.root.sealTaskGroup(taskGroupId)).toEqual(sealed);
  expect((await e2e.root.getTaskGroup(taskGroupId)).sealed).toBe(sealed.sealed);
  await expectError(e2e.root.createTask(slugid(), taskDefinition(taskQueueId, { taskGroupId })), {
    statusCode: 409,
    code: 'RequestConflict',
  });
});

it('cancels the unresolved tasks of a sealed group only', async () => {
  const { taskGroupId, taskQueueId, taskIds } = await createGroup(4);
  await expectError(e2e.root.cancelTaskGroup(taskGroupId), { statusCode: 409, code: 'RequestConflict', mentions: 'sealed' });

  const { tasks } = await e2e.root.claimWork(taskQueueId, { workerGroup: 'wg', workerId: 'groups', tasks: 1 });
  const done = tasks[0].status.taskId as string;
  await e2e.queue({ credentials: tasks[0].credentials }).reportCompleted(done, 0);
  await e2e.root.sealTaskGroup(taskGroupId);

  const canceled = await e2e.root.cancelTaskGroup(taskGroupId);
  const unresolved = taskIds.filter((taskId) => taskId !== done);
  expect(canceled).toEqual({ taskGroupId, taskGroupSize: 4, cancelledCount: 3, taskIds: expect.arrayContaining(unresolved) });
  const states = (await e2e.root.listTaskGroup(taskGroupId)).tasks.map((t: Listed) => [t.status.taskId, t.status.state]);
  expect(Object.fromEntries(states)).toEqual(Object.fromEntries(taskIds.map((id) => [id, id === done ? 'completed' : 'exception'])));
  expect(await e2e.root.cancelTaskGroup(taskGroupId)).toMatchObject({ taskGroupSize: 4, cancelledCount: 0, taskIds: [] });
});
