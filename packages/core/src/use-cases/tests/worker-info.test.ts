import { callerWithScopes, unrestrictedCaller as root } from '../../caller';
import { defaultQueueConfig } from '../../config';
import { DAY, HOUR, iso } from '../../domain/time';
import type { ProvisionerAction } from '../../ports/worker-info-store';
import { createInMemoryPorts } from '../../testing/in-memory-ports';
import { claimWork } from '../work/claim-work';
import { createMemo, type UseCaseContext } from '../context';
import { declareProvisioner, getProvisioner, listProvisioners } from '../workers/provisioners';
import { getTaskQueue, listTaskQueues } from '../workers/task-queues';
import { declareWorkerType, getWorkerType, listWorkerTypes } from '../workers/worker-types';

const setup = () => {
  const ports = createInMemoryPorts();
  const ctx: UseCaseContext = { ports, config: { ...defaultQueueConfig, claimWorkWait: 0 }, memo: createMemo() };
  return { ctx, ports, clock: ports.clock };
};
type Env = ReturnType<typeof setup>;

/** What upstream's `seen()` did: a claimWork call from a worker of the queue. */
const seen = (env: Env, taskQueueId: string, workerId = 'w1') =>
  claimWork(env.ctx, root, taskQueueId, { workerGroup: 'wg', workerId, tasks: 1 });

const action = (name: string, context: ProvisionerAction['context']): ProvisionerAction => ({
  name,
  title: `Title of ${name}`,
  context,
  url: 'https://hardware.example.com/<provisionerId>/<workerType>/<workerGroup>/<workerId>',
  method: 'POST',
  description: `Does ${name}`,
});

const rejectsWith = (promise: Promise<unknown>, code: string) => expect(promise).rejects.toMatchObject({ code });

