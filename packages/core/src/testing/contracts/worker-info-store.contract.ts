import { WriteConflict } from '../../errors';
import type { Provisioner, TaskQueueInfo, Worker, WorkerInfoStore } from '../../ports/worker-info-store';
import { DAY, EPOCH, iso, newId, race, readAllPages, useFixture, type ContractFactory } from './support';

const FUTURE = iso(EPOCH + 365 * DAY);
const NEVER = iso(0);

const provisioner = (provisionerId: string, overrides: Partial<Provisioner> = {}): Provisioner => ({
  provisionerId,
  expires: FUTURE,
  lastDateActive: iso(EPOCH),
  description: '',
  stability: 'experimental',
  actions: [],
  ...overrides,
});

const taskQueue = (taskQueueId: string, overrides: Partial<TaskQueueInfo> = {}): TaskQueueInfo => ({
  taskQueueId,
  expires: FUTURE,
  lastDateActive: iso(EPOCH),
  description: '',
  stability: 'experimental',
  ...overrides,
});

const worker = (taskQueueId: string, workerGroup: string, workerId: string, overrides: Partial<Worker> = {}): Worker => ({
  taskQueueId,
  workerGroup,
  workerId,
  recentTasks: [],
  expires: FUTURE,
  firstClaim: iso(EPOCH),
  lastDateActive: iso(EPOCH),
  quarantineUntil: NEVER,
  quarantineDetails: [],
  ...overrides,
});

/** A provisioner id of this test only (identifiers are [a-zA-Z0-9-_]{1,38}). */
const newProvisionerId = () => `p-${newId().replace(/[^a-zA-Z0-9]/g, 'x').slice(0, 20)}`;

