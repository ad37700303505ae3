import { callerWithScopes, unrestrictedCaller as root } from '../../caller';
import { defaultQueueConfig } from '../../config';
import { DAY, HOUR, iso, MINUTE } from '../../domain/time';
import type { ProvisionerAction } from '../../ports/worker-info-store';
import type { CreateTaskRequest } from '../../schemas/task';
import { createInMemoryPorts } from '../../testing/in-memory-ports';
import { claimWork } from '../work/claim-work';
import { createMemo, type UseCaseContext } from '../context';
import { createTask } from '../tasks/create-task';
import { declareProvisioner, getProvisioner } from '../workers/provisioners';
import { pendingTasks } from '../workers/task-queue-counts';
import { quarantineWorker } from '../workers/quarantine-worker';
import { getWorkerType } from '../workers/worker-types';
import { declareWorker, getWorker, listWorkers, type ListWorkersQuery } from '../workers/workers';

const setup = () => {
  const ports = createInMemoryPorts();
  const ctx: UseCaseContext = { ports, config: { ...defaultQueueConfig, claimWorkWait: 0 }, memo: createMemo() };
  return { ctx, ports, clock: ports.clock };
};
type Env = ReturnType<typeof setup>;

const claim = (env: Env, workerId = 'w1', tasks = 1, taskQueueId = 'prov/wt') =>
  claimWork(env.ctx, root, taskQueueId, { workerGroup: 'wg', workerId, tasks });

const createPending = async (env: Env, taskQueueId = 'prov/wt'): Promise<string> => {
  const taskId = env.ports.ids.slugid();
  const now = env.clock.now();
  const definition: CreateTaskRequest = {
    taskQueueId,
    created: iso(now),
    deadline: iso(now + DAY),
    payload: {},
    metadata: { name: 'test', description: 'a task', owner: 'me@example.com', source: 'https://example.com/src' },
  };
  await createTask(env.ctx, root, taskId, definition);
  return taskId;
};

const action = (name: string, context: ProvisionerAction['context']): ProvisionerAction => ({
  name,
  title: name,
  context,
  url: 'https://hardware.example.com/<workerGroup>/<workerId>',
  method: 'DELETE',
  description: name,
});

const rejectsWith = (promise: Promise<unknown>, code: string) => expect(promise).rejects.toMatchObject({ code });

const quarantine = (env: Env, workerId: string, until: number, caller = root, quarantineInfo?: string) =>
  quarantineWorker(env.ctx, caller, 'prov', 'wt', 'wg', workerId, {
    quarantineUntil: iso(until),
    ...(quarantineInfo !== undefined && { quarantineInfo }),
  });

