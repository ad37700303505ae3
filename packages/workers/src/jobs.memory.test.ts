import { createQueue, unrestrictedCaller as root, type QueueConfig } from '@taskcluster-queue/core';
import { createInMemoryQueue, InMemoryIdGenerator } from '@taskcluster-queue/core/testing';
import { runContinuously } from './continuous-job';
import { jobOf, runJobOnce } from './drain';
import { CONTINUOUS_JOBS, type ExpiryJobName } from './job-names';

// The workers' loops and drains over the real core on the in-memory backend, with the fake
// clock: what the worker process does, minus the process. The core's own tests cover each job's
// rules one call at a time (packages/core/src/use-cases/tests/background-jobs.test.ts).

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** The loops' idle pause. */
const INTERVAL = MINUTE;

const ids = new InMemoryIdGenerator();
const iso = (ms: number) => new Date(ms).toISOString();

const setup = (config: Partial<QueueConfig> = {}) => createInMemoryQueue({ config: { claimTimeout: 20 * MINUTE, ...config } });
type Env = ReturnType<typeof setup>;

const create = async (env: Env, overrides: Record<string, unknown> = {}) => {
  const taskId = ids.slugid();
  const now = env.clock.now();
  await env.queue.createTask(root, taskId, {
    taskQueueId: 'prov/wt',
    created: iso(now),
    deadline: iso(now + DAY),
    payload: {},
    metadata: { name: 'job test', description: 'a task', owner: 'me@example.com', source: 'https://example.com/src' },
    ...overrides,
  });
  return taskId;
};

const claim = async (env: Env, taskQueueId = 'prov/wt', workerId = 'w1') => {
  const { tasks } = await env.queue.claimWork(root, taskQueueId, { workerGroup: 'wg', workerId, tasks: 1 });
  if (!tasks[0]) throw new Error(`nothing to claim in ${taskQueueId}`);
  return tasks[0];
};

const runsOf = async (env: Env, taskId: string) =>
  (await env.queue.status(root, taskId)).status.runs.map((run) => `${run.state}/${run.reasonResolved ?? run.reasonCreated}`);
const stateOf = async (env: Env, taskId: string) => (await env.queue.status(root, taskId)).status.state;
const published = (env: Env, exchange: string) =>
  env.events.events.filter((e) => e.exchange === exchange).map((e) => {
    const { status, runId } = e.payload as { status: { taskId: string }; runId: number };
    return `${status.taskId}/${runId}`;
  });

/** The three continuous loops, as the worker process runs them, sleeping on the fake clock. */
const startLoops = (env: Env) => {
  const controller = new AbortController();
  const errors: Array<[string, string]> = [];
  const loops = CONTINUOUS_JOBS.map((name) =>
    runContinuously({
      name,
      run: jobOf(env.queue.jobs, name),
      idleDelay: INTERVAL,
      errorDelay: INTERVAL,
      signal: controller.signal,
      sleep: (ms, signal) => env.clock.sleep(ms, signal),
      onError: (job, error) => errors.push([job, (error as Error).message]),
    }),
  );
  return {
    errors,
    stop: async () => {
      controller.abort();
      await Promise.all(loops);
    },
  };
};

/** From its `nth` call on, `object[method]` throws, as if the process died there; returns the repair. */
const failFromCall = <T extends object>(object: T, method: keyof T & string, nth: number) => {
  const original = object[method] as (...args: unknown[]) => Promise<unknown>;
  let calls = 0;
  const spy = jest.spyOn(object, method as never).mockImplementation((async (...args: unknown[]) => {
    if (++calls >= nth) throw new Error('killed half-way');
    return original.apply(object, args);
  }) as never);
  return () => spy.mockRestore();
};

