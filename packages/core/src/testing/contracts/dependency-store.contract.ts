import type { Dependency, DependencyStore } from '../../ports/dependency-store';
import { DAY, EPOCH, iso, newId, readAllPages, sortedIds, useFixture, type ContractFactory } from './support';

const edge = (dependentTaskId: string, requiredTaskId: string, overrides: Partial<Dependency> = {}): Dependency => ({
  dependentTaskId,
  requiredTaskId,
  require: 'completed',
  satisfied: false,
  expires: iso(EPOCH + 365 * DAY),
  ...overrides,
});

/** The DependencyStore contract: idempotent edges readable from both ends, blocked until all are satisfied. */
export function describeDependencyStoreContract(name: string, factory: ContractFactory<DependencyStore>): void {
  describe(`${name}: DependencyStore contract`, () => {
    const fixture = useFixture(factory);
    const store = () => fixture().store;

    it('does not block a task without edges', async () => {
      expect(await store().isBlocked(newId())).toBe(false);
    });

    it('blocks the dependent until every edge is satisfied', async () => {
      const dependent = newId();
      const [a, b] = [newId(), newId()] as const;
      await store().add([edge(dependent, a), edge(dependent, b, { require: 'resolved' })]);
      expect(await store().isBlocked(dependent)).toBe(true);
      await store().satisfy(dependent, a);
      expect(await store().isBlocked(dependent)).toBe(true);
      await store().satisfy(dependent, a);
      expect(await store().isBlocked(dependent)).toBe(true);
      await store().satisfy(dependent, b);
      expect(await store().isBlocked(dependent)).toBe(false);
    });

    it('does not block a dependent whose edges are added already satisfied', async () => {
      const dependent = newId();
      await store().add([edge(dependent, newId(), { satisfied: true })]);
      expect(await store().isBlocked(dependent)).toBe(false);
    });

    it('ignores satisfying a missing edge', async () => {
      const dependent = newId();
      const required = newId();
      await store().satisfy(dependent, required);
      await store().add([edge(dependent, required)]);
      await store().satisfy(dependent, newId());
      expect(await store().isBlocked(dependent)).toBe(true);
      expect(await store().isBlocked(required)).toBe(false);
    });

    it('adds idempotently: an existing edge is left as it is', async () => {
      const dependent = newId();
      const required = newId();
      const original = edge(dependent, required);
      await store().add([original]);
      await store().add([original]);
      await store().satisfy(dependent, required);
      await store().add([original]);
      expect(await store().isBlocked(dependent)).toBe(false);
      const listed = await readAllPages((page) => store().listDependents(required, page), 10);
      expect(listed).toEqual([{ ...original, satisfied: true }]);
    });

    it('lists the dependents of a task once each across pages, in dependentTaskId order', async () => {
      const required = newId();
      const dependents = sortedIds(7);
      await store().add([...dependents].reverse().map((d) => edge(d, required, { require: 'resolved' })));
      await store().add([edge(dependents[0] as string, newId())]);
      for (const limit of [1, 2, 7, 50]) {
        const listed = await readAllPages((page) => store().listDependents(required, page), limit);
        expect(listed.map((e) => e.dependentTaskId)).toEqual(dependents);
        for (const e of listed) expect(e).toEqual(edge(e.dependentTaskId, required, { require: 'resolved' }));
      }
      expect((await store().listDependents(newId(), { limit: 10 })).items).toEqual([]);
    });

    it('removes the edges of a dependent from both ends', async () => {
      const dependent = newId();
      const other = newId();
      const required = newId();
      await store().add([edge(dependent, required), edge(dependent, newId()), edge(other, required)]);
      await store().removeDependent(dependent);
      await store().removeDependent(newId());
      expect(await store().isBlocked(dependent)).toBe(false);
      const listed = await readAllPages((page) => store().listDependents(required, page), 10);
      expect(listed.map((e) => e.dependentTaskId)).toEqual([other]);
    });

    it('deletes expired edges: only those that expire before `before`, at most `limit`, from both ends', async () => {
      const required = newId();
      const expired = [1, 2, 3].map((i) => edge(newId(), required, { expires: iso(EPOCH - i * DAY) }));
      const live = [edge(newId(), required, { expires: iso(EPOCH) }), edge(newId(), required)];
      await store().add([...expired, ...live]);
      expect(await store().deleteExpired({ before: EPOCH, limit: 2 })).toBe(2);
      expect(await store().deleteExpired({ before: EPOCH, limit: 100 })).toBe(1);
      expect(await store().deleteExpired({ before: EPOCH, limit: 100 })).toBe(0);
      const listed = await readAllPages((page) => store().listDependents(required, page), 10);
      expect(listed.map((e) => e.dependentTaskId).sort()).toEqual(live.map((e) => e.dependentTaskId).sort());
      for (const e of expired) expect(await store().isBlocked(e.dependentTaskId)).toBe(false);
    });
  });
}
