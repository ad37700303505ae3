import type { Claim, ClaimStore, LeasedClaim } from '../../ports/claim-store';
import {
  DEFAULT_LEASE_MS,
  HOUR,
  iso,
  newId,
  outlive,
  readAllPages,
  useFixture,
  type ContractFactory,
  type LeaseTiming,
} from './support';

let queues = 0;
const newTaskQueueId = () => `contract-${++queues}-${newId().toLowerCase().replace(/[^a-z0-9]/g, 'x').slice(0, 10)}/wt`;

/** A claim that fell due `agoMs` ago (negative: falls due in the future). */
const claim = (taskQueueId: string, agoMs: number, overrides: Partial<Claim> = {}): Claim => ({
  taskQueueId,
  taskId: newId(),
  runId: 0,
  workerGroup: 'group',
  workerId: 'worker',
  claimed: iso(Date.now() - agoMs - 20 * 60 * 1000),
  takenUntil: iso(Date.now() - agoMs),
  ...overrides,
});

const ref = (c: Claim) => `${c.taskId}/${c.runId}`;
const plain = ({ receipt: _receipt, ...rest }: LeasedClaim): Claim => rest;

/**
 * The ClaimStore contract: one claim per run, each a timer due at `takenUntil`; leases hide,
 * a replacement voids a lease, and only the current lease completes. `now` is the wall clock.
 */
export function describeClaimStoreContract(name: string, factory: ContractFactory<ClaimStore>, timing: LeaseTiming = {}): void {
  const leaseMs = timing.leaseMs ?? DEFAULT_LEASE_MS;

  describe(`${name}: ClaimStore contract`, () => {
    const fixture = useFixture(factory);
    const store = () => fixture().store;
    const leaseExpired = (limit = 100) => {
      const now = Date.now();
      return store().leaseExpired(now, limit, now + leaseMs);
    };

    it('puts, counts, lists and removes claims per task queue', async () => {
      const q = newTaskQueueId();
      const claims = [claim(q, -HOUR), claim(q, -HOUR, { runId: 3 }), claim(q, -2 * HOUR)];
      for (const c of claims) await store().put(c);
      await store().put(claim(newTaskQueueId(), -HOUR));
      expect(await store().count(q)).toBe(3);
      const listed = await readAllPages((page) => store().list(q, page), 2);
      expect(listed.map(ref).sort()).toEqual(claims.map(ref).sort());
      for (const c of listed) expect(c).toEqual(claims.find((x) => ref(x) === ref(c)));
      await store().remove((claims[0] as Claim).taskId, 0);
      await store().remove(newId(), 0);
      expect(await store().count(q)).toBe(2);
      expect(await store().count(newTaskQueueId())).toBe(0);
    });

    it('lists every claim once across pages', async () => {
      const q = newTaskQueueId();
      const claims = Array.from({ length: 7 }, () => claim(q, -HOUR));
      for (const c of claims) await store().put(c);
      for (const limit of [1, 3, 100]) {
        const listed = await readAllPages((page) => store().list(q, page), limit);
        expect(listed.map(ref).sort()).toEqual(claims.map(ref).sort());
      }
    });

    it('leases only claims whose takenUntil has passed, at most `limit`', async () => {
      const q = newTaskQueueId();
      const due = [claim(q, 3000), claim(q, 1000), claim(q, 2000)];
      const notDue = [claim(q, -HOUR), claim(q, -60_000)];
      for (const c of [...notDue, ...due]) await store().put(c);
      const some = await leaseExpired(2);
      expect(some).toHaveLength(2);
      const rest = await leaseExpired();
      expect([...some, ...rest].map(ref).sort()).toEqual(due.map(ref).sort());
      for (const leased of [...some, ...rest]) {
        expect(typeof leased.receipt).toBe('string');
        expect(plain(leased)).toEqual(due.find((c) => ref(c) === ref(leased)));
      }
    });

    it('hides a leased claim from other leases until its lease has passed', async () => {
      const q = newTaskQueueId();
      const c = claim(q, 1000);
      await store().put(c);
      const [first] = await leaseExpired();
      expect(first && ref(first)).toBe(ref(c));
      expect(await leaseExpired()).toEqual([]);
      expect(await store().count(q)).toBe(1);
      await outlive(leaseMs);
      const [again] = await leaseExpired();
      expect(again && ref(again)).toBe(ref(c));
      expect(again?.receipt).not.toBe(first?.receipt);
      await store().complete(first as LeasedClaim);
      expect(await store().count(q)).toBe(1);
      await store().complete(again as LeasedClaim);
      expect(await store().count(q)).toBe(0);
    });

    it('completes a leased claim by removing it', async () => {
      const q = newTaskQueueId();
      await store().put(claim(q, 1000));
      const [leased] = await leaseExpired();
      await store().complete(leased as LeasedClaim);
      expect(await store().count(q)).toBe(0);
      await store().complete(leased as LeasedClaim);
      await outlive(leaseMs);
      expect(await leaseExpired()).toEqual([]);
    });

    it('voids the lease when the claim is replaced: completing the old lease leaves the new claim', async () => {
      const q = newTaskQueueId();
      const c = claim(q, 1000);
      await store().put(c);
      const [leased] = await leaseExpired();
      const reclaimed = { ...c, takenUntil: iso(Date.now() + HOUR) };
      await store().put(reclaimed);
      await store().complete(leased as LeasedClaim);
      expect(await store().count(q)).toBe(1);
      expect(await readAllPages((page) => store().list(q, page), 10)).toEqual([reclaimed]);
      expect(await leaseExpired()).toEqual([]);
    });

    it('makes a replaced claim that is due leasable at once', async () => {
      const q = newTaskQueueId();
      const c = claim(q, 1000);
      await store().put(c);
      const [old] = await leaseExpired();
      const replaced = { ...c, workerId: 'other', takenUntil: iso(Date.now() - 500) };
      await store().put(replaced);
      const [current] = await leaseExpired();
      expect(current && plain(current)).toEqual(replaced);
      await store().complete(old as LeasedClaim);
      expect(await store().count(q)).toBe(1);
      await store().complete(current as LeasedClaim);
      expect(await store().count(q)).toBe(0);
    });

    it('removes a leased claim', async () => {
      const q = newTaskQueueId();
      const c = claim(q, 1000);
      await store().put(c);
      const [leased] = await leaseExpired();
      await store().remove(c.taskId, c.runId);
      await store().complete(leased as LeasedClaim);
      expect(await store().count(q)).toBe(0);
      await outlive(leaseMs);
      expect(await leaseExpired()).toEqual([]);
    });
  });
}