describe('listWorkers', () => {
  it('returns an empty list', async () => {
    const env = setup();
    expect(await listWorkers(env.ctx, root, 'prov', 'wt')).toEqual({ workers: [] });
  });

  it('returns the workers seen by claimWork, with their latest task', async () => {
    const env = setup();
    const start = env.clock.now();
    const taskId = await createPending(env);
    await claim(env, 'w1');
    await env.clock.advance(MINUTE);
    await claim(env, 'w2');
    await claim(env, 'w9', 1, 'prov/other');
    expect(await listWorkers(env.ctx, root, 'prov', 'wt')).toEqual({
      workers: [
        { workerGroup: 'wg', workerId: 'w1', firstClaim: iso(start), lastDateActive: iso(start), latestTask: { taskId, runId: 0 } },
        { workerGroup: 'wg', workerId: 'w2', firstClaim: iso(start + MINUTE), lastDateActive: iso(start + MINUTE) },
      ],
    });
  });

  it('filters on quarantined', async () => {
    const env = setup();
    for (const id of ['w1', 'w2', 'w3']) await claim(env, id);
    const until = env.clock.now() + HOUR;
    await quarantine(env, 'w2', until);
    const ids = async (quarantined?: 'true' | 'false') =>
      (await listWorkers(env.ctx, root, 'prov', 'wt', quarantined && { quarantined })).workers.map((w) => w.workerId);
    expect(await ids()).toEqual(['w1', 'w2', 'w3']);
    expect(await ids('true')).toEqual(['w2']);
    expect(await ids('false')).toEqual(['w1', 'w3']);
    const { workers } = await listWorkers(env.ctx, root, 'prov', 'wt', { quarantined: 'true' });
    expect(workers[0]).toMatchObject({ quarantineUntil: iso(until) });
    // Once the quarantine is over it is no longer shown.
    await env.clock.advance(2 * HOUR);
    expect(await ids('true')).toEqual([]);
    expect((await listWorkers(env.ctx, root, 'prov', 'wt')).workers.every((w) => w.quarantineUntil === undefined)).toBe(true);
  });

  it('rejects a malformed quarantined value or an unknown query key (400)', async () => {
    const env = setup();
    await rejectsWith(listWorkers(env.ctx, root, 'prov', 'wt', { quarantined: 'yes' as 'true' }), 'InvalidRequestArguments');
    const unknown = { colour: 'red' } as unknown as ListWorkersQuery;
    await rejectsWith(listWorkers(env.ctx, root, 'prov', 'wt', unknown), 'InvalidRequestArguments');
  });

  it('lists workers in pages (limit and continuationToken)', async () => {
    const env = setup();
    const ids = ['w0', 'w1', 'w2', 'w3', 'w4'];
    for (const id of ids) await claim(env, id);
    const listed: string[] = [];
    let continuationToken: string | undefined;
    do {
      const page = await listWorkers(env.ctx, root, 'prov', 'wt', { limit: 2, ...(continuationToken && { continuationToken }) });
      expect(page.workers.length).toBeLessThanOrEqual(2);
      listed.push(...page.workers.map((w) => w.workerId));
      continuationToken = page.continuationToken;
    } while (continuationToken);
    expect(listed).toEqual(ids);
  });

  it('hides expired workers, but not quarantined ones', async () => {
    const env = setup();
    await claim(env, 'w1');
    await claim(env, 'w2');
    await quarantine(env, 'w2', env.clock.now() + 10 * DAY);
    await env.clock.advance(2 * DAY);
    // The quarantine also keeps the worker type (and provisioner) alive, so getWorker can answer.
    expect(await getWorkerType(env.ctx, root, 'prov', 'wt')).toMatchObject({ expires: iso(env.clock.now() + 8 * DAY) });
    expect((await listWorkers(env.ctx, root, 'prov', 'wt')).workers.map((w) => w.workerId)).toEqual(['w2']);
    await rejectsWith(getWorker(env.ctx, root, 'prov', 'wt', 'wg', 'w1'), 'ResourceNotFound');
    expect(await getWorker(env.ctx, root, 'prov', 'wt', 'wg', 'w2')).toMatchObject({ workerId: 'w2' });
  });
});

describe('workers seen by claimWork', () => {
  it('creates a worker, then refreshes lastDateActive and expires at most every 6 hours', async () => {
    const env = setup();
    const start = env.clock.now();
    await claim(env);
    const first = await getWorker(env.ctx, root, 'prov', 'wt', 'wg', 'w1');
    expect(first).toEqual({
      provisionerId: 'prov',
      workerType: 'wt',
      workerGroup: 'wg',
      workerId: 'w1',
      recentTasks: [],
      expires: iso(start + DAY),
      firstClaim: iso(start),
      lastDateActive: iso(start),
      quarantineDetails: [],
      actions: [],
    });
    await env.clock.advance(7 * HOUR);
    await claim(env);
    expect(await getWorker(env.ctx, root, 'prov', 'wt', 'wg', 'w1')).toMatchObject({
      firstClaim: iso(start),
      lastDateActive: iso(env.clock.now()),
      expires: iso(env.clock.now() + DAY),
    });
  });

  it('a worker expires a day after it was last seen', async () => {
    const env = setup();
    await claim(env);
    await env.clock.advance(DAY + MINUTE);
    await rejectsWith(getWorker(env.ctx, root, 'prov', 'wt', 'wg', 'w1'), 'ResourceNotFound');
    expect(await env.ports.workerInfo.deleteExpired({ before: env.clock.now(), limit: 100 })).toBe(3);
  });

  it('claimWork adds the claimed task to the worker', async () => {
    const env = setup();
    const taskId = await createPending(env);
    await claim(env);
    expect((await getWorker(env.ctx, root, 'prov', 'wt', 'wg', 'w1')).recentTasks).toEqual([{ taskId, runId: 0 }]);
  });

  it('getWorker returns the 20 most recent tasks, oldest first', async () => {
    const env = setup();
    const taskIds: string[] = [];
    for (let i = 0; i < 25; i++) taskIds.push(await createPending(env));
    for (let i = 0; i < 5; i++) expect((await claim(env, 'w1', 5)).tasks).toHaveLength(5);
    const { recentTasks } = await getWorker(env.ctx, root, 'prov', 'wt', 'wg', 'w1');
    expect(recentTasks).toHaveLength(20);
    expect(recentTasks.map((t) => t.taskId)).toEqual(taskIds.slice(5));
  });
});

