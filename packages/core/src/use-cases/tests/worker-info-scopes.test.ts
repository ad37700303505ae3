import { callerWithScopes, unrestrictedCaller as root, type Caller } from '../../caller';
import { defaultQueueConfig } from '../../config';
import { HOUR, iso } from '../../domain/time';
import { createInMemoryPorts } from '../../testing/in-memory-ports';
import { claimWork } from '../work/claim-work';
import { createMemo, type UseCaseContext } from '../context';
import { declareProvisioner, getProvisioner, listProvisioners } from '../workers/provisioners';
import { quarantineWorker } from '../workers/quarantine-worker';
import { getTaskQueue, listTaskQueues } from '../workers/task-queues';
import { declareWorkerType, getWorkerType, listWorkerTypes } from '../workers/worker-types';
import { declareWorker, getWorker, listWorkers } from '../workers/workers';

/** A queue where worker wg/w1 of prov/wt has been seen. */
const setup = async () => {
  const ports = createInMemoryPorts();
  const ctx: UseCaseContext = { ports, config: { ...defaultQueueConfig, claimWorkWait: 0 }, memo: createMemo() };
  await claimWork(ctx, root, 'prov/wt', { workerGroup: 'wg', workerId: 'w1', tasks: 1 });
  return ctx;
};

type Call = (ctx: UseCaseContext, caller: Caller) => Promise<unknown>;

/** Each use case, the scopes it needs here, and scopes that look close but are not enough. */
const cases: [string, Call, string[], string[]][] = [
  ['listProvisioners', (ctx, c) => listProvisioners(ctx, c), ['queue:list-provisioners'], ['queue:list-worker-types:prov']],
  ['getProvisioner', (ctx, c) => getProvisioner(ctx, c, 'prov'), ['queue:get-provisioner:prov'], ['queue:get-provisioner:other']],
  [
    'declareProvisioner',
    (ctx, c) => declareProvisioner(ctx, c, 'prov', { description: 'd', stability: 'stable' }),
    ['queue:declare-provisioner:prov#description', 'queue:declare-provisioner:prov#stability'],
    ['queue:declare-provisioner:prov#description'],
  ],
  ['listWorkerTypes', (ctx, c) => listWorkerTypes(ctx, c, 'prov'), ['queue:list-worker-types:prov'], ['queue:list-worker-types:other']],
  ['getWorkerType', (ctx, c) => getWorkerType(ctx, c, 'prov', 'wt'), ['queue:get-worker-type:prov/wt'], ['queue:get-worker-type:prov/other']],
  [
    'declareWorkerType',
    (ctx, c) => declareWorkerType(ctx, c, 'prov', 'wt', { expires: iso(Date.UTC(2031, 0, 1)) }),
    ['queue:declare-worker-type:prov/wt#expires'],
    ['queue:declare-worker-type:prov/wt#description'],
  ],
  ['listTaskQueues', (ctx, c) => listTaskQueues(ctx, c), ['queue:list-task-queues'], ['queue:list-provisioners']],
  ['getTaskQueue', (ctx, c) => getTaskQueue(ctx, c, 'prov/wt'), ['queue:get-task-queue:prov/wt'], ['queue:get-task-queue:prov/other']],
  ['listWorkers', (ctx, c) => listWorkers(ctx, c, 'prov', 'wt'), ['queue:list-workers:prov/wt'], ['queue:list-workers:prov/other']],
  [
    'getWorker',
    (ctx, c) => getWorker(ctx, c, 'prov', 'wt', 'wg', 'w1'),
    ['queue:get-worker:prov/wt/wg/w1'],
    ['queue:get-worker:prov/wt/wg/w2'],
  ],
  [
    'quarantineWorker',
    (ctx, c) => quarantineWorker(ctx, c, 'prov', 'wt', 'wg', 'w1', { quarantineUntil: iso(ctx.ports.clock.now() + HOUR) }),
    ['queue:quarantine-worker:prov/wt/wg/w1'],
    ['queue:quarantine-worker:prov/wt/wg/w2'],
  ],
  [
    'declareWorker',
    (ctx, c) => declareWorker(ctx, c, 'prov', 'wt', 'wg', 'w1', { expires: iso(ctx.ports.clock.now() + HOUR) }),
    ['queue:declare-worker:prov/wt/wg/w1#expires'],
    ['queue:declare-worker:prov/wt/wg/w2#expires'],
  ],
];

describe('every worker-info use case needs its scope', () => {
  it.each(cases)('%s', async (_name, call, needed, notEnough) => {
    const ctx = await setup();
    await expect(call(ctx, callerWithScopes([]))).rejects.toMatchObject({ code: 'InsufficientScopes' });
    await expect(call(ctx, callerWithScopes(notEnough))).rejects.toMatchObject({ code: 'InsufficientScopes' });
    await expect(call(ctx, callerWithScopes(needed))).resolves.toBeDefined();
  });

  it('checks scopes before looking anything up (no 404 leaks to a caller without scopes)', async () => {
    const ctx = await setup();
    await expect(getProvisioner(ctx, callerWithScopes([]), 'missing')).rejects.toMatchObject({ code: 'InsufficientScopes' });
    await expect(getWorker(ctx, callerWithScopes([]), 'prov', 'wt', 'wg', 'missing')).rejects.toMatchObject({
      code: 'InsufficientScopes',
    });
  });
});
