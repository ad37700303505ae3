import { iso } from '../../domain/time';
import { callerWithScopes, create, DAY, exchangesPublished, MINUTE, rejectsWith, root, setup, slugid, stateOf, taskDef } from './fixtures';

describe('createTask', () => {
  it('creates a pending task and announces task-defined then task-pending', async () => {
    const env = setup();
    const taskId = slugid();
    const { status } = await env.queue.createTask(root, taskId, taskDef(env, { routes: ['index.a'] }));
    expect(status).toMatchObject({ taskId, state: 'pending', taskQueueId: 'prov/wt', retriesLeft: 5 });
    expect(exchangesPublished(env)).toEqual(['task-defined', 'task-pending']);
    const pending = env.events.events[1]!;
    expect(pending.routingKey).toBe(`primary.${taskId}.0._._.prov.wt.-.${taskId}._`);
    expect(pending.cc).toEqual(['route.index.a']);
    expect(pending.payload).toMatchObject({ version: 1, runId: 0, task: { tags: {} } });
  });

  it('fills every default (minimal definition)', async () => {
    const env = setup();
    const taskId = await create(env);
    const task = await env.queue.task(root, taskId);
    expect(task).toMatchObject({
      provisionerId: 'prov',
      workerType: 'wt',
      schedulerId: '-',
      projectId: 'none',
      taskGroupId: taskId,
      dependencies: [],
      requires: 'all-completed',
      routes: [],
      priority: 'lowest',
      retries: 5,
      scopes: [],
      tags: {},
      extra: {},
    });
    const deadline = new Date(task.deadline);
    deadline.setUTCFullYear(deadline.getUTCFullYear() + 1);
    expect(task.expires).toBe(deadline.toISOString());
  });

  it('is idempotent for the same definition, even with other date formatting', async () => {
    const env = setup();
    const taskId = slugid();
    const def = taskDef(env);
    const first = await env.queue.createTask(root, taskId, def);
    const variant = { ...def, created: def.created.replace('Z', '+00:00'), deadline: def.deadline.replace('.000Z', '.0000Z') };
    const second = await env.queue.createTask(root, taskId, variant);
    expect(second).toEqual(first);
    expect(env.ports.pending.count).toBeDefined();
    expect(await env.ports.pending.count('prov/wt')).toBe(1);
  });

  it('answers 409 for another definition under the same taskId', async () => {
    const env = setup();
    const taskId = await create(env);
    await rejectsWith(env.queue.createTask(root, taskId, taskDef(env, { taskQueueId: 'prov/other' })), 'RequestConflict');
  });

  it('rejects bad input with 400s naming the rule', async () => {
    const env = setup();
    const now = env.clock.now();
    await rejectsWith(env.queue.createTask(root, 'not-a-slugid', taskDef(env)), 'InvalidRequestArguments');
    await rejectsWith(env.queue.createTask(root, slugid(), taskDef(env, { scopes: ['queue:**'] })), 'InputValidationError');
    await rejectsWith(
      env.queue.createTask(root, slugid(), taskDef(env, { created: iso(now + 10 * MINUTE), deadline: iso(now + 5 * MINUTE) })),
      'InputError',
    );
    await rejectsWith(
      env.queue.createTask(root, slugid(), taskDef(env, { deadline: iso(now + DAY), expires: iso(now + DAY - 1) })),
      'InputError',
    );
    await rejectsWith(env.queue.createTask(root, slugid(), taskDef(env, { deadline: iso(now + 6 * DAY) })), 'InputError');
    await rejectsWith(env.queue.createTask(root, slugid(), taskDef(env, { created: iso(now - 20 * MINUTE) })), 'InputError');
  });

  it('refuses a caller without the scopes, naming them', async () => {
    const env = setup();
    const caller = callerWithScopes(['queue:create-task:lowest:prov/wt'], 'some-client');
    await expect(env.queue.createTask(caller, slugid(), taskDef(env))).rejects.toMatchObject({
      code: 'InsufficientScopes',
      message: expect.stringContaining('queue:scheduler-id:-'),
    });
    const allowed = callerWithScopes(['queue:create-task:lowest:prov/wt', 'queue:scheduler-id:-', 'queue:create-task:project:none']);
    await env.queue.createTask(allowed, slugid(), taskDef(env));
  });

  it('rewrites normal priority to lowest', async () => {
    const env = setup();
    const taskId = await create(env, { priority: 'normal' });
    expect((await env.queue.task(root, taskId)).priority).toBe('lowest');
  });

  it('refuses a definition over the size limit before writing anything', async () => {
    const env = setup({ config: { maxTaskSize: 10_000 } });
    const taskId = slugid();
    await expect(env.queue.createTask(root, taskId, taskDef(env, { payload: { blob: 'x'.repeat(20_000) } }))).rejects.toMatchObject({
      code: 'InputError',
      message: expect.stringContaining('at most 10000'),
    });
    await rejectsWith(env.queue.getTaskGroup(root, taskId), 'ResourceNotFound');
    expect(await env.ports.timers.lease('deadline', Number.MAX_SAFE_INTEGER, 10, Number.MAX_SAFE_INTEGER)).toHaveLength(0);
  });

  it('refuses missing dependencies and leaves nothing behind', async () => {
    const env = setup();
    const taskId = slugid();
    await expect(env.queue.createTask(root, taskId, taskDef(env, { dependencies: [slugid()] }))).rejects.toMatchObject({
      code: 'InputError',
      details: { missingTaskDependencies: [expect.any(String)] },
    });
    await rejectsWith(env.queue.task(root, taskId), 'ResourceNotFound');
    expect(env.events.events).toHaveLength(0);
    await rejectsWith(env.queue.getTaskGroup(root, taskId), 'ResourceNotFound');
  });
});

describe('defineTask and scheduleTask', () => {
  it('defines an unscheduled task until scheduleTask', async () => {
    const env = setup();
    const taskId = slugid();
    const { status } = await env.queue.defineTask(root, taskId, taskDef(env));
    expect(status.state).toBe('unscheduled');
    expect((await env.queue.task(root, taskId)).dependencies).toEqual([taskId]);
    expect(exchangesPublished(env)).toEqual(['task-defined']);
    await env.queue.defineTask(root, taskId, taskDef(env)); // idempotent
    const scheduled = await env.queue.scheduleTask(root, taskId);
    expect(scheduled.status.state).toBe('pending');
    expect(exchangesPublished(env)).toEqual(['task-defined', 'task-defined', 'task-pending']);
    await env.runJobs();
    expect(await stateOf(env, taskId)).toBe('pending');
  });

  it('scheduleTask answers 404 for a missing task and needs its scopes', async () => {
    const env = setup();
    await rejectsWith(env.queue.scheduleTask(root, slugid()), 'ResourceNotFound');
    const taskId = slugid();
    await env.queue.defineTask(root, taskId, taskDef(env, { projectId: 'proj' }));
    await rejectsWith(env.queue.scheduleTask(callerWithScopes([]), taskId), 'InsufficientScopes');
    await env.queue.scheduleTask(callerWithScopes(['queue:schedule-task-in-project:proj']), taskId);
  });
});
