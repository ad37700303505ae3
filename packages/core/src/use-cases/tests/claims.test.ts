import { callerWithScopes, claimOne, create, exchangesPublished, MINUTE, rejectsWith, root, setup, stateOf, worker } from './fixtures';

describe('claimWork', () => {
  it('returns no tasks from an empty queue', async () => {
    const env = setup();
    expect(await env.queue.claimWork(root, 'prov/wt', { ...worker, tasks: 4 })).toEqual({ tasks: [] });
  });

  it('long-polls until work arrives in this process', async () => {
    const env = setup({ config: { claimWorkWait: 20_000 } });
    const claiming = env.queue.claimWork(root, 'prov/wt', worker);
    await Promise.resolve();
    const taskId = await create(env);
    const { tasks } = await claiming;
    expect(tasks.map((t) => t.status.taskId)).toEqual([taskId]);
  });

  it('gives up when the long poll ends', async () => {
    const env = setup({ config: { claimWorkWait: 20_000, claimWorkPollInterval: 5_000 } });
    const claiming = env.queue.claimWork(root, 'prov/wt', worker);
    for (let i = 0; i < 4; i++) await env.clock.advance(5_000);
    expect(await claiming).toEqual({ tasks: [] });
  });

  it('claims higher priorities first', async () => {
    const env = setup();
    const low = await create(env, { priority: 'normal' });
    const high = await create(env, { priority: 'high' });
    expect((await claimOne(env)).status.taskId).toBe(high);
    expect((await claimOne(env)).status.taskId).toBe(low);
  });

  it('claims a run once even with duplicate hints (createTask twice)', async () => {
    const env = setup();
    const taskId = await create(env);
    await env.queue.createTask(root, taskId, (await env.queue.task(root, taskId)) as never);
    const { tasks } = await env.queue.claimWork(root, 'prov/wt', { ...worker, tasks: 4 });
    expect(tasks).toHaveLength(1);
    expect(await env.queue.claimWork(root, 'prov/wt', { ...worker, tasks: 4 })).toEqual({ tasks: [] });
  });

  it('hands out credentials for the run and announces task-running', async () => {
    const env = setup();
    const taskId = await create(env, { scopes: ['secrets:get:x'] });
    const claim = await claimOne(env);
    expect(claim).toMatchObject({ runId: 0, ...worker, status: { state: 'running' } });
    expect(claim.credentials.clientId).toMatch(new RegExp(`^task-client/${taskId}/0/on/wg/w1/until/`));
    expect(env.ports.credentials.issued.at(-1)?.request.scopes).toEqual([
      `queue:reclaim-task:${taskId}/0`,
      `queue:resolve-task:${taskId}/0`,
      `queue:create-artifact:${taskId}/0`,
      'secrets:get:x',
    ]);
    expect(exchangesPublished(env).at(-1)).toBe('task-running');
    expect(await env.queue.taskQueueCounts(root, 'prov/wt')).toEqual({ taskQueueId: 'prov/wt', pendingTasks: 0, claimedTasks: 1 });
  });

  it('needs claim-work and worker-id scopes', async () => {
    const env = setup();
    await rejectsWith(env.queue.claimWork(callerWithScopes(['queue:claim-work:prov/wt']), 'prov/wt', worker), 'InsufficientScopes');
  });
});

describe('claimWork → reclaimTask → reportCompleted', () => {
  it('runs the full lifecycle', async () => {
    const env = setup();
    const taskId = await create(env);
    const claim = await claimOne(env);
    await env.clock.advance(5 * MINUTE);
    const reclaim = await env.queue.reclaimTask(root, taskId, 0);
    expect(Date.parse(reclaim.takenUntil)).toBeGreaterThan(Date.parse(claim.takenUntil));
    const { status } = await env.queue.reportCompleted(root, taskId, 0);
    expect(status.state).toBe('completed');
    expect(exchangesPublished(env)).toEqual(['task-defined', 'task-pending', 'task-running', 'task-completed']);
    await rejectsWith(env.queue.reclaimTask(root, taskId, 0), 'RequestConflict');
    expect(await env.queue.taskQueueCounts(root, 'prov/wt')).toMatchObject({ pendingTasks: 0, claimedTasks: 0 });
  });
});

describe('report*', () => {
  it.each(['reportCompleted', 'reportFailed'] as const)('%s is idempotent and republishes', async (method) => {
    const env = setup();
    const taskId = await create(env);
    await claimOne(env);
    const first = await env.queue[method](root, taskId, 0);
    const second = await env.queue[method](root, taskId, 0);
    expect(second).toEqual(first);
    expect(exchangesPublished(env).slice(-2)).toEqual(Array(2).fill(method === 'reportCompleted' ? 'task-completed' : 'task-failed'));
    const other = method === 'reportCompleted' ? 'reportFailed' : 'reportCompleted';
    await rejectsWith(env.queue[other](root, taskId, 0), 'RequestConflict');
  });

  it.each(['malformed-payload', 'resource-unavailable', 'internal-error', 'superseded'] as const)(
    'reportException (%s) is idempotent',
    async (reason) => {
      const env = setup();
      const taskId = await create(env);
      await claimOne(env);
      const first = await env.queue.reportException(root, taskId, 0, { reason });
      expect(first.status.state).toBe('exception');
      expect(await env.queue.reportException(root, taskId, 0, { reason })).toEqual(first);
    },
  );

  it("reportException can't overwrite the reason", async () => {
    const env = setup();
    const taskId = await create(env);
    await claimOne(env);
    await env.queue.reportException(root, taskId, 0, { reason: 'malformed-payload' });
    await rejectsWith(env.queue.reportException(root, taskId, 0, { reason: 'internal-error' }), 'RequestConflict');
  });

  it.each([
    ['worker-shutdown', 'retry'],
    ['intermittent-task', 'task-retry'],
  ] as const)('reportException (%s) retries and is idempotent', async (reason, reasonCreated) => {
    const env = setup();
    const taskId = await create(env);
    await claimOne(env);
    const { status } = await env.queue.reportException(root, taskId, 0, { reason });
    expect(status.runs[1]).toMatchObject({ state: 'pending', reasonCreated });
    expect(await env.queue.reportException(root, taskId, 0, { reason })).toEqual({ status });
    expect((await claimOne(env)).runId).toBe(1);
  });

  it('needs the resolve-task scope of that run; 404 for a missing task or run', async () => {
    const env = setup();
    const taskId = await create(env);
    await claimOne(env);
    await rejectsWith(env.queue.reportCompleted(callerWithScopes([`queue:resolve-task:${taskId}/1`]), taskId, 0), 'InsufficientScopes');
    await env.queue.reportCompleted(callerWithScopes([`queue:resolve-task:${taskId}/0`]), taskId, 0);
    await rejectsWith(env.queue.reportCompleted(root, taskId, 3), 'ResourceNotFound');
    expect(await stateOf(env, taskId)).toBe('completed');
  });
});