describe('the continuous loops on the in-memory queue', () => {
  let loops: ReturnType<typeof startLoops> | undefined;
  afterEach(async () => {
    await loops?.stop();
    loops = undefined;
  });

  it('claim reaper: an unreclaimed claim ends claim-expired, with a pending retry only while retries remain', async () => {
    const env = setup();
    loops = startLoops(env);
    const retried = await create(env, { retries: 1 });
    await claim(env);
    const last = await create(env, { retries: 0 });
    await claim(env);
    await env.clock.advance(20 * MINUTE + INTERVAL);
    expect(await runsOf(env, retried)).toEqual(['exception/claim-expired', 'pending/retry']);
    expect(await runsOf(env, last)).toEqual(['exception/claim-expired']);
    expect(await stateOf(env, last)).toBe('exception');
    expect(published(env, 'task-exception').sort()).toEqual([`${retried}/0`, `${last}/0`].sort());
    expect(published(env, 'task-pending')).toContain(`${retried}/1`);
    expect((await claim(env)).status.taskId).toBe(retried); // the retry is claimable
    expect(loops.errors).toEqual([]);
  });

  it('deadline reaper: unscheduled, pending and running tasks end deadline-exceeded; a completed one is left alone', async () => {
    const env = setup({ claimTimeout: 3 * HOUR });
    loops = startLoops(env);
    const deadline = iso(env.clock.now() + HOUR);
    const blocker = await create(env, { taskQueueId: 'prov/blocker', deadline: iso(env.clock.now() + 2 * DAY) });
    const unscheduled = await create(env, { dependencies: [blocker], deadline });
    const running = await create(env, { deadline });
    await claim(env);
    const completed = await create(env, { deadline });
    await claim(env);
    await env.queue.reportCompleted(root, completed, 0);
    const pending = await create(env, { deadline });
    expect([await stateOf(env, unscheduled), await stateOf(env, pending), await stateOf(env, running)]).toEqual(['unscheduled', 'pending', 'running']);

    await env.clock.advance(2 * HOUR);
    for (const taskId of [unscheduled, pending, running]) {
      expect(await stateOf(env, taskId)).toBe('exception');
      expect((await runsOf(env, taskId)).at(-1)).toBe('exception/deadline-exceeded');
    }
    expect(await runsOf(env, completed)).toEqual(['completed/completed']);
    expect(published(env, 'task-exception').map((key) => key.split('/')[0])).not.toContain(completed);
    expect(await env.queue.taskQueueCounts(root, 'prov/wt')).toMatchObject({ pendingTasks: 0, claimedTasks: 0 });
  });

  it('dependency resolver: dependents are scheduled once the resolved notice is handled', async () => {
    const env = setup();
    loops = startLoops(env);
    const required = await create(env);
    const dependent = await create(env, { dependencies: [required] });
    await claim(env);
    await env.queue.reportCompleted(root, required, 0);
    expect(await stateOf(env, dependent)).toBe('unscheduled'); // the resolver has not run yet
    await env.clock.advance(INTERVAL);
    expect(await stateOf(env, dependent)).toBe('pending');
    const order = env.events.events.map((e) => `${e.exchange} ${(e.payload as { status?: { taskId: string } }).status?.taskId}`);
    expect(order.indexOf(`task-pending ${dependent}`)).toBeGreaterThan(order.indexOf(`task-completed ${required}`));
  });

  it('keeps going after a failed batch: the notice comes back and is handled', async () => {
    const env = setup();
    loops = startLoops(env);
    const required = await create(env);
    const dependent = await create(env, { dependencies: [required] });
    await claim(env);
    const lease = env.ports.timers.lease.bind(env.ports.timers);
    let failures = 1;
    jest.spyOn(env.ports.timers, 'lease').mockImplementation(async (kind, ...rest) => {
      if (kind === 'resolved' && failures-- > 0) throw new Error('storage hiccup');
      return lease(kind, ...rest);
    });
    await env.queue.reportCompleted(root, required, 0);
    await env.clock.advance(INTERVAL);
    expect(loops.errors).toEqual([['dependency-resolver', 'storage hiccup']]);
    expect(await stateOf(env, dependent)).toBe('unscheduled');
    await env.clock.advance(INTERVAL);
    expect(await stateOf(env, dependent)).toBe('pending');
  });

  it('claim reaper killed between the state change and its events: the task is still retried once', async () => {
    const env = setup();
    loops = startLoops(env);
    const taskId = await create(env, { retries: 1 });
    await claim(env);
    const repair = failFromCall(env.ports.events, 'publish', 1);
    await env.clock.advance(20 * MINUTE + INTERVAL);
    expect(loops.errors.map(([job]) => job)).toContain('claim-reaper');
    repair();
    await env.clock.advance(env.queue.config.leaseDuration + INTERVAL);
    expect(await runsOf(env, taskId)).toEqual(['exception/claim-expired', 'pending/retry']); // one retry, not two
    expect((await claim(env)).runId).toBe(1);
  });

  // The claim entry is forgotten only after the events went out, so the reaper comes back.
  it('claim reaper killed between the state change and its events: the entry comes back and the events go out', async () => {
    const env = setup();
    loops = startLoops(env);
    const taskId = await create(env, { retries: 1 });
    await claim(env);
    const repair = failFromCall(env.ports.events, 'publish', 1);
    await env.clock.advance(20 * MINUTE + INTERVAL);
    repair();
    await env.clock.advance(env.queue.config.leaseDuration + INTERVAL);
    expect(published(env, 'task-exception')).toEqual([`${taskId}/0`]);
    expect(published(env, 'task-pending')).toContain(`${taskId}/1`);
  });
});