describe('getWorker', () => {
  it('returns the worker with the actions of context worker only', async () => {
    const env = setup();
    await claim(env);
    await declareProvisioner(env.ctx, root, 'prov', {
      actions: [action('kill', 'worker'), action('scale', 'worker-type'), action('pause', 'provisioner')],
    });
    expect((await getWorker(env.ctx, root, 'prov', 'wt', 'wg', 'w1')).actions).toEqual([action('kill', 'worker')]);
  });

  it('returns 404 for a missing worker', async () => {
    const env = setup();
    await claim(env, 'w1');
    await expect(getWorker(env.ctx, root, 'prov', 'wt', 'wg', 'w2')).rejects.toMatchObject({
      code: 'ResourceNotFound',
      message: expect.stringContaining('Worker wg/w2'),
    });
  });

  it('returns 404 for a missing worker type', async () => {
    const env = setup();
    await claim(env, 'w1', 1, 'prov/other');
    await expect(getWorker(env.ctx, root, 'prov', 'wt', 'wg', 'w1')).rejects.toMatchObject({
      code: 'ResourceNotFound',
      message: expect.stringContaining('Worker type wt'),
    });
  });

  it('returns 404 for a missing provisioner, even when the worker exists', async () => {
    const env = setup();
    await env.ports.workerInfo.saveWorker(
      {
        taskQueueId: 'prov/wt',
        workerGroup: 'wg',
        workerId: 'w1',
        recentTasks: [],
        expires: iso(env.clock.now() + DAY),
        firstClaim: iso(env.clock.now()),
        lastDateActive: iso(env.clock.now()),
        quarantineUntil: iso(0),
        quarantineDetails: [],
      },
      null,
    );
    await expect(getWorker(env.ctx, root, 'prov', 'wt', 'wg', 'w1')).rejects.toMatchObject({
      code: 'ResourceNotFound',
      message: expect.stringContaining('Provisioner prov'),
    });
  });

  it('rejects malformed ids (400)', async () => {
    const env = setup();
    await rejectsWith(getWorker(env.ctx, root, 'prov', 'wt', 'wg', 'has space'), 'InvalidRequestArguments');
    await rejectsWith(getWorker(env.ctx, root, 'prov', 'wt', 'x'.repeat(39), 'w1'), 'InvalidRequestArguments');
  });
});

describe('quarantineWorker', () => {
  it('quarantines a worker, recording who did it and why', async () => {
    const env = setup();
    await claim(env);
    const until = env.clock.now() + HOUR;
    const admin = callerWithScopes(['queue:quarantine-worker:prov/wt/wg/w1'], 'admin-client');
    const answer = await quarantine(env, 'w1', until, admin, 'flaky disk');
    const details = [{ clientId: 'admin-client', updatedAt: iso(env.clock.now()), quarantineUntil: iso(until), quarantineInfo: 'flaky disk' }];
    expect(answer).toMatchObject({ workerId: 'w1', quarantineUntil: iso(until), quarantineDetails: details });
    expect(await getWorker(env.ctx, root, 'prov', 'wt', 'wg', 'w1')).toEqual(answer);
  });

  it('keeps a quarantined worker from claiming work until the quarantine is lifted', async () => {
    const env = setup();
    await claim(env);
    const taskId = await createPending(env);
    await quarantine(env, 'w1', env.clock.now() + DAY);
    expect(await claim(env)).toEqual({ tasks: [] });
    expect((await pendingTasks(env.ctx, root, 'prov/wt')).pendingTasks).toBe(1);
    expect((await getWorker(env.ctx, root, 'prov', 'wt', 'wg', 'w1')).recentTasks).toEqual([]);

    await env.clock.advance(MINUTE);
    const lifted = await quarantine(env, 'w1', env.clock.now() - MINUTE, root, 'fixed');
    expect(lifted.quarantineUntil).toBeUndefined();
    expect(lifted.quarantineDetails?.map((d) => d.quarantineInfo)).toEqual(['', 'fixed']);
    const { tasks } = await claim(env);
    expect(tasks.map((t) => t.status.taskId)).toEqual([taskId]);
  });

  it('returns 404 for a worker never seen, and 400 without quarantineUntil', async () => {
    const env = setup();
    await rejectsWith(quarantine(env, 'w1', env.clock.now() + HOUR), 'ResourceNotFound');
    await claim(env);
    await rejectsWith(quarantineWorker(env.ctx, root, 'prov', 'wt', 'wg', 'w1', {}), 'InputValidationError');
    await rejectsWith(
      quarantineWorker(env.ctx, root, 'prov', 'wt', 'wg', 'w1', { quarantineUntil: 'tomorrow' }),
      'InputValidationError',
    );
  });

  it('recreates a missing provisioner instead of failing', async () => {
    const env = setup();
    await claim(env);
    await env.clock.advance(HOUR);
    const provisioner = (await env.ports.workerInfo.getProvisioner('prov'))!;
    await env.ports.workerInfo.saveProvisioner({ ...provisioner.value, expires: iso(env.clock.now() - 1) }, provisioner.version);
    const until = env.clock.now() + 3 * DAY;
    await quarantine(env, 'w1', until);
    expect((await getProvisioner(env.ctx, root, 'prov')).expires).toBe(iso(env.clock.now() + 5 * DAY));
    expect(await getWorker(env.ctx, root, 'prov', 'wt', 'wg', 'w1')).toMatchObject({ quarantineUntil: iso(until) });
  });

  it('needs queue:quarantine-worker for that worker', async () => {
    const env = setup();
    await claim(env);
    const other = callerWithScopes(['queue:quarantine-worker:prov/wt/wg/w2']);
    await rejectsWith(quarantine(env, 'w1', env.clock.now() + HOUR, other), 'InsufficientScopes');
  });
});

