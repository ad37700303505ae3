import type { Priority } from '../../domain/priorities';
import type { PendingEntry, PendingQueue } from '../../ports/pending-queue';
import {
  DAY,
  DEFAULT_LEASE_MS,
  EPOCH,
  iso,
  newId,
  outlive,
  readAllPages,
  useFixture,
  type ContractFactory,
  type LeaseTiming,
} from './support';

let queues = 0;
/** A task queue of this test only. */
const newTaskQueueId = () => `contract-${++queues}-${newId().toLowerCase().replace(/[^a-z0-9]/g, 'x').slice(0, 10)}/wt`;

const entry = (taskQueueId: string, priority: Priority = 'lowest', overrides: Partial<PendingEntry> = {}): PendingEntry => ({
  taskQueueId,
  priority,
  taskId: newId(),
  runId: 0,
  inserted: iso(Date.now()),
  expires: iso(Date.now() + DAY),
  ...overrides,
});

const ref = (e: PendingEntry) => `${e.taskId}/${e.runId}`;

/**
 * The PendingQueue contract: one hint per run, leased highest priority first and FIFO within a
 * priority, hidden while leased. `now` is the wall clock, and lease expiry is waited for.
 */
export function describePendingQueueContract(name: string, factory: ContractFactory<PendingQueue>, timing: LeaseTiming = {}): void {
  const leaseMs = timing.leaseMs ?? DEFAULT_LEASE_MS;

  describe(`${name}: PendingQueue contract`, () => {
    const fixture = useFixture(factory);
    const store = () => fixture().store;
    const lease = (taskQueueId: string, count: number) => {
      const now = Date.now();
      return store().lease(taskQueueId, count, now, now + leaseMs);
    };

    it('leases highest priority first, then in insertion order', async () => {
      const q = newTaskQueueId();
      const added = [
        entry(q, 'low'),
        entry(q, 'highest'),
        entry(q, 'low'),
        entry(q, 'medium'),
        entry(q, 'highest'),
        entry(q, 'lowest'),
        entry(q, 'very-high'),
        entry(q, 'low'),
      ];
      for (const e of added) await store().add(e);
      const order = ['highest', 'very-high', 'high', 'medium', 'low', 'very-low', 'lowest'];
      const expected = [...added].sort((a, b) => order.indexOf(a.priority) - order.indexOf(b.priority));

      const listed = await readAllPages((page) => store().list(q, page), 3);
      expect(listed).toEqual(expected);

      const first = await lease(q, 3);
      const rest = await lease(q, 10);
      expect([...first, ...rest].map(ref)).toEqual(expected.map(ref));
      for (const leased of [...first, ...rest]) {
        const { receipt, ...plain } = leased;
        expect(typeof receipt).toBe('string');
        expect(plain).toEqual(expected.find((e) => ref(e) === ref(leased)));
      }
    });

    it('leases at most `count`, and nothing from an empty or unknown queue', async () => {
      const q = newTaskQueueId();
      expect(await lease(q, 5)).toEqual([]);
      for (let i = 0; i < 4; i++) await store().add(entry(q));
      expect(await lease(q, 3)).toHaveLength(3);
      expect(await lease(q, 3)).toHaveLength(1);
      expect(await lease(q, 3)).toHaveLength(0);
    });

    it('hides a leased hint from other leases until its lease has passed', async () => {
      const q = newTaskQueueId();
      const [a, b] = [entry(q), entry(q)];
      await store().add(a);
      await store().add(b);
      const first = await lease(q, 1);
      expect(first.map(ref)).toEqual([ref(a)]);
      const second = await lease(q, 5);
      expect(second.map(ref)).toEqual([ref(b)]);
      expect(await lease(q, 5)).toEqual([]);
      expect(await store().count(q)).toBe(2);
      await outlive(leaseMs);
      const again = await lease(q, 5);
      expect(again.map(ref)).toEqual([ref(a), ref(b)]);
      expect(again[0]?.receipt).not.toBe(first[0]?.receipt);
    });

    it('makes a released hint visible again, in its place', async () => {
      const q = newTaskQueueId();
      const [a, b] = [entry(q), entry(q)];
      await store().add(a);
      await store().add(b);
      const [leased] = await lease(q, 1);
      await store().release(leased as NonNullable<typeof leased>);
      expect((await lease(q, 5)).map(ref)).toEqual([ref(a), ref(b)]);
    });

    it('ignores the release of a lease that is no longer current', async () => {
      const q = newTaskQueueId();
      await store().add(entry(q));
      const [old] = await lease(q, 1);
      await outlive(leaseMs);
      const [current] = await lease(q, 1);
      expect(current).toBeDefined();
      await store().release(old as NonNullable<typeof old>);
      expect(await lease(q, 1)).toEqual([]);
    });

    it('removes a hint, leased or not; removing an absent hint is a no-op', async () => {
      const q = newTaskQueueId();
      const [a, b, c] = [entry(q), entry(q), entry(q)];
      for (const e of [a, b, c]) await store().add(e);
      const [leased] = await lease(q, 1);
      await store().remove(q, a.taskId, a.runId);
      await store().remove(q, c.taskId, c.runId);
      await store().remove(q, c.taskId, c.runId);
      await store().remove(q, newId(), 0);
      await store().remove(newTaskQueueId(), newId(), 0);
      expect(await store().count(q)).toBe(1);
      await store().release(leased as NonNullable<typeof leased>);
      expect((await lease(q, 5)).map(ref)).toEqual([ref(b)]);
      await outlive(leaseMs);
      expect((await lease(q, 5)).map(ref)).toEqual([ref(b)]);
    });

    it('keeps one hint per run: adding again only changes its priority', async () => {
      const q = newTaskQueueId();
      const a = entry(q, 'low');
      const b = entry(q, 'low');
      const a1 = entry(q, 'low', { taskId: a.taskId, runId: 1 });
      await store().add(a);
      await store().add(b);
      await store().add(a1);
      await store().add(a);
      await store().add({ ...b, inserted: iso(EPOCH), expires: iso(EPOCH + 2 * DAY) });
      expect(await store().count(q)).toBe(3);
      expect(await readAllPages((page) => store().list(q, page), 10)).toEqual([a, b, a1]);

      await store().add({ ...a1, priority: 'high' });
      const listed = await readAllPages((page) => store().list(q, page), 10);
      expect(listed).toEqual([{ ...a1, priority: 'high' }, a, b]);
      expect(await store().count(q)).toBe(3);
    });

    it('counts leased and unleased hints of one task queue', async () => {
      const q = newTaskQueueId();
      const other = newTaskQueueId();
      expect(await store().count(q)).toBe(0);
      for (let i = 0; i < 3; i++) await store().add(entry(q, i === 0 ? 'high' : 'low'));
      await store().add(entry(other));
      await lease(q, 2);
      expect(await store().count(q)).toBe(3);
      expect(await store().count(other)).toBe(1);
    });

    it('keeps task queues apart', async () => {
      const [q1, q2] = [newTaskQueueId(), newTaskQueueId()];
      const a = entry(q1);
      const b = entry(q2, 'highest');
      await store().add(a);
      await store().add(b);
      expect((await lease(q1, 5)).map(ref)).toEqual([ref(a)]);
      expect(await readAllPages((page) => store().list(q2, page), 10)).toEqual([b]);
    });

    it('lists every hint once across pages, in claim order', async () => {
      const q = newTaskQueueId();
      const priorities: Priority[] = ['low', 'high', 'low', 'lowest', 'high', 'highest', 'low'];
      const added = priorities.map((p) => entry(q, p));
      for (const e of added) await store().add(e);
      const order = ['highest', 'very-high', 'high', 'medium', 'low', 'very-low', 'lowest'];
      const expected = [...added].sort((a, b) => order.indexOf(a.priority) - order.indexOf(b.priority));
      for (const limit of [1, 2, 3, 100]) expect(await readAllPages((page) => store().list(q, page), limit)).toEqual(expected);
    });

    it('never leases one hint to two concurrent leases', async () => {
      const q = newTaskQueueId();
      for (let i = 0; i < 10; i++) await store().add(entry(q));
      const batches = await Promise.all(Array.from({ length: 8 }, () => lease(q, 2)));
      const refs = batches.flat().map(ref);
      expect(new Set(refs).size).toBe(refs.length);
      expect(refs).toHaveLength(10);
    });

    it('deletes hints whose deadline passed before `before`, at most `limit`', async () => {
      const q = newTaskQueueId();
      const expired = [1, 2, 3].map((i) => entry(q, 'low', { expires: iso(EPOCH - i * DAY) }));
      const live = [entry(q, 'low', { expires: iso(EPOCH) }), entry(q, 'low', { expires: iso(EPOCH + DAY) })];
      for (const e of [...expired, ...live]) await store().add(e);
      expect(await store().deleteExpired({ before: EPOCH, limit: 2 })).toBe(2);
      expect(await store().deleteExpired({ before: EPOCH, limit: 100 })).toBe(1);
      expect(await store().deleteExpired({ before: EPOCH, limit: 100 })).toBe(0);
      expect(await readAllPages((page) => store().list(q, page), 10)).toEqual(live);
    });
  });
}
