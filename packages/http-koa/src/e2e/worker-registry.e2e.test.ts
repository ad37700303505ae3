import { useE2e } from '../testing/e2e';
import { fromNow, HOUR, slugid, taskDefinition } from '../testing/fixtures';

// The worker registry and the task-queue counts through taskcluster-client: claimWork registers
// provisioner, worker type, task queue and worker; declare, quarantine, list and count them.

const e2e = useE2e({ config: { claimWorkWait: 50 } });
const PROV = 'registry-prov';
const WT = 'registry-wt';
const QUEUE = `${PROV}/${WT}`;
const worker = (workerId: string) => ({ workerGroup: 'wg', workerId });

describe('registration by claimWork', () => {
  beforeAll(async () => {
    await e2e.root.claimWork(QUEUE, { ...worker('w1'), tasks: 1 });
    await e2e.root.claimWork(QUEUE, { ...worker('w2'), tasks: 1 });
  });

  it('registers the provisioner', async () => {
    const { provisioners } = await e2e.root.listProvisioners();
    expect(provisioners.map((p: { provisionerId: string }) => p.provisionerId)).toContain(PROV);
    expect(await e2e.root.getProvisioner(PROV)).toMatchObject({ provisionerId: PROV, stability: 'experimental', actions: [] });
  });

  it('registers the worker type and the task queue', async () => {
    const { workerTypes } = await e2e.root.listWorkerTypes(PROV);
    expect(workerTypes).toMatchObject([{ provisionerId: PROV, workerType: WT }]);
    expect(await e2e.root.getWorkerType(PROV, WT)).toMatchObject({ provisionerId: PROV, workerType: WT });
    const { taskQueues } = await e2e.root.listTaskQueues();
    expect(taskQueues.map((q: { taskQueueId: string }) => q.taskQueueId)).toContain(QUEUE);
    expect(await e2e.root.getTaskQueue(QUEUE)).toMatchObject({ taskQueueId: QUEUE });
  });

  it('registers the workers, listed page by page', async () => {
    const first = await e2e.root.listWorkers(PROV, WT, { limit: 1 });
    expect(first.workers).toHaveLength(1);
    expect(first.continuationToken).toEqual(expect.any(String));
    const rest = await e2e.root.listWorkers(PROV, WT, { continuationToken: first.continuationToken });
    const ids = [...first.workers, ...rest.workers].map((w: { workerId: string }) => w.workerId);
    expect(ids.sort()).toEqual(['w1', 'w2']);
    expect(await e2e.root.getWorker(PROV, WT, 'wg', 'w1')).toMatchObject({ workerId: 'w1', recentTasks: [] });
  });
});

describe('declarations', () => {
  it('declares a provisioner with actions that its worker types and workers offer', async () => {
    const action = { name: 'kill', title: 'Kill', context: 'worker', url: 'https://example.com/<workerId>', method: 'DELETE', description: 'd' };
    const declared = await e2e.root.declareProvisioner('declared-prov', { description: 'declared', actions: [action] });
    expect(declared).toMatchObject({ provisionerId: 'declared-prov', description: 'declared', actions: [action] });
    await e2e.root.declareWorker('declared-prov', 'declared-wt', 'wg', 'w9', { expires: fromNow(48 * HOUR) });
    expect(await e2e.root.getWorker('declared-prov', 'declared-wt', 'wg', 'w9')).toMatchObject({ actions: [action] });
    expect(await e2e.root.getWorkerType('declared-prov', 'declared-wt')).toMatchObject({ actions: [] });
  });

  it('declares a worker type', async () => {
    await e2e.root.declareWorkerType(PROV, 'declared-wt', { description: 'a declared worker type', stability: 'stable' });
    expect(await e2e.root.getWorkerType(PROV, 'declared-wt')).toMatchObject({ description: 'a declared worker type', stability: 'stable' });
  });
});

describe('quarantine', () => {
  it('keeps a quarantined worker from claiming until the quarantine is lifted', async () => {
    const taskQueueId = e2e.f.taskQueueId();
    const [provisionerId, workerType] = taskQueueId.split('/') as [string, string];
    await e2e.root.claimWork(taskQueueId, { ...worker('quarantined'), tasks: 1 });
    const quarantined = await e2e.root.quarantineWorker(provisionerId, workerType, 'wg', 'quarantined', {
      quarantineUntil: fromNow(HOUR),
      quarantineInfo: 'disk full',
    });
    expect(quarantined.quarantineDetails).toMatchObject([{ clientId: 'static/taskcluster/root', quarantineInfo: 'disk full' }]);
    const listed = await e2e.root.listWorkers(provisionerId, workerType, { quarantined: 'true' });
    expect(listed.workers.map((w: { workerId: string }) => w.workerId)).toEqual(['quarantined']);

    const taskId = slugid();
    await e2e.root.createTask(taskId, taskDefinition(taskQueueId));
    expect((await e2e.root.claimWork(taskQueueId, { ...worker('quarantined'), tasks: 1 })).tasks).toEqual([]);
    expect((await e2e.root.status(taskId)).status.state).toBe('pending');

    await e2e.root.quarantineWorker(provisionerId, workerType, 'wg', 'quarantined', { quarantineUntil: fromNow(-HOUR) });
    const { tasks } = await e2e.root.claimWork(taskQueueId, { ...worker('quarantined'), tasks: 1 });
    expect(tasks.map((t: { status: { taskId: string } }) => t.status.taskId)).toEqual([taskId]);
  });
});

describe('pending and claimed tasks', () => {
  it('counts and lists pending and claimed runs of a task queue', async () => {
    const taskQueueId = e2e.f.taskQueueId();
    const taskIds = [slugid(), slugid(), slugid()];
    for (const taskId of taskIds) await e2e.root.createTask(taskId, taskDefinition(taskQueueId));
    expect(await e2e.root.pendingTasks(taskQueueId)).toMatchObject({ taskQueueId, pendingTasks: 3 });
    expect(await e2e.root.taskQueueCounts(taskQueueId)).toEqual({ taskQueueId, pendingTasks: 3, claimedTasks: 0 });
    const firstPage = await e2e.root.listPendingTasks(taskQueueId, { limit: 2 });
    expect(firstPage.tasks).toHaveLength(2);
    const secondPage = await e2e.root.listPendingTasks(taskQueueId, { continuationToken: firstPage.continuationToken });
    const pending = [...firstPage.tasks, ...secondPage.tasks].map((t: { taskId: string }) => t.taskId);
    expect(pending.sort()).toEqual([...taskIds].sort());

    const { tasks } = await e2e.root.claimWork(taskQueueId, { ...worker('counter'), tasks: 2 });
    expect(tasks).toHaveLength(2);
    expect(await e2e.root.taskQueueCounts(taskQueueId)).toEqual({ taskQueueId, pendingTasks: 1, claimedTasks: 2 });
    const claimed = await e2e.root.listClaimedTasks(taskQueueId);
    expect(claimed.tasks).toHaveLength(2);
    expect(claimed.tasks.every((t: { workerId: string }) => t.workerId === 'counter')).toBe(true);
    expect((await e2e.root.listPendingTasks(taskQueueId)).tasks).toHaveLength(1);
  });
});
