import { WriteConflict } from '../../errors';
import type { TaskGroup, TaskGroupMember, TaskGroupStore } from '../../ports/task-group-store';
import { DAY, EPOCH, iso, newId, race, readAllPages, sortedIds, useFixture, type ContractFactory } from './support';

const group = (overrides: Partial<TaskGroup> = {}): TaskGroup => ({
  taskGroupId: newId(),
  schedulerId: 'contract-scheduler',
  expires: iso(EPOCH + 365 * DAY),
  ...overrides,
});

const member = (taskGroupId: string, taskId = newId(), expires = iso(EPOCH + 365 * DAY)): TaskGroupMember => ({
  taskGroupId,
  taskId,
  expires,
});

/** The TaskGroupStore contract: groups by compare-and-swap, members and the active set as idempotent sets. */
export function describeTaskGroupStoreContract(name: string, factory: ContractFactory<TaskGroupStore>): void {
  describe(`${name}: TaskGroupStore contract`, () => {
    const fixture = useFixture(factory);
    const store = () => fixture().store;

    describe('groups', () => {
      it('returns undefined for an unknown group', async () => {
        expect(await store().get(newId())).toBeUndefined();
      });

      it('reads back what it created and updated', async () => {
        const g = group();
        const created = await store().create(g);
        expect(created.value).toEqual(g);
        expect(await store().get(g.taskGroupId)).toEqual(created);
        const sealed = { ...g, sealed: iso(EPOCH) };
        const updated = await store().update(sealed, created.version);
        expect(updated.value).toEqual(sealed);
        expect(updated.version).not.toBe(created.version);
        expect(await store().get(g.taskGroupId)).toEqual(updated);
      });

      it('refuses to create a group twice', async () => {
        const g = group();
        const created = await store().create(g);
        await expect(store().create({ ...g, schedulerId: 'other' })).rejects.toBeInstanceOf(WriteConflict);
        expect(await store().get(g.taskGroupId)).toEqual(created);
      });

      it('refuses an update or a delete with a stale version', async () => {
        const g = group();
        const created = await store().create(g);
        const updated = await store().update({ ...g, sealed: iso(EPOCH) }, created.version);
        await expect(store().update({ ...g, schedulerId: 'other' }, created.version)).rejects.toBeInstanceOf(WriteConflict);
        await expect(store().delete(g.taskGroupId, created.version)).rejects.toBeInstanceOf(WriteConflict);
        expect(await store().get(g.taskGroupId)).toEqual(updated);
      });

      it('deletes with the current version; deleting an absent group is a no-op', async () => {
        const g = group();
        const created = await store().create(g);
        await store().delete(g.taskGroupId, created.version);
        expect(await store().get(g.taskGroupId)).toBeUndefined();
        await expect(store().delete(g.taskGroupId, created.version)).resolves.toBeUndefined();
      });

      it('lets exactly one of concurrent updates from the same version win', async () => {
        const g = group();
        const created = await store().create(g);
        const { fulfilled, rejected } = await race(
          Array.from({ length: 8 }, (_, i) => () => store().update({ ...g, sealed: iso(EPOCH + i) }, created.version)),
        );
        expect(fulfilled).toHaveLength(1);
        for (const error of rejected) expect(error).toBeInstanceOf(WriteConflict);
        expect(await store().get(g.taskGroupId)).toEqual(fulfilled[0]);
      });

      it('lists expired groups: only those that expire before `before`, at most `limit`', async () => {
        const expired = [1, 2, 3].map((i) => group({ expires: iso(EPOCH - i * DAY) }));
        for (const g of [...expired, group({ expires: iso(EPOCH) }), group()]) await store().create(g);
        const all = await store().listExpired({ before: EPOCH, limit: 100 });
        expect(all.map((r) => r.value.taskGroupId).sort()).toEqual(expired.map((g) => g.taskGroupId).sort());
        const some = await store().listExpired({ before: EPOCH, limit: 2 });
        expect(some).toHaveLength(2);
        for (const record of some) expect(expired.map((g) => g.taskGroupId)).toContain(record.value.taskGroupId);
      });
    });

    describe('members', () => {
      it('lists every member once across pages, in taskId order', async () => {
        const taskGroupId = newId();
        const taskIds = sortedIds(7);
        for (const taskId of [...taskIds].reverse()) await store().addMember(member(taskGroupId, taskId));
        await store().addMember(member(newId()));
        for (const limit of [1, 3, 7, 100]) {
          const listed = await readAllPages((page) => store().listMembers(taskGroupId, page), limit);
          expect(listed.map((m) => m.taskId)).toEqual(taskIds);
        }
        const listed = await readAllPages((page) => store().listMembers(taskGroupId, page), 100);
        expect(listed[0]).toEqual(member(taskGroupId, taskIds[0]));
      });

      it('adds idempotently and removes (removing an absent member is a no-op)', async () => {
        const taskGroupId = newId();
        const m = member(taskGroupId);
        expect(await store().isMember(taskGroupId, m.taskId)).toBe(false);
        await store().addMember(m);
        await store().addMember(m);
        expect((await store().listMembers(taskGroupId, { limit: 10 })).items).toEqual([m]);
        expect(await store().isMember(taskGroupId, m.taskId)).toBe(true);
        expect(await store().isMember(newId(), m.taskId)).toBe(false);
        await store().removeMember(taskGroupId, m.taskId);
        expect(await store().isMember(taskGroupId, m.taskId)).toBe(false);
        await store().removeMember(taskGroupId, m.taskId);
        await store().removeMember(newId(), newId());
        expect((await store().listMembers(taskGroupId, { limit: 10 })).items).toEqual([]);
      });

      it('lists expired members: only those that expire before `before`, at most `limit`', async () => {
        const taskGroupId = newId();
        const expired = [1, 2, 3].map((i) => member(taskGroupId, newId(), iso(EPOCH - i * DAY)));
        for (const m of [...expired, member(taskGroupId, newId(), iso(EPOCH)), member(newId())]) await store().addMember(m);
        const all = await store().listExpiredMembers({ before: EPOCH, limit: 100 });
        expect(all.map((m) => m.taskId).sort()).toEqual(expired.map((m) => m.taskId).sort());
        expect(await store().listExpiredMembers({ before: EPOCH, limit: 2 })).toHaveLength(2);
      });
    });

    describe('active set', () => {
      it('has no active member in an unknown group', async () => {
        expect(await store().hasActive(newId())).toBe(false);
      });

      it('is a set: marking active twice and resolved once leaves the group inactive', async () => {
        const taskGroupId = newId();
        const taskId = newId();
        await store().markActive(taskGroupId, taskId);
        expect(await store().hasActive(taskGroupId)).toBe(true);
        await store().markActive(taskGroupId, taskId);
        await store().markResolved(taskGroupId, taskId);
        expect(await store().hasActive(taskGroupId)).toBe(false);
        await store().markResolved(taskGroupId, taskId);
        expect(await store().hasActive(taskGroupId)).toBe(false);
      });

      it('stays active until every member is resolved, and a member can become active again', async () => {
        const taskGroupId = newId();
        const [a, b] = [newId(), newId()] as const;
        await store().markActive(taskGroupId, a);
        await store().markActive(taskGroupId, b);
        await store().markResolved(taskGroupId, a);
        expect(await store().hasActive(taskGroupId)).toBe(true);
        await store().markResolved(taskGroupId, b);
        expect(await store().hasActive(taskGroupId)).toBe(false);
        await store().markActive(taskGroupId, a);
        expect(await store().hasActive(taskGroupId)).toBe(true);
      });

      it('resolveMember answers whether any member is active, and else the group', async () => {
        const g = group();
        const [a, b] = [newId(), newId()] as const;
        await store().create(g);
        await store().markActive(g.taskGroupId, a);
        await store().markActive(g.taskGroupId, b);
        expect(await store().resolveMember(g.taskGroupId, a)).toEqual({ active: true });
        expect(await store().resolveMember(g.taskGroupId, b)).toEqual({ active: false, group: g });
        expect(await store().resolveMember(g.taskGroupId, b)).toEqual({ active: false, group: g });
        expect(await store().hasActive(g.taskGroupId)).toBe(false);
        const unknown = newId();
        await store().markActive(unknown, a);
        expect(await store().resolveMember(unknown, a)).toEqual({ active: false });
      });

      it('keeps groups apart, and ignores resolving an unknown member', async () => {
        const [g1, g2] = [newId(), newId()] as const;
        const taskId = newId();
        await store().markActive(g1, taskId);
        await store().markResolved(g2, taskId);
        await store().markResolved(g1, newId());
        expect(await store().hasActive(g1)).toBe(true);
        expect(await store().hasActive(g2)).toBe(false);
      });
    });

    describe('join', () => {
      it('creates the group with the member, active, all at once', async () => {
        const g = group();
        const m = member(g.taskGroupId);
        expect(await store().join(m, { value: g, version: null })).toBe(true);
        expect((await store().get(g.taskGroupId))?.value).toEqual(g);
        expect((await store().listMembers(g.taskGroupId, { limit: 10 })).items).toEqual([m]);
        expect(await store().hasActive(g.taskGroupId)).toBe(true);
      });

      it('joins an existing group, with or without replacing its record', async () => {
        const g = group();
        const created = await store().create(g);
        const [m1, m2] = [member(g.taskGroupId), member(g.taskGroupId)];
        expect(await store().join(m1)).toBe(true);
        const extended = { ...g, expires: iso(EPOCH + 400 * DAY) };
        expect(await store().join(m2, { value: extended, version: created.version })).toBe(true);
        expect((await store().get(g.taskGroupId))?.value).toEqual(extended);
        const listed = await readAllPages((page) => store().listMembers(g.taskGroupId, page), 10);
        expect(listed.map((m) => m.taskId)).toEqual([m1.taskId, m2.taskId].sort());
        await store().markResolved(g.taskGroupId, m1.taskId);
        expect(await store().resolveMember(g.taskGroupId, m2.taskId)).toEqual({ active: false, group: extended });
      });

      it('writes nothing when the group condition fails', async () => {
        const g = group();
        const created = await store().create(g);
        await store().update({ ...g, sealed: iso(EPOCH) }, created.version);
        const [m1, m2] = [member(g.taskGroupId), member(g.taskGroupId)];
        await expect(store().join(m1, { value: { ...g, schedulerId: 'other' }, version: null })).rejects.toBeInstanceOf(WriteConflict);
        await expect(store().join(m2, { value: g, version: created.version })).rejects.toBeInstanceOf(WriteConflict);
        expect((await store().listMembers(g.taskGroupId, { limit: 10 })).items).toEqual([]);
        expect(await store().hasActive(g.taskGroupId)).toBe(false);
        expect((await store().get(g.taskGroupId))?.value).toEqual({ ...g, sealed: iso(EPOCH) });
      });

      it('answers false for a member already there, and leaves it and its active mark as they are', async () => {
        const g = group();
        const m = member(g.taskGroupId);
        expect(await store().join(m, { value: g, version: null })).toBe(true);
        // A repeat, whatever group write comes with it (even one that would conflict).
        expect(await store().join(m, { value: g, version: null })).toBe(false);
        expect(await store().join({ ...m, expires: iso(EPOCH) })).toBe(false);
        expect((await store().listMembers(g.taskGroupId, { limit: 10 })).items).toEqual([m]);
        await store().markResolved(g.taskGroupId, m.taskId);
        expect(await store().join(m)).toBe(false);
        expect(await store().hasActive(g.taskGroupId)).toBe(false);
      });

      it('joins when the member was marked active before (a leftover of a crash)', async () => {
        const g = group();
        const m = member(g.taskGroupId);
        await store().markActive(g.taskGroupId, m.taskId);
        expect(await store().join(m, { value: g, version: null })).toBe(true);
        expect(await store().hasActive(g.taskGroupId)).toBe(true);
      });

      it('lets exactly one of concurrent creations of one group win; the others write nothing', async () => {
        const g = group();
        const members = Array.from({ length: 6 }, () => member(g.taskGroupId));
        const { fulfilled, rejected } = await race(members.map((m) => () => store().join(m, { value: g, version: null })));
        expect(fulfilled).toEqual([true]);
        for (const error of rejected) expect(error).toBeInstanceOf(WriteConflict);
        expect((await store().listMembers(g.taskGroupId, { limit: 10 })).items).toHaveLength(1);
      });
    });
  });
}
