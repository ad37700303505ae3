import { claimOne, create, exchangesPublished, rejectsWith, root, setup, slugid, stateOf } from './fixtures';

describe('cancelTask', () => {
  it.each(['unscheduled', 'pending', 'running'] as const)('cancels a %s task, idempotently', async (state) => {
    const env = setup();
    const taskId = state === 'unscheduled' ? await create(env, { dependencies: [await create(env)] }) : await create(env);
    if (state === 'running') await claimOne(env);
    const first = await env.queue.cancelTask(root, taskId);
    expect(first.status.runs.at(-1)).toMatchObject({ state: 'exception', reasonResolved: 'canceled' });
    expect(await env.queue.cancelTask(root, taskId)).toEqual(first);
    expect(exchangesPublished(env).slice(-2)).toEqual(['task-exception', 'task-exception']);
    expect((await env.queue.scheduleTask(root, taskId)).status.state).toBe('exception'); // can't be scheduled again
  });

  it('leaves a completed task alone and publishes nothing', async () => {
    const env = setup();
    const taskId = await create(env);
    await claimOne(env);
    await env.queue.reportCompleted(root, taskId, 0);
    const before = env.events.events.length;
    expect((await env.queue.cancelTask(root, taskId)).status.state).toBe('completed');
    expect(env.events.events).toHaveLength(before);
  });
});

describe('rerunTask', () => {
  it('create, claim, complete and rerun (idempotent)', async () => {
    const env = setup();
    const taskId = await create(env);
    await claimOne(env);
    await env.queue.reportCompleted(root, taskId, 0);
    const first = await env.queue.rerunTask(root, taskId);
    expect(first.status.runs[1]).toMatchObject({ state: 'pending', reasonCreated: 'rerun' });
    expect(await env.queue.rerunTask(root, taskId)).toEqual(first);
    expect((await claimOne(env)).runId).toBe(1);
  });

  it('throws 404 for a missing task', async () => {
    await rejectsWith(setup().queue.rerunTask(root, slugid()), 'ResourceNotFound');
  });
});

describe('changeTaskPriority', () => {
  it('moves a pending task ahead of others and announces it', async () => {
    const env = setup();
    await create(env);
    const later = await create(env);
    await env.queue.changeTaskPriority(root, later, { newPriority: 'highest' });
    expect(exchangesPublished(env).at(-1)).toBe('task-priority-changed');
    expect((await claimOne(env)).status.taskId).toBe(later);
    await rejectsWith(env.queue.changeTaskPriority(root, later, { newPriority: 'normal' }), 'InputValidationError');
  });

  it('keeps the new priority for a rerun and refuses resolved tasks', async () => {
    const env = setup();
    const taskId = await create(env);
    await env.queue.changeTaskPriority(root, taskId, { newPriority: 'high' });
    await claimOne(env);
    await env.queue.reportCompleted(root, taskId, 0);
    await rejectsWith(env.queue.changeTaskPriority(root, taskId, { newPriority: 'low' }), 'RequestConflict');
    await env.queue.rerunTask(root, taskId);
    expect((await env.queue.task(root, taskId)).priority).toBe('high');
    expect(await stateOf(env, taskId)).toBe('pending');
  });
});