interface ExpiryCase {
  readonly job: ExpiryJobName;
  /** Writes records, some to expire and some not, and moves the clock past the first ones' expiry. */
  readonly seed: (env: Env) => Promise<() => Promise<{ expired: number; kept: number }>>;
  /** Makes the job die part-way through (the `n`th call of a port it uses); returns the repair. */
  readonly kill: (env: Env) => () => void;
}

const present = async (items: readonly unknown[], exists: (item: never) => Promise<unknown>) =>
  (await Promise.all(items.map((item) => exists(item as never)))).filter(Boolean).length;

const expiryCases: readonly ExpiryCase[] = [
  {
    job: 'expire-tasks',
    seed: async (env) => {
      const expires = iso(env.clock.now() + 2 * DAY);
      const old: string[] = [];
      for (let i = 0; i < 5; i++) old.push(await create(env, { expires, deadline: iso(env.clock.now() + HOUR) }));
      const young = [await create(env), await create(env)];
      await env.clock.advance(3 * DAY);
      const exists = (taskId: string) => env.ports.tasks.get(taskId);
      return async () => ({ expired: await present(old, exists), kept: await present(young, exists) });
    },
    kill: (env) => failFromCall(env.ports.tasks, 'delete', 3),
  },
  {
    job: 'expire-task-groups',
    seed: async (env) => {
      const expires = iso(env.clock.now() + 2 * DAY);
      const oldGroup = ids.slugid();
      const youngGroup = ids.slugid();
      for (let i = 0; i < 5; i++) await create(env, { taskGroupId: oldGroup, expires, deadline: iso(env.clock.now() + HOUR) });
      for (let i = 0; i < 2; i++) await create(env, { taskGroupId: youngGroup });
      await env.clock.advance(3 * DAY);
      const records = async (taskGroupId: string) =>
        (await env.ports.taskGroups.listMembers(taskGroupId, { limit: 100 })).items.length +
        ((await env.ports.taskGroups.get(taskGroupId)) ? 1 : 0);
      return async () => ({ expired: await records(oldGroup), kept: await records(youngGroup) });
    },
    kill: (env) => failFromCall(env.ports.taskGroups, 'removeMember', 3),
  },
  {
    job: 'expire-task-dependencies',
    seed: async (env) => {
      const expires = iso(env.clock.now() + 2 * DAY);
      const deadline = iso(env.clock.now() + HOUR);
      const required = await create(env, { expires, deadline });
      for (let i = 0; i < 5; i++) await create(env, { dependencies: [required], expires, deadline });
      const youngRequired = await create(env);
      for (let i = 0; i < 2; i++) await create(env, { dependencies: [youngRequired] });
      await env.clock.advance(3 * DAY);
      const edges = async (taskId: string) => (await env.ports.dependencies.listDependents(taskId, { limit: 100 })).items.length;
      return async () => ({ expired: await edges(required), kept: await edges(youngRequired) });
    },
    kill: (env) => failFromCall(env.ports.dependencies, 'deleteExpired', 2),
  },
  {
    job: 'expire-worker-info',
    seed: async (env) => {
      for (let i = 0; i < 5; i++) await env.queue.claimWork(root, 'prov/wt', { workerGroup: 'wg', workerId: `old${i}`, tasks: 1 });
      await env.clock.advance(2 * DAY); // a worker expires a day after it was last seen
      for (let i = 0; i < 2; i++) await env.queue.claimWork(root, 'prov/wt', { workerGroup: 'wg', workerId: `young${i}`, tasks: 1 });
      const workers = (prefix: string, n: number) =>
        present(
          Array.from({ length: n }, (_, i) => `${prefix}${i}`),
          (workerId: string) => env.ports.workerInfo.getWorker('prov/wt', 'wg', workerId),
        );
      const queueInfo = async () =>
        ((await env.ports.workerInfo.getTaskQueue('prov/wt')) ? 1 : 0) + ((await env.ports.workerInfo.getProvisioner('prov')) ? 1 : 0);
      return async () => ({ expired: await workers('old', 5), kept: (await workers('young', 2)) + (await queueInfo()) });
    },
    kill: (env) => failFromCall(env.ports.workerInfo, 'deleteExpired', 2),
  },
  {
    job: 'expire-artifacts',
    seed: async (env) => {
      const taskId = await create(env, { expires: iso(env.clock.now() + 30 * DAY) });
      await claim(env);
      const artifact = (name: string, expiresIn: number) =>
        env.queue.createArtifact(root, taskId, 0, name, { storageType: 's3', contentType: 'text/plain', expires: iso(env.clock.now() + expiresIn) });
      const old = ['public/a', 'public/b', 'public/c', 'public/d', 'public/e'];
      const young = ['public/keep-1', 'public/keep-2'];
      for (const name of old) await artifact(name, HOUR);
      for (const name of young) await artifact(name, 10 * DAY);
      await env.clock.advance(DAY);
      const exists = (name: string) => env.ports.artifacts.get(taskId, 0, name);
      return async () => {
        // every expired artifact whose record went has lost its blob first
        for (const name of old) {
          if (!(await exists(name))) expect(env.ports.blobs.s3.deleted.map((b) => b.key)).toContain(`${taskId}/0/${name}`);
        }
        return { expired: await present(old, exists), kept: await present(young, exists) };
      };
    },
    kill: (env) => failFromCall(env.ports.artifacts, 'delete', 4),
  },
  {
    job: 'expire-queue-messages',
    seed: async (env) => {
      for (let i = 0; i < 5; i++) await create(env, { taskQueueId: 'prov/old', deadline: iso(env.clock.now() + HOUR) });
      for (let i = 0; i < 2; i++) await create(env, { taskQueueId: 'prov/young', deadline: iso(env.clock.now() + 4 * DAY) });
      await env.clock.advance(DAY); // the pending hints of the first tasks are stale past their deadline
      return async () => ({ expired: await env.ports.pending.count('prov/old'), kept: await env.ports.pending.count('prov/young') });
    },
    kill: (env) => failFromCall(env.ports.pending, 'deleteExpired', 2),
  },
];

