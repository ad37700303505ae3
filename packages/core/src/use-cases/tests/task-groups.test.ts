import { createQueue } from '../../queue';
import { callerWithScopes, claimOne, create, DAY, rejectsWith, root, setup, slugid, taskDef } from './fixtures';

describe('task groups', () => {
  it('lists the members of a group, paged', async () => {
    const env = setup();
    const taskGroupId = slugid();
    const ids = await Promise.all([1, 2, 3].map(() => create(env, { taskGroupId })));
    const first = await env.queue.listTaskGroup(root, taskGroupId, { limit: 2 });
    expect(first.tasks).toHaveLength(2);
    const second = await env.queue.listTaskGroup(root, taskGroupId, { limit: 2, continuationToken: first.continuationToken });
    expect(second.continuationToken).toBeUndefined();
    expect([...first.tasks, ...second.tasks].map((t) => t.status.taskId).sort()).toEqual([...ids].sort());
  });

  it('fixes the schedulerId per group', async () => {
    const env = setup();
    const taskGroupId = slugid();
    await create(env, { taskGroupId, schedulerId: 'one' });
    await rejectsWith(env.queue.createTask(root, slugid(), taskDef(env, { taskGroupId, schedulerId: 'two' })), 'RequestConflict');
  });

  it('hides expired members before the expiry job removes them', async () => {
    const env = setup();
    const taskGroupId = slugid();
    await create(env, { taskGroupId, expires: new Date(env.clock.now() + 2 * 86_400_000).toISOString() });
    const lasting = await create(env, { taskGroupId });
    await env.clock.advance(3 * 86_400_000);
    const { tasks } = await env.queue.listTaskGroup(root, taskGroupId);
    expect(tasks.map((t) => t.status.taskId)).toEqual([lasting]);
  });

  it('404 for a group that does not exist', async () => {
    await rejectsWith(setup().queue.listTaskGroup(root, slugid()), 'ResourceNotFound');
  });

  it('announces task-group-resolved when the last member resolves', async () => {
    const env = setup();
    const taskGroupId = slugid();
    const a = await create(env, { taskGroupId });
    const b = await create(env, { taskGroupId });
    for (const taskId of [a, b]) {
      const claim = await claimOne(env);
      await env.queue.reportCompleted(root, claim.status.taskId, claim.runId);
      await env.runJobs();
      const resolved = env.events.ofExchange('task-group-resolved');
      expect(resolved).toHaveLength(taskId === a ? 0 : 1);
    }
    expect(env.events.ofExchange('task-group-resolved')[0]!.routingKey).toBe(`primary.${taskGroupId}.-._`);
  });

  it('seals a group: no task may join it; cancelTaskGroup cancels the unresolved members', async () => {
    const env = setup();
    const taskGroupId = slugid();
    const done = await create(env, { taskGroupId });
    const claim = await claimOne(env);
    await env.queue.reportCompleted(root, done, claim.runId);
    const open = await Promise.all([1, 2].map(() => create(env, { taskGroupId })));
    await rejectsWith(env.queue.cancelTaskGroup(root, taskGroupId), 'RequestConflict');
    await rejectsWith(env.queue.sealTaskGroup(callerWithScopes([]), taskGroupId), 'InsufficientScopes');
    const sealed = await env.queue.sealTaskGroup(callerWithScopes([`queue:seal-task-group:-/${taskGroupId}`]), taskGroupId);
    expect(sealed.sealed).toBeDefined();
    expect(env.events.ofExchange('task-group-sealed')).toHaveLength(1);
    await rejectsWith(create(env, { taskGroupId }), 'RequestConflict');
    const result = await env.queue.cancelTaskGroup(root, taskGroupId);
    expect(result).toMatchObject({ taskGroupId, taskGroupSize: 3, cancelledCount: 2 });
    expect([...result.taskIds].sort()).toEqual([...open].sort());
  });

  it('a task refused by a group this process did not know leaves nothing that settles the group again', async () => {
    const env = setup();
    const taskGroupId = slugid();
    const done = await create(env, { taskGroupId });
    await env.queue.reportCompleted(root, done, (await claimOne(env)).runId);
    await env.runJobs();
    await env.queue.sealTaskGroup(root, taskGroupId);
    expect(env.events.ofExchange('task-group-resolved')).toHaveLength(1);
    // Another replica over the same storage: it tries the group as new, finds it, and is refused.
    const other = createQueue(env.ports, { claimWorkWait: 0 });
    const refused = slugid();
    await rejectsWith(other.createTask(root, refused, taskDef(env, { taskGroupId })), 'RequestConflict');
    await rejectsWith(other.createTask(root, slugid(), taskDef(env, { taskGroupId, schedulerId: 'another' })), 'RequestConflict');
    await env.advance(2 * DAY);
    expect(env.events.ofExchange('task-group-resolved')).toHaveLength(1);
    expect((await env.queue.listTaskGroup(root, taskGroupId)).tasks.map((t) => t.status.taskId)).toEqual([done]);
  });

  it('createTask repeated by another replica answers as before, even for a group sealed since', async () => {
    const env = setup();
    const taskGroupId = slugid();
    const taskId = slugid();
    const definition = taskDef(env, { taskGroupId });
    const first = await env.queue.createTask(root, taskId, definition);
    const other = createQueue(env.ports, { claimWorkWait: 0 });
    expect(await other.createTask(root, taskId, definition)).toEqual(first);
    await env.queue.sealTaskGroup(root, taskGroupId);
    expect(await other.createTask(root, taskId, definition)).toEqual(first);
    expect(await env.queue.createTask(root, taskId, definition)).toEqual(first);
    await rejectsWith(other.createTask(root, taskId, { ...definition, payload: { other: true } }), 'RequestConflict');
  });
});
