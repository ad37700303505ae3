import { claimOne, create, exchangesPublished, root, setup, slugid, stateOf, taskDef } from './fixtures';

const complete = async (env: Awaited<ReturnType<typeof setup>>, taskId: string) => {
  const claim = await claimOne(env);
  expect(claim.status.taskId).toBe(taskId);
  await env.queue.reportCompleted(root, taskId, claim.runId);
  await env.runJobs();
};

describe('dependencies', () => {
  it('taskA <- taskB: B is pending once A completed', async () => {
    const env = setup();
    const a = await create(env);
    const b = await create(env, { dependencies: [a] });
    expect(await stateOf(env, b)).toBe('unscheduled');
    await complete(env, a);
    expect(await stateOf(env, b)).toBe('pending');
    const dependents = await env.queue.listDependentTasks(root, a);
    expect(dependents.tasks.map((t) => t.status.taskId)).toEqual([b]);
  });

  it('taskA <- taskB, C, D, E and taskA, taskB <- taskC', async () => {
    const env = setup();
    const a = await create(env);
    const b = await create(env);
    const many = await Promise.all([1, 2, 3, 4].map(() => create(env, { dependencies: [a] })));
    const c = await create(env, { dependencies: [a, b] });
    await complete(env, a);
    for (const t of many) expect(await stateOf(env, t)).toBe('pending');
    expect(await stateOf(env, c)).toBe('unscheduled');
    const { tasks } = await env.queue.claimWork(root, 'prov/wt', { workerGroup: 'wg', workerId: 'w', tasks: 32 });
    const claimB = tasks.find((t) => t.status.taskId === b)!;
    await env.queue.reportCompleted(root, b, claimB.runId);
    await env.runJobs();
    expect(await stateOf(env, c)).toBe('pending');
  });

  it('a dependency already completed at creation schedules at once', async () => {
    const env = setup();
    const a = await create(env);
    await complete(env, a);
    const b = await create(env, { dependencies: [a] });
    expect(await stateOf(env, b)).toBe('pending');
  });

  it('all-completed stays blocked after reportFailed or cancelTask; all-resolved does not', async () => {
    const env = setup();
    const a = await create(env);
    const strict = await create(env, { dependencies: [a] });
    const lenient = await create(env, { dependencies: [a], requires: 'all-resolved' });
    const claim = await claimOne(env);
    await env.queue.reportFailed(root, a, claim.runId);
    await env.runJobs();
    expect(await stateOf(env, strict)).toBe('unscheduled');
    expect(await stateOf(env, lenient)).toBe('pending');

    const c = await create(env);
    const d = await create(env, { dependencies: [c] });
    await env.queue.cancelTask(root, c);
    await env.runJobs();
    expect(await stateOf(env, d)).toBe('unscheduled');
  });

  it('self-dependency keeps a task unscheduled until scheduleTask', async () => {
    const env = setup();
    const a = slugid();
    await env.queue.createTask(root, a, taskDef(env, { dependencies: [a] }));
    await env.runJobs();
    expect(await stateOf(env, a)).toBe('unscheduled');
    await env.queue.scheduleTask(root, a);
    expect(await stateOf(env, a)).toBe('pending');
  });

  it('publishes task-pending when a dependent is scheduled', async () => {
    const env = setup();
    const a = await create(env);
    await create(env, { dependencies: [a] });
    await complete(env, a);
    expect(exchangesPublished(env).filter((e) => e === 'task-pending')).toHaveLength(2);
  });
});