/** The WorkerInfoStore contract: provisioners, task queues and workers by compare-and-swap, and expiry. */
export function describeWorkerInfoStoreContract(name: string, factory: ContractFactory<WorkerInfoStore>): void {
  describe(`${name}: WorkerInfoStore contract`, () => {
    const fixture = useFixture(factory);
    const store = () => fixture().store;

    it('saves a provisioner (null version: insert only) and reads it back', async () => {
      const p = provisioner(newProvisionerId());
      expect(await store().getProvisioner(p.provisionerId)).toBeUndefined();
      const created = await store().saveProvisioner(p, null);
      expect(created.value).toEqual(p);
      expect(await store().getProvisioner(p.provisionerId)).toEqual(created);
      await expect(store().saveProvisioner({ ...p, description: 'again' }, null)).rejects.toBeInstanceOf(WriteConflict);
      const changed: Provisioner = {
        ...p,
        description: 'declared',
        actions: [
          { name: 'kill', title: 'Kill', context: 'worker', url: 'https://example.com', method: 'DELETE', description: '' },
        ],
      };
      const updated = await store().saveProvisioner(changed, created.version);
      expect(updated.value).toEqual(changed);
      expect(updated.version).not.toBe(created.version);
      await expect(store().saveProvisioner(p, created.version)).rejects.toBeInstanceOf(WriteConflict);
      expect(await store().getProvisioner(p.provisionerId)).toEqual(updated);
    });

    it('saves a task queue and refuses a stale version', async () => {
      const q = taskQueue(`${newProvisionerId()}/wt`);
      const created = await store().saveTaskQueue(q, null);
      expect(await store().getTaskQueue(q.taskQueueId)).toEqual(created);
      await expect(store().saveTaskQueue(q, null)).rejects.toBeInstanceOf(WriteConflict);
      const updated = await store().saveTaskQueue({ ...q, stability: 'stable' }, created.version);
      await expect(store().saveTaskQueue({ ...q, stability: 'deprecated' }, created.version)).rejects.toBeInstanceOf(WriteConflict);
      expect(await store().getTaskQueue(q.taskQueueId)).toEqual(updated);
    });

    it('saves a worker and refuses a stale version', async () => {
      const w = worker(`${newProvisionerId()}/wt`, 'group', 'id');
      expect(await store().getWorker(w.taskQueueId, 'group', 'id')).toBeUndefined();
      const created = await store().saveWorker(w, null);
      expect(created.value).toEqual(w);
      expect(await store().getWorker(w.taskQueueId, 'group', 'id')).toEqual(created);
      await expect(store().saveWorker(w, null)).rejects.toBeInstanceOf(WriteConflict);
      const busy = { ...w, recentTasks: [{ taskId: newId(), runId: 0 }] };
      const updated = await store().saveWorker(busy, created.version);
      expect(updated.value).toEqual(busy);
      await expect(store().saveWorker(w, created.version)).rejects.toBeInstanceOf(WriteConflict);
      expect(await store().getWorker(w.taskQueueId, 'group', 'id')).toEqual(updated);
    });

    it('lets exactly one of concurrent worker saves from the same version win', async () => {
      const w = worker(`${newProvisionerId()}/wt`, 'group', 'id');
      const created = await store().saveWorker(w, null);
      const { fulfilled, rejected } = await race(
        Array.from({ length: 8 }, (_, i) => () =>
          store().saveWorker({ ...w, recentTasks: [{ taskId: newId(), runId: i }] }, created.version),
        ),
      );
      expect(fulfilled).toHaveLength(1);
      for (const error of rejected) expect(error).toBeInstanceOf(WriteConflict);
      expect(await store().getWorker(w.taskQueueId, 'group', 'id')).toEqual(fulfilled[0]);
    });

    it('lets exactly one of concurrent inserts win', async () => {
      const p = provisioner(newProvisionerId());
      const { fulfilled, rejected } = await race(Array.from({ length: 5 }, () => () => store().saveProvisioner(p, null)));
      expect(fulfilled).toHaveLength(1);
      for (const error of rejected) expect(error).toBeInstanceOf(WriteConflict);
    });

    it('lists provisioners once each across pages, ordered by id', async () => {
      const ids = ['a', 'b', 'c', 'd', 'e'].map((s) => `${s}-${newProvisionerId()}`);
      for (const id of [...ids].reverse()) await store().saveProvisioner(provisioner(id), null);
      for (const limit of [1, 2, 100]) {
        const listed = await readAllPages((page) => store().listProvisioners(page), limit);
        expect(listed.map((p) => p.provisionerId)).toEqual(ids);
      }
    });

    it("lists task queues ordered by id, all or one provisioner's", async () => {
      const p = newProvisionerId();
      const mine = [`${p}/a`, `${p}/b`, `${p}/c-d`, `${p}/e`];
      const others = [`${p}x/a`, `x${p}/a`, `${p}-b/a`];
      for (const id of [...others, ...mine].reverse()) await store().saveTaskQueue(taskQueue(id), null);
      for (const limit of [1, 3, 100]) {
        const listed = await readAllPages((page) => store().listTaskQueues(page, p), limit);
        expect(listed.map((q) => q.taskQueueId)).toEqual(mine);
        const all = await readAllPages((page) => store().listTaskQueues(page), limit);
        expect(all.map((q) => q.taskQueueId)).toEqual([...mine, ...others].sort());
      }
      expect((await store().listTaskQueues({ limit: 10 }, newProvisionerId())).items).toEqual([]);
    });

    it('lists the workers of one task queue once each across pages', async () => {
      const q = `${newProvisionerId()}/wt`;
      const saved = [['g1', 'w1'], ['g1', 'w2'], ['g2', 'w1'], ['g2', 'w3'], ['g3', 'w0']].map(([g, id]) =>
        worker(q, g as string, id as string),
      );
      for (const w of [...saved].reverse()) await store().saveWorker(w, null);
      await store().saveWorker(worker(`${q}x`, 'g1', 'w1'), null);
      for (const limit of [1, 2, 100]) {
        const listed = await readAllPages((page) => store().listWorkers(q, page), limit);
        expect(listed).toEqual(saved);
      }
      expect((await store().listWorkers(`${newProvisionerId()}/wt`, { limit: 10 })).items).toEqual([]);
    });

    it('deletes what expired before `before`, at most `limit` at a time, keeping quarantined workers', async () => {
      const p = newProvisionerId();
      const old = iso(EPOCH - DAY);
      const q = `${p}/wt`;
      await store().saveProvisioner(provisioner(p, { expires: old }), null);
      await store().saveProvisioner(provisioner(`${p}-live`), null);
      await store().saveTaskQueue(taskQueue(q, { expires: old }), null);
      await store().saveTaskQueue(taskQueue(`${p}/live`, { expires: iso(EPOCH) }), null);
      await store().saveWorker(worker(q, 'g', 'expired', { expires: old }), null);
      await store().saveWorker(worker(q, 'g', 'quarantined', { expires: old, quarantineUntil: iso(EPOCH + DAY) }), null);
      await store().saveWorker(worker(q, 'g', 'was-quarantined', { expires: old, quarantineUntil: iso(EPOCH - 1) }), null);
      await store().saveWorker(worker(q, 'g', 'live'), null);

      let deleted = 0;
      for (let round = 0; round < 10; round++) {
        const n = await store().deleteExpired({ before: EPOCH, limit: 2 });
        expect(n).toBeLessThanOrEqual(2);
        if (n === 0) break;
        deleted += n;
      }
      expect(deleted).toBe(4);
      expect(await store().getProvisioner(p)).toBeUndefined();
      expect(await store().getProvisioner(`${p}-live`)).toBeDefined();
      expect(await store().getTaskQueue(q)).toBeUndefined();
      expect(await store().getTaskQueue(`${p}/live`)).toBeDefined();
      const left = await readAllPages((page) => store().listWorkers(q, page), 10);
      expect(left.map((w) => w.workerId).sort()).toEqual(['live', 'quarantined']);
    });
  });
}