describe('provisioners', () => {
  it('listProvisioners returns an empty list', async () => {
    const env = setup();
    expect(await listProvisioners(env.ctx, root)).toEqual({ provisioners: [] });
  });

  it('listProvisioners returns provisioners seen by claimWork, with defaults', async () => {
    const env = setup();
    await seen(env, 'prov-a/wt');
    await seen(env, 'prov-b/wt');
    const { provisioners, continuationToken } = await listProvisioners(env.ctx, root);
    expect(continuationToken).toBeUndefined();
    expect(provisioners.map((p) => p.provisionerId)).toEqual(['prov-a', 'prov-b']);
    expect(provisioners[0]).toEqual({
      provisionerId: 'prov-a',
      stability: 'experimental',
      description: '',
      expires: iso(env.clock.now() + DAY),
      lastDateActive: iso(env.clock.now()),
      actions: [],
    });
  });

  it('seen creates a provisioner and later refreshes expires and lastDateActive', async () => {
    const env = setup();
    const start = env.clock.now();
    await seen(env, 'prov/wt');
    expect(await getProvisioner(env.ctx, root, 'prov')).toMatchObject({ lastDateActive: iso(start), expires: iso(start + DAY) });
    await env.clock.advance(HOUR);
    await seen(env, 'prov/wt');
    // Rewritten at most every 6 hours.
    expect(await getProvisioner(env.ctx, root, 'prov')).toMatchObject({ lastDateActive: iso(start) });
    await env.clock.advance(6 * HOUR);
    await seen(env, 'prov/wt');
    const now = env.clock.now();
    expect(await getProvisioner(env.ctx, root, 'prov')).toMatchObject({ lastDateActive: iso(now), expires: iso(now + DAY) });
  });

  it('an expired provisioner is gone for every read, before and after the expiry job', async () => {
    const env = setup();
    await declareProvisioner(env.ctx, root, 'prov', { expires: iso(env.clock.now() + HOUR) });
    await declareProvisioner(env.ctx, root, 'other', {});
    await env.clock.advance(2 * HOUR);
    await rejectsWith(getProvisioner(env.ctx, root, 'prov'), 'ResourceNotFound');
    expect((await listProvisioners(env.ctx, root)).provisioners.map((p) => p.provisionerId)).toEqual(['other']);
    expect(await env.ports.workerInfo.deleteExpired({ before: env.clock.now(), limit: 100 })).toBe(1);
    await rejectsWith(getProvisioner(env.ctx, root, 'prov'), 'ResourceNotFound');
  });

  it('lists provisioners in pages (limit and continuationToken)', async () => {
    const env = setup();
    const ids = ['p0', 'p1', 'p2', 'p3', 'p4'];
    for (const id of ids) await declareProvisioner(env.ctx, root, id, { description: id });
    const listed: string[] = [];
    let continuationToken: string | undefined;
    let pages = 0;
    do {
      const page = await listProvisioners(env.ctx, root, { limit: 2, ...(continuationToken && { continuationToken }) });
      expect(page.provisioners.length).toBeLessThanOrEqual(2);
      listed.push(...page.provisioners.map((p) => p.provisionerId));
      continuationToken = page.continuationToken;
      pages++;
    } while (continuationToken);
    expect(listed).toEqual(ids);
    expect(pages).toBe(3);
  });

  it('rejects an invalid continuationToken or limit (400)', async () => {
    const env = setup();
    await rejectsWith(listProvisioners(env.ctx, root, { continuationToken: '!!' }), 'InvalidRequestArguments');
    await rejectsWith(listProvisioners(env.ctx, root, { limit: 0 }), 'InvalidRequestArguments');
  });

  it('getProvisioner returns a provisioner with all of its actions', async () => {
    const env = setup();
    const actions = [action('reboot', 'worker'), action('scale', 'worker-type'), action('pause', 'provisioner')];
    const expires = iso(env.clock.now() + 3 * DAY);
    await declareProvisioner(env.ctx, root, 'prov', { description: 'Hardware', stability: 'stable', expires, actions });
    expect(await getProvisioner(env.ctx, root, 'prov')).toEqual({
      provisionerId: 'prov',
      description: 'Hardware',
      stability: 'stable',
      expires,
      lastDateActive: iso(env.clock.now()),
      actions,
    });
  });

  it('getProvisioner returns 404 when no such provisioner is found', async () => {
    const env = setup();
    await expect(getProvisioner(env.ctx, root, 'nope')).rejects.toMatchObject({
      code: 'ResourceNotFound',
      message: expect.stringContaining('nope'),
    });
  });

  it('getProvisioner rejects an invalid provisionerId (400)', async () => {
    const env = setup();
    await rejectsWith(getProvisioner(env.ctx, root, 'no/slash'), 'InvalidRequestArguments');
  });

  it('declareProvisioner creates a provisioner that expires in 5 days by default', async () => {
    const env = setup();
    const created = await declareProvisioner(env.ctx, root, 'prov', { description: 'new' });
    expect(created).toEqual({
      provisionerId: 'prov',
      description: 'new',
      stability: 'experimental',
      expires: iso(env.clock.now() + 5 * DAY),
      lastDateActive: iso(env.clock.now()),
      actions: [],
    });
    expect(await getProvisioner(env.ctx, root, 'prov')).toEqual(created);
  });

  it('declareProvisioner updates only the properties given, and normalises dates', async () => {
    const env = setup();
    await seen(env, 'prov/wt');
    const before = await getProvisioner(env.ctx, root, 'prov');
    const updated = await declareProvisioner(env.ctx, root, 'prov', {
      stability: 'deprecated',
      expires: '2031-01-01T00:00:00Z',
    });
    expect(updated).toEqual({ ...before, stability: 'deprecated', expires: '2031-01-01T00:00:00.000Z' });
    expect(await declareProvisioner(env.ctx, root, 'prov', {})).toEqual(updated);
  });

  it('declareProvisioner adds two actions to a provisioner (the list is replaced)', async () => {
    const env = setup();
    await declareProvisioner(env.ctx, root, 'prov', { actions: [action('old', 'worker')] });
    const actions = [action('kill', 'worker'), action('reboot', 'worker')];
    expect((await declareProvisioner(env.ctx, root, 'prov', { actions })).actions).toEqual(actions);
    expect((await getProvisioner(env.ctx, root, 'prov')).actions).toEqual(actions);
  });

  it('declareProvisioner refuses unknown properties and malformed actions (400)', async () => {
    const env = setup();
    await rejectsWith(declareProvisioner(env.ctx, root, 'prov', { colour: 'red' }), 'InputValidationError');
    await rejectsWith(
      declareProvisioner(env.ctx, root, 'prov', { actions: [{ ...action('a', 'worker'), context: 'task' }] }),
      'InputValidationError',
    );
  });

  it('declareProvisioner treats an expired record as absent: defaults again', async () => {
    const env = setup();
    await declareProvisioner(env.ctx, root, 'prov', { description: 'old', expires: iso(env.clock.now() + HOUR) });
    await env.clock.advance(2 * HOUR);
    const fresh = await declareProvisioner(env.ctx, root, 'prov', { stability: 'stable' });
    expect(fresh).toMatchObject({ description: '', stability: 'stable', expires: iso(env.clock.now() + 5 * DAY) });
  });

  it('declareProvisioner needs one scope per property given', async () => {
    const env = setup();
    const describer = callerWithScopes(['queue:declare-provisioner:prov#description']);
    await declareProvisioner(env.ctx, describer, 'prov', { description: 'ok' });
    await rejectsWith(declareProvisioner(env.ctx, describer, 'prov', { description: 'x', stability: 'stable' }), 'InsufficientScopes');
    await rejectsWith(declareProvisioner(env.ctx, describer, 'other', { description: 'x' }), 'InsufficientScopes');
  });

  it('declareProvisioner with an empty body needs the scope of some property (not none)', async () => {
    const env = setup();
    await rejectsWith(declareProvisioner(env.ctx, callerWithScopes([]), 'prov', {}), 'InsufficientScopes');
    await rejectsWith(
      declareProvisioner(env.ctx, callerWithScopes(['queue:declare-provisioner:other#stability']), 'prov', {}),
      'InsufficientScopes',
    );
    const created = await declareProvisioner(env.ctx, callerWithScopes(['queue:declare-provisioner:prov#stability']), 'prov', {});
    expect(created).toMatchObject({ provisionerId: 'prov', stability: 'experimental' });
  });

  it('retries a declare that loses a write race', async () => {
    const env = setup();
    await declareProvisioner(env.ctx, root, 'prov', { description: 'a' });
    const store = env.ports.workerInfo;
    const save = store.saveProvisioner.bind(store);
    let raced = false;
    store.saveProvisioner = async (value, version) => {
      if (!raced) {
        raced = true;
        const current = (await store.getProvisioner('prov'))!;
        await save({ ...current.value, stability: 'stable' }, current.version);
      }
      return save(value, version);
    };
    const result = await declareProvisioner(env.ctx, root, 'prov', { description: 'b' });
    expect(result).toMatchObject({ description: 'b', stability: 'stable' });
  });
});

