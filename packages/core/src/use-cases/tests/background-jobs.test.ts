import { claimOne, create, DAY, exchangesPublished, HOUR, MINUTE, root, setup, stateOf } from './fixtures';

describe('claim expiry (claim reaper)', () => {
  it('an unreclaimed claim becomes claim-expired with a pending retry', async () => {
    const env = setup({ config: { claimTimeout: 20 * MINUTE } });
    const taskId = await create(env, { retries: 1 });
    await claimOne(env);
    await env.advance(20 * MINUTE);
    const { status } = await env.queue.status(root, taskId);
    expect(status.runs.map((r) => [r.state, r.reasonResolved ?? r.reasonCreated])).toEqual([
      ['exception', 'claim-expired'],
      ['pending', 'retry'],
    ]);
    expect(status.retriesLeft).toBe(0);
    expect(exchangesPublished(env).slice(-2)).toEqual(['task-exception', 'task-pending']);
    await claimOne(env);
    await env.advance(20 * MINUTE);
    expect(await stateOf(env, taskId)).toBe('exception'); // no retries left
    expect((await env.queue.status(root, taskId)).status.runs).toHaveLength(2);
  });

  it('a reclaim in time is never expired', async () => {
    const env = setup({ config: { claimTimeout: 20 * MINUTE } });
    const taskId = await create(env);
    await claimOne(env);
    for (let i = 0; i < 5; i++) {
      await env.advance(15 * MINUTE);
      await env.queue.reclaimTask(root, taskId, 0);
    }
    await env.advance(15 * MINUTE);
    expect(await stateOf(env, taskId)).toBe('running');
  });
});

describe('deadline reaper', () => {
  it.each(['unscheduled', 'pending', 'running'] as const)('resolves a %s task as deadline-exceeded', async (state) => {
    const env = setup();
    let taskId: string;
    if (state === 'unscheduled') {
      const dep = await create(env);
      taskId = await create(env, { dependencies: [dep] });
    } else {
      taskId = await create(env);
      if (state === 'running') await claimOne(env);
    }
    expect(await stateOf(env, taskId)).toBe(state);
    await env.advance(DAY);
    const { status } = await env.queue.status(root, taskId);
    expect(status.state).toBe('exception');
    expect(status.runs.at(-1)?.reasonResolved).toBe('deadline-exceeded');
    const announced = env.events.ofExchange('task-exception').at(-1)!;
    expect(announced.routingKey).toBe(`primary.${taskId}.0._._.prov.wt.-.${status.taskGroupId}._`);
    expect(announced.payload).not.toHaveProperty('workerGroup');
    expect(await env.queue.taskQueueCounts(root, 'prov/wt')).toMatchObject({ claimedTasks: 0 });
  });

  it('leaves a completed task alone', async () => {
    const env = setup();
    const taskId = await create(env);
    await claimOne(env);
    await env.queue.reportCompleted(root, taskId, 0);
    const before = env.events.events.length;
    await env.advance(DAY);
    expect(await stateOf(env, taskId)).toBe('completed');
    expect(env.events.events.slice(before).map((e) => e.exchange)).not.toContain('task-exception');
  });
});

describe('deadline timer after a resolution', () => {
  it('is gone once the resolved notice is handled, and re-armed by a rerun', async () => {
    const env = setup();
    const taskId = await create(env);
    await claimOne(env);
    await env.queue.reportCompleted(root, taskId, 0);
    await env.queue.jobs.resolveDependencies();
    expect(await env.ports.timers.deleteDueBefore('deadline', env.clock.now() + 2 * DAY, 100)).toBe(0);
    await env.queue.rerunTask(root, taskId);
    await env.advance(DAY);
    const { status } = await env.queue.status(root, taskId);
    expect(status.runs.map((r) => [r.state, r.reasonResolved])).toEqual([
      ['completed', 'completed'],
      ['exception', 'deadline-exceeded'],
    ]);
  });

  it('a rerun before the notice is handled keeps the deadline armed', async () => {
    const env = setup();
    const taskId = await create(env);
    await claimOne(env);
    await env.queue.reportCompleted(root, taskId, 0);
    await env.queue.rerunTask(root, taskId);
    await env.queue.jobs.resolveDependencies();
    await env.advance(DAY);
    expect((await env.queue.status(root, taskId)).status.runs.at(-1)).toMatchObject({ state: 'exception', reasonResolved: 'deadline-exceeded' });
  });
});

describe('expiry jobs', () => {
  it('expireTasks deletes expired tasks and keeps the others', async () => {
    const env = setup();
    const old = await create(env, { expires: new Date(env.clock.now() + 2 * DAY).toISOString() });
    const young = await create(env);
    await env.clock.advance(3 * DAY);
    expect(await env.queue.jobs.expireTasks()).toEqual({ deleted: 1 });
    await expect(env.queue.task(root, old)).rejects.toMatchObject({ code: 'ResourceNotFound' });
    await env.queue.task(root, young);
    expect(await env.queue.jobs.expireTasks()).toEqual({ deleted: 0 }); // safe to run again
  });

  it('expireTaskGroups, expireTaskDependencies and expireQueueMessages drop what expired', async () => {
    const env = setup();
    const expires = new Date(env.clock.now() + 2 * DAY).toISOString();
    const a = await create(env, { expires });
    await create(env, { dependencies: [a], expires, deadline: new Date(env.clock.now() + HOUR).toISOString() });
    await env.clock.advance(3 * DAY);
    expect((await env.queue.jobs.expireTaskGroups()).deleted).toBeGreaterThan(0);
    await expect(env.queue.getTaskGroup(root, a)).rejects.toMatchObject({ code: 'ResourceNotFound' });
    expect((await env.queue.jobs.expireTaskDependencies()).deleted).toBe(1);
    expect((await env.queue.jobs.expireQueueMessages()).deleted).toBeGreaterThan(0); // the stale pending hint
    expect(await env.queue.taskQueueCounts(root, 'prov/wt')).toMatchObject({ pendingTasks: 0 });
  });
});

describe('a resolution whose call stopped half-way', () => {
  it('is finished by the claim reaper: message sent, dependents scheduled, claim forgotten', async () => {
    const env = setup({ config: { claimTimeout: 20 * MINUTE } });
    const taskId = await create(env);
    const dependent = await create(env, { dependencies: [taskId] });
    await claimOne(env);
    env.events.failNext(1);
    await expect(env.queue.reportCompleted(root, taskId, 0)).rejects.toThrow();
    expect(await stateOf(env, taskId)).toBe('completed'); // the state change is kept
    await env.advance(20 * MINUTE);
    expect(env.events.ofExchange('task-completed')).toHaveLength(1);
    expect(await stateOf(env, dependent)).toBe('pending');
    expect(await env.queue.taskQueueCounts(root, 'prov/wt')).toMatchObject({ claimedTasks: 0 });
  });
});