describe('declareWorker', () => {
  it('creates a worker, its worker type and its provisioner', async () => {
    const env = setup();
    const now = env.clock.now();
    const declared = await declareWorker(env.ctx, root, 'prov', 'wt', 'wg', 'w1', {});
    expect(declared).toEqual({
      provisionerId: 'prov',
      workerType: 'wt',
      workerGroup: 'wg',
      workerId: 'w1',
      recentTasks: [],
      expires: iso(now + DAY),
      firstClaim: iso(now),
      lastDateActive: iso(now),
      quarantineDetails: [],
      actions: [],
    });
    expect(await getWorkerType(env.ctx, root, 'prov', 'wt')).toMatchObject({ expires: iso(now + 5 * DAY) });
    expect(await getProvisioner(env.ctx, root, 'prov')).toMatchObject({ expires: iso(now + 5 * DAY) });
    expect(await getWorker(env.ctx, root, 'prov', 'wt', 'wg', 'w1')).toEqual(declared);
  });

  it('updates the expiry of a worker, keeping what claimWork recorded', async () => {
    const env = setup();
    const taskId = await createPending(env);
    await claim(env);
    const expires = iso(env.clock.now() + 20 * DAY);
    const declared = await declareWorker(env.ctx, root, 'prov', 'wt', 'wg', 'w1', { expires });
    expect(declared).toMatchObject({ expires, recentTasks: [{ taskId, runId: 0 }] });
    // The parents must outlive the worker, or getWorker would 404 on it.
    expect((await getProvisioner(env.ctx, root, 'prov')).expires).toBe(expires);
    expect((await getWorkerType(env.ctx, root, 'prov', 'wt')).expires).toBe(expires);
  });

  it('cannot update quarantineUntil (400)', async () => {
    const env = setup();
    await claim(env);
    await rejectsWith(
      declareWorker(env.ctx, root, 'prov', 'wt', 'wg', 'w1', { quarantineUntil: iso(env.clock.now() + DAY) }),
      'InputValidationError',
    );
    expect((await getWorker(env.ctx, root, 'prov', 'wt', 'wg', 'w1')).quarantineUntil).toBeUndefined();
  });

  it('needs one scope per property, and the expires scope for an empty body', async () => {
    const env = setup();
    const caller = callerWithScopes(['queue:declare-worker:prov/wt/wg/w1#expires']);
    await declareWorker(env.ctx, caller, 'prov', 'wt', 'wg', 'w1', {});
    await declareWorker(env.ctx, caller, 'prov', 'wt', 'wg', 'w1', { expires: iso(env.clock.now() + DAY) });
    await rejectsWith(declareWorker(env.ctx, caller, 'prov', 'wt', 'wg', 'w2', {}), 'InsufficientScopes');
    await rejectsWith(declareWorker(env.ctx, callerWithScopes([]), 'prov', 'wt', 'wg', 'w1', {}), 'InsufficientScopes');
  });
});