describe('worker types', () => {
  it('listWorkerTypes returns an empty list', async () => {
    const env = setup();
    expect(await listWorkerTypes(env.ctx, root, 'prov')).toEqual({ workerTypes: [] });
  });

  it('listWorkerTypes returns the worker types of the provisioner only, without actions', async () => {
    const env = setup();
    await seen(env, 'prov/wt-a');
    await seen(env, 'prov/wt-b');
    await seen(env, 'prov2/wt-c');
    await declareProvisioner(env.ctx, root, 'prov', { actions: [action('scale', 'worker-type')] });
    const { workerTypes } = await listWorkerTypes(env.ctx, root, 'prov');
    expect(workerTypes).toEqual([
      {
        workerType: 'wt-a',
        provisionerId: 'prov',
        expires: iso(env.clock.now() + DAY),
        lastDateActive: iso(env.clock.now()),
        description: '',
        stability: 'experimental',
      },
      expect.objectContaining({ workerType: 'wt-b', provisionerId: 'prov' }),
    ]);
  });

  it('lists worker types in pages (limit and continuationToken)', async () => {
    const env = setup();
    const names = ['wt-0', 'wt-1', 'wt-2', 'wt-3', 'wt-4'];
    for (const wt of names) await declareWorkerType(env.ctx, root, 'prov', wt, { description: wt });
    const first = await listWorkerTypes(env.ctx, root, 'prov', { limit: 3 });
    expect(first.workerTypes.map((w) => w.workerType)).toEqual(names.slice(0, 3));
    expect(first.continuationToken).toBeDefined();
    const second = await listWorkerTypes(env.ctx, root, 'prov', { limit: 3, continuationToken: first.continuationToken! });
    expect(second.workerTypes.map((w) => w.workerType)).toEqual(names.slice(3));
    expect(second.continuationToken).toBeUndefined();
  });

  it('seen creates a worker type and refreshes its lastDateActive after 6 hours', async () => {
    const env = setup();
    const start = env.clock.now();
    await seen(env, 'prov/wt');
    expect(await getWorkerType(env.ctx, root, 'prov', 'wt')).toMatchObject({ lastDateActive: iso(start) });
    await env.clock.advance(7 * HOUR);
    await seen(env, 'prov/wt');
    expect(await getWorkerType(env.ctx, root, 'prov', 'wt')).toMatchObject({ lastDateActive: iso(env.clock.now()) });
  });

  it('an expired worker type is gone: hidden by listWorkerTypes, 404 from getWorkerType', async () => {
    const env = setup();
    await declareProvisioner(env.ctx, root, 'prov', { expires: iso(env.clock.now() + 10 * DAY) });
    await declareWorkerType(env.ctx, root, 'prov', 'wt', { expires: iso(env.clock.now() + HOUR) });
    await env.clock.advance(2 * HOUR);
    expect(await listWorkerTypes(env.ctx, root, 'prov')).toEqual({ workerTypes: [] });
    await rejectsWith(getWorkerType(env.ctx, root, 'prov', 'wt'), 'ResourceNotFound');
  });

  it('getWorkerType returns a worker type with the actions of context worker-type only', async () => {
    const env = setup();
    await declareProvisioner(env.ctx, root, 'prov', {
      actions: [action('reboot', 'worker'), action('scale', 'worker-type'), action('pause', 'provisioner')],
    });
    await declareWorkerType(env.ctx, root, 'prov', 'wt', { description: 'GPU', stability: 'stable' });
    expect(await getWorkerType(env.ctx, root, 'prov', 'wt')).toEqual({
      workerType: 'wt',
      provisionerId: 'prov',
      description: 'GPU',
      stability: 'stable',
      expires: iso(env.clock.now() + 5 * DAY),
      lastDateActive: iso(env.clock.now()),
      actions: [action('scale', 'worker-type')],
    });
  });

  it('getWorkerType returns 404 for a missing provisioner', async () => {
    const env = setup();
    await env.ports.workerInfo.saveTaskQueue(
      { taskQueueId: 'prov/wt', expires: iso(env.clock.now() + DAY), lastDateActive: iso(0), description: '', stability: 'stable' },
      null,
    );
    await expect(getWorkerType(env.ctx, root, 'prov', 'wt')).rejects.toMatchObject({
      code: 'ResourceNotFound',
      message: expect.stringContaining('Provisioner prov'),
    });
  });

  it('getWorkerType returns 404 for an existing provisioner but a missing worker type', async () => {
    const env = setup();
    await declareProvisioner(env.ctx, root, 'prov', {});
    await expect(getWorkerType(env.ctx, root, 'prov', 'wt')).rejects.toMatchObject({
      code: 'ResourceNotFound',
      message: expect.stringContaining('Worker type wt'),
    });
  });

  it('getWorkerType rejects an invalid workerType (400)', async () => {
    const env = setup();
    await rejectsWith(getWorkerType(env.ctx, root, 'prov', 'Not_Valid'), 'InvalidRequestArguments');
  });

  it('declareWorkerType creates a provisioner and a worker type', async () => {
    const env = setup();
    const declared = await declareWorkerType(env.ctx, root, 'prov', 'wt', { description: 'made' });
    expect(declared).toMatchObject({ provisionerId: 'prov', workerType: 'wt', description: 'made', actions: [] });
    expect(await getProvisioner(env.ctx, root, 'prov')).toMatchObject({ expires: iso(env.clock.now() + 5 * DAY) });
    expect(await getWorkerType(env.ctx, root, 'prov', 'wt')).toEqual(declared);
  });

  it('declareWorkerType updates a worker type, leaving other properties alone', async () => {
    const env = setup();
    await seen(env, 'prov/wt');
    const before = await getWorkerType(env.ctx, root, 'prov', 'wt');
    const updated = await declareWorkerType(env.ctx, root, 'prov', 'wt', { stability: 'deprecated', description: 'old' });
    expect(updated).toEqual({ ...before, stability: 'deprecated', description: 'old' });
  });

  it('declareWorkerType keeps its provisioner alive as long as the worker type', async () => {
    const env = setup();
    await declareProvisioner(env.ctx, root, 'prov', {});
    const expires = iso(env.clock.now() + 30 * DAY);
    await declareWorkerType(env.ctx, root, 'prov', 'wt', { expires });
    expect((await getProvisioner(env.ctx, root, 'prov')).expires).toBe(expires);
    await env.clock.advance(10 * DAY);
    expect(await getWorkerType(env.ctx, root, 'prov', 'wt')).toMatchObject({ expires });
  });

  it('declareWorkerType needs one scope per property, and some property scope for an empty body', async () => {
    const env = setup();
    const caller = callerWithScopes(['queue:declare-worker-type:prov/wt#description']);
    await declareWorkerType(env.ctx, caller, 'prov', 'wt', { description: 'ok' });
    await declareWorkerType(env.ctx, caller, 'prov', 'wt', {});
    await rejectsWith(declareWorkerType(env.ctx, caller, 'prov', 'wt', { stability: 'stable' }), 'InsufficientScopes');
    await rejectsWith(declareWorkerType(env.ctx, callerWithScopes([]), 'prov', 'wt', {}), 'InsufficientScopes');
  });
});

