import type { LeasedTimer, Timer, TimerKind, TimerQueue } from '../../ports/timer-queue';
import { DEFAULT_LEASE_MS, HOUR, newId, outlive, useFixture, type ContractFactory, type LeaseTiming } from './support';

/** A timer that fell due `agoMs` ago (negative: falls due in the future). */
const timer = (kind: TimerKind, agoMs: number, overrides: Partial<Timer> = {}): Timer => ({
  kind,
  taskId: newId(),
  taskGroupId: newId(),
  due: Date.now() - agoMs,
  ...overrides,
});

const plain = ({ receipt: _receipt, ...rest }: LeasedTimer): Timer => rest;

/**
 * The TimerQueue contract: one timer per (kind, taskId), leased in due order once due, hidden
 * while leased; a replacement voids a lease. `now` is the wall clock.
 */
export function describeTimerQueueContract(name: string, factory: ContractFactory<TimerQueue>, timing: LeaseTiming = {}): void {
  const leaseMs = timing.leaseMs ?? DEFAULT_LEASE_MS;

  describe(`${name}: TimerQueue contract`, () => {
    const fixture = useFixture(factory);
    const store = () => fixture().store;
    const lease = (kind: TimerKind, limit = 100) => {
      const now = Date.now();
      return store().lease(kind, now, limit, now + leaseMs);
    };

    it('leases due timers of one kind in due order, at most `limit`', async () => {
      const due = [timer('deadline', 3000), timer('deadline', 1000, { cursor: 'c-1' }), timer('deadline', 2000)];
      for (const t of [timer('deadline', -HOUR), ...due, timer('resolved', 5000)]) await store().schedule(t);
      const first = await lease('deadline', 2);
      const rest = await lease('deadline');
      const expected = [...due].sort((a, b) => a.due - b.due);
      expect([...first, ...rest].map(plain)).toEqual(expected);
      for (const t of [...first, ...rest]) expect(typeof t.receipt).toBe('string');
    });

    it('keeps one timer per (kind, taskId): scheduling again replaces it', async () => {
      const t = timer('resolved', 1000);
      await store().schedule(t);
      const replaced = { ...t, due: Date.now() - 500, cursor: 'next' };
      await store().schedule(replaced);
      const sameTaskOtherKind = { ...t, kind: 'deadline' as const };
      await store().schedule(sameTaskOtherKind);
      expect((await lease('resolved')).map(plain)).toEqual([replaced]);
      expect((await lease('deadline')).map(plain)).toEqual([sameTaskOtherKind]);
    });

    it('does not lease a timer moved into the future', async () => {
      const t = timer('deadline', 1000);
      await store().schedule(t);
      await store().schedule({ ...t, due: Date.now() + HOUR });
      expect(await lease('deadline')).toEqual([]);
    });

    it('hides a leased timer until its lease has passed, and completes only the current lease', async () => {
      const t = timer('deadline', 1000);
      await store().schedule(t);
      const [first] = await lease('deadline');
      expect(first && plain(first)).toEqual(t);
      expect(await lease('deadline')).toEqual([]);
      await outlive(leaseMs);
      const [again] = await lease('deadline');
      expect(again && plain(again)).toEqual(t);
      expect(again?.receipt).not.toBe(first?.receipt);
      await store().complete(first as LeasedTimer);
      await outlive(leaseMs);
      const [still] = await lease('deadline');
      expect(still && plain(still)).toEqual(t);
      await store().complete(still as LeasedTimer);
      await outlive(leaseMs);
      expect(await lease('deadline')).toEqual([]);
    });

    it('deletes a completed timer', async () => {
      const t = timer('resolved', 1000);
      await store().schedule(t);
      const [leased] = await lease('resolved');
      await store().complete(leased as LeasedTimer);
      await store().complete(leased as LeasedTimer);
      await outlive(leaseMs);
      expect(await lease('resolved')).toEqual([]);
    });

    it('voids the lease when the timer is replaced: completing the old lease keeps the new timer', async () => {
      const t = timer('resolved', 1000);
      await store().schedule(t);
      const [old] = await lease('resolved');
      const replaced = { ...t, due: Date.now() - 10, cursor: 'page-2' };
      await store().schedule(replaced);
      await store().complete(old as LeasedTimer);
      const [current] = await lease('resolved');
      expect(current && plain(current)).toEqual(replaced);
    });

    it('removes a timer, leased or not; removing an absent one is a no-op', async () => {
      const [a, b] = [timer('deadline', 1000), timer('deadline', 1000)];
      const other = { ...a, kind: 'resolved' as const };
      for (const t of [a, b, other]) await store().schedule(t);
      await store().remove('deadline', a.taskId);
      const [leased] = await lease('deadline');
      expect(leased && plain(leased)).toEqual(b);
      await store().remove('deadline', b.taskId);
      await store().remove('deadline', b.taskId);
      await store().remove('resolved', newId());
      await store().complete(leased as LeasedTimer);
      await outlive(leaseMs);
      expect(await lease('deadline')).toEqual([]);
      expect((await lease('resolved')).map(plain)).toEqual([other]);
    });

    it('completes a lease together with the timer of another kind of the same task', async () => {
      const notice = timer('resolved', 1000);
      const deadline = { ...notice, kind: 'deadline' as const, due: Date.now() + HOUR };
      const [movedNotice, moved] = [timer('resolved', 1000), timer('deadline', 1000)];
      const movedDeadline = { ...moved, taskId: movedNotice.taskId, taskGroupId: movedNotice.taskGroupId };
      const lone = timer('resolved', 1000);
      for (const t of [notice, deadline, movedNotice, { ...movedDeadline, due: Date.now() + HOUR }, lone]) await store().schedule(t);
      await store().schedule(movedDeadline); // replaced since: found whatever its due was
      const leased = await lease('resolved');
      expect(leased).toHaveLength(3);
      const [d1] = await lease('deadline');
      expect(d1 && plain(d1)).toEqual(movedDeadline); // leased: removed all the same
      for (const t of leased) {
        const alsoDue = t.taskId === notice.taskId ? deadline.due : t.taskId === movedNotice.taskId ? Date.now() + HOUR : undefined;
        await store().complete(t, { kind: 'deadline', ...(alsoDue !== undefined && { due: alsoDue }) });
      }
      await outlive(leaseMs);
      expect(await lease('resolved')).toEqual([]);
      expect(await store().deleteDueBefore('deadline', Date.now() + 2 * HOUR, 100)).toBe(0);
    });

    it('completes nothing, not even the other timer, when the leased one was replaced', async () => {
      const notice = timer('resolved', 1000);
      const deadline = { ...notice, kind: 'deadline' as const, due: Date.now() - 500 };
      await store().schedule(notice);
      await store().schedule(deadline);
      const [old] = await lease('resolved');
      await store().remove('resolved', notice.taskId);
      await store().complete(old as LeasedTimer, { kind: 'deadline', due: deadline.due });
      expect((await lease('deadline')).map(plain)).toEqual([deadline]);
      const renewed = { ...notice, due: Date.now() - 10 };
      await store().schedule(renewed);
      const [current] = await lease('resolved');
      await store().schedule({ ...renewed, cursor: 'page-2' });
      await store().complete(current as LeasedTimer, { kind: 'deadline' });
      expect(await store().deleteDueBefore('deadline', Date.now() + HOUR, 100)).toBe(1);
    });

    it('deletes timers of one kind due before `before`, at most `limit`', async () => {
      const now = Date.now();
      const old = [1, 2, 3].map((i) => timer('deadline', 0, { due: now - i * HOUR }));
      for (const t of [...old, timer('deadline', 0, { due: now + HOUR }), timer('resolved', 0, { due: now - HOUR })]) {
        await store().schedule(t);
      }
      expect(await store().deleteDueBefore('deadline', now, 2)).toBe(2);
      expect(await store().deleteDueBefore('deadline', now, 100)).toBe(1);
      expect(await store().deleteDueBefore('deadline', now, 100)).toBe(0);
      expect(await lease('deadline')).toEqual([]);
      expect(await lease('resolved')).toHaveLength(1);
    });
  });
}