describe('the expiry jobs drained on the in-memory queue', () => {
  it.each(expiryCases.map((c) => [c.job, c] as const))(
    '%s deletes what expired, keeps the rest, and is safe to run again after being killed half-way',
    async (job, { seed, kill }) => {
      const env = setup({ batchSize: 2 });
      const remaining = await seed(env);
      const before = await remaining();
      expect(before.expired).toBeGreaterThan(2);

      const repair = kill(env);
      await expect(runJobOnce(env.queue.jobs, job)).rejects.toThrow('killed half-way');
      const halfway = await remaining();
      expect(halfway.expired).toBeLessThan(before.expired);
      expect(halfway.expired).toBeGreaterThan(0);
      expect(halfway.kept).toBe(before.kept);

      repair();
      expect(await runJobOnce(env.queue.jobs, job)).toMatchObject({ complete: true, failed: 0 });
      expect(await remaining()).toEqual({ expired: 0, kept: before.kept });
      expect(await runJobOnce(env.queue.jobs, job)).toEqual({ batches: 1, done: 0, failed: 0, complete: true });
    },
  );

  it('two replicas draining one job at once share the work, with no error and nothing left', async () => {
    const env = setup({ batchSize: 2 });
    const expires = iso(env.clock.now() + 2 * DAY);
    const old: string[] = [];
    for (let i = 0; i < 9; i++) old.push(await create(env, { expires, deadline: iso(env.clock.now() + HOUR) }));
    const young = await create(env);
    await env.clock.advance(3 * DAY);
    // Two queues over the same storage: two worker processes.
    const replica = createQueue(env.ports, { batchSize: 2 });
    const [a, b] = await Promise.all([runJobOnce(env.queue.jobs, 'expire-tasks'), runJobOnce(replica.jobs, 'expire-tasks')]);
    expect(a).toMatchObject({ complete: true });
    expect(b).toMatchObject({ complete: true });
    expect(a.done + b.done).toBeGreaterThanOrEqual(old.length); // a record both saw counts twice: deleting a gone one is a no-op
    for (const taskId of old) expect(await env.ports.tasks.get(taskId)).toBeUndefined();
    expect(await env.ports.tasks.get(young)).toBeDefined();
  });
});