describe('task queues', () => {
  it('listTaskQueues lists every live task queue', async () => {
    const env = setup();
    expect(await listTaskQueues(env.ctx, root)).toEqual({ taskQueues: [] });
    await seen(env, 'prov/wt');
    await declareWorkerType(env.ctx, root, 'other', 'gpu', { description: 'GPUs', expires: iso(env.clock.now() + 2 * DAY) });
    expect(await listTaskQueues(env.ctx, root)).toEqual({
      taskQueues: [
        {
          taskQueueId: 'other/gpu',
          description: 'GPUs',
          stability: 'experimental',
          expires: iso(env.clock.now() + 2 * DAY),
          lastDateActive: iso(env.clock.now()),
        },
        {
          taskQueueId: 'prov/wt',
          description: '',
          stability: 'experimental',
          expires: iso(env.clock.now() + DAY),
          lastDateActive: iso(env.clock.now()),
        },
      ],
    });
    await env.clock.advance(DAY + HOUR);
    expect((await listTaskQueues(env.ctx, root)).taskQueues.map((q) => q.taskQueueId)).toEqual(['other/gpu']);
  });

  it('lists task queues in pages', async () => {
    const env = setup();
    for (const wt of ['a', 'b', 'c']) await declareWorkerType(env.ctx, root, 'prov', wt, {});
    const first = await listTaskQueues(env.ctx, root, { limit: 2 });
    expect(first.taskQueues.map((q) => q.taskQueueId)).toEqual(['prov/a', 'prov/b']);
    const second = await listTaskQueues(env.ctx, root, { limit: 2, continuationToken: first.continuationToken! });
    expect(second).toEqual({ taskQueues: [expect.objectContaining({ taskQueueId: 'prov/c' })] });
  });

  it('getTaskQueue returns a task queue, 404 when missing or expired, 400 for a malformed id', async () => {
    const env = setup();
    await seen(env, 'prov/wt');
    expect(await getTaskQueue(env.ctx, root, 'prov/wt')).toMatchObject({ taskQueueId: 'prov/wt', stability: 'experimental' });
    await rejectsWith(getTaskQueue(env.ctx, root, 'prov/other'), 'ResourceNotFound');
    await rejectsWith(getTaskQueue(env.ctx, root, 'prov'), 'InvalidRequestArguments');
    await env.clock.advance(2 * DAY);
    await rejectsWith(getTaskQueue(env.ctx, root, 'prov/wt'), 'ResourceNotFound');
  });
});
