import { WriteConflict } from '../../errors';
import type { TaskStore } from '../../ports/task-store';
import { taskRecord } from './fixtures';
import { DAY, EPOCH, iso, race, useFixture, type ContractFactory } from './support';

/** The TaskStore contract: conditional writes on an opaque version, and bounded expiry scans. */
export function describeTaskStoreContract(name: string, factory: ContractFactory<TaskStore>): void {
  describe(`${name}: TaskStore contract`, () => {
    const fixture = useFixture(factory);
    const store = () => fixture().store;

    it('returns undefined for an unknown task', async () => {
      expect(await store().get(taskRecord().taskId)).toBeUndefined();
    });

    it('reads back what it created, with the version it returned', async () => {
      const task = taskRecord();
      const created = await store().create(task);
      expect(created.value).toEqual(task);
      expect(typeof created.version).toBe('string');
      const read = await store().get(task.taskId);
      expect(read?.value).toEqual(task);
      expect(read?.version).toBe(created.version);
    });

    it('refuses to create a task twice', async () => {
      const task = taskRecord();
      const created = await store().create(task);
      await expect(store().create({ ...task, retriesLeft: 1 })).rejects.toBeInstanceOf(WriteConflict);
      expect(await store().get(task.taskId)).toEqual(created);
    });

    it('updates with the current version, and the version changes', async () => {
      const task = taskRecord();
      const created = await store().create(task);
      const changed = { ...task, retriesLeft: 4 };
      const updated = await store().update(changed, created.version);
      expect(updated.value).toEqual(changed);
      expect(updated.version).not.toBe(created.version);
      expect(await store().get(task.taskId)).toEqual(updated);
      const again = await store().update({ ...task, retriesLeft: 3 }, updated.version);
      expect(again.value.retriesLeft).toBe(3);
    });

    it('refuses an update with a stale version', async () => {
      const task = taskRecord();
      const created = await store().create(task);
      const updated = await store().update({ ...task, retriesLeft: 4 }, created.version);
      await expect(store().update({ ...task, retriesLeft: 0 }, created.version)).rejects.toBeInstanceOf(WriteConflict);
      expect(await store().get(task.taskId)).toEqual(updated);
    });

    it('refuses an update of a missing task', async () => {
      const first = await store().create(taskRecord());
      await expect(store().update(taskRecord(), first.version)).rejects.toBeInstanceOf(WriteConflict);
    });

    it('deletes with the current version; a stale version conflicts; an absent task is a no-op', async () => {
      const task = taskRecord();
      const created = await store().create(task);
      const updated = await store().update({ ...task, retriesLeft: 4 }, created.version);
      await expect(store().delete(task.taskId, created.version)).rejects.toBeInstanceOf(WriteConflict);
      expect(await store().get(task.taskId)).toEqual(updated);
      await store().delete(task.taskId, updated.version);
      expect(await store().get(task.taskId)).toBeUndefined();
      await expect(store().delete(task.taskId, updated.version)).resolves.toBeUndefined();
    });

    it('never accepts a version read before a delete for the re-created task', async () => {
      const task = taskRecord();
      const created = await store().create(task);
      await store().delete(task.taskId, created.version);
      const recreated = await store().create({ ...task, retriesLeft: 2 });
      await expect(store().update({ ...task, retriesLeft: 0 }, created.version)).rejects.toBeInstanceOf(WriteConflict);
      expect(await store().get(task.taskId)).toEqual(recreated);
    });

    it('lets exactly one of concurrent updates from the same version win', async () => {
      const task = taskRecord();
      const created = await store().create(task);
      const attempts = Array.from({ length: 10 }, (_, i) => () => store().update({ ...task, retriesLeft: i }, created.version));
      const { fulfilled, rejected } = await race(attempts);
      expect(fulfilled).toHaveLength(1);
      expect(rejected).toHaveLength(9);
      for (const error of rejected) expect(error).toBeInstanceOf(WriteConflict);
      expect(await store().get(task.taskId)).toEqual(fulfilled[0]);
    });

    it('lets exactly one of concurrent creates win', async () => {
      const task = taskRecord();
      const { fulfilled, rejected } = await race(Array.from({ length: 5 }, () => () => store().create(task)));
      expect(fulfilled).toHaveLength(1);
      for (const error of rejected) expect(error).toBeInstanceOf(WriteConflict);
    });

    it('lists expired tasks: only those that expire before `before`, at most `limit`', async () => {
      const expired = [1, 2, 3].map((i) => taskRecord({ expires: iso(EPOCH - i * DAY) }));
      const live = [taskRecord({ expires: iso(EPOCH + DAY) }), taskRecord({ expires: iso(EPOCH) })];
      for (const task of [...expired, ...live]) await store().create(task);

      const all = await store().listExpired({ before: EPOCH, limit: 100 });
      expect(all.map((r) => r.value.taskId).sort()).toEqual(expired.map((t) => t.taskId).sort());
      for (const record of all) expect(await store().get(record.value.taskId)).toEqual(record);

      const some = await store().listExpired({ before: EPOCH, limit: 2 });
      expect(some).toHaveLength(2);
      for (const record of some) expect(expired.map((t) => t.taskId)).toContain(record.value.taskId);

      expect(await store().listExpired({ before: EPOCH - 5 * DAY, limit: 100 })).toHaveLength(0);
    });

    it('deletes expired tasks with the versions the scan returned', async () => {
      for (const i of [1, 2, 3]) await store().create(taskRecord({ expires: iso(EPOCH - i * DAY) }));
      for (let round = 0; round < 10; round++) {
        const batch = await store().listExpired({ before: EPOCH, limit: 2 });
        if (batch.length === 0) break;
        for (const record of batch) await store().delete(record.value.taskId, record.version);
      }
      expect(await store().listExpired({ before: EPOCH, limit: 100 })).toHaveLength(0);
    });
  });
}
