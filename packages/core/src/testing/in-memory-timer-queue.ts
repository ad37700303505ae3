import type { LeasedTimer, Timer, TimerKind, TimerQueue } from '../ports/timer-queue';

interface Lease {
  readonly receipt: string;
  /** Hidden from other leases while this has not passed. */
  readonly until: number;
}

interface Kind {
  /**
   * taskId → its timer, as given. A `schedule` deletes and re-inserts, so the map's order is the
   * order of the latest schedules (the tie-break between timers due at the same time).
   */
  readonly timers: Map<string, Timer>;
  /** taskId → the current lease of its timer; a `schedule` drops it, which voids the lease. */
  readonly leases: Map<string, Lease>;
}

/** Timers per (kind, taskId), leased in due order. */
export class InMemoryTimerQueue implements TimerQueue {
  private readonly kinds = new Map<TimerKind, Kind>();
  private receipts = 0;

  async schedule(timer: Timer): Promise<void> {
    let kind = this.kinds.get(timer.kind);
    if (!kind) this.kinds.set(timer.kind, (kind = { timers: new Map(), leases: new Map() }));
    kind.timers.delete(timer.taskId);
    kind.timers.set(timer.taskId, timer);
    kind.leases.delete(timer.taskId);
  }

  async lease(kind: TimerKind, now: number, limit: number, leaseUntil: number): Promise<readonly LeasedTimer[]> {
    const slots = this.kinds.get(kind);
    if (!slots) return [];
    const live = (taskId: string) => {
      const lease = slots.leases.get(taskId);
      return lease !== undefined && lease.until > now;
    };
    // Array sort is stable: timers due at the same time keep their scheduling order.
    const due = [...slots.timers.values()]
      .filter((timer) => timer.due <= now && !live(timer.taskId))
      .sort((a, b) => a.due - b.due)
      .slice(0, Math.max(0, limit));
    return due.map((timer) => {
      const receipt = `timer-${++this.receipts}`;
      slots.leases.set(timer.taskId, { receipt, until: leaseUntil });
      return { ...timer, receipt };
    });
  }

  async complete(timer: LeasedTimer, also?: { kind: TimerKind; due?: number }): Promise<void> {
    const slots = this.kinds.get(timer.kind);
    if (slots?.leases.get(timer.taskId)?.receipt !== timer.receipt) return;
    slots.timers.delete(timer.taskId);
    slots.leases.delete(timer.taskId);
    if (also) await this.remove(also.kind, timer.taskId);
  }

  async remove(kind: TimerKind, taskId: string): Promise<void> {
    const slots = this.kinds.get(kind);
    slots?.timers.delete(taskId);
    slots?.leases.delete(taskId);
  }

  async deleteDueBefore(kind: TimerKind, before: number, limit: number): Promise<number> {
    const slots = this.kinds.get(kind);
    if (!slots) return 0;
    const doomed: string[] = [];
    for (const [taskId, timer] of slots.timers) {
      if (doomed.length >= limit) break;
      if (timer.due < before) doomed.push(taskId);
    }
    for (const taskId of doomed) {
      slots.timers.delete(taskId);
      slots.leases.delete(taskId);
    }
    return doomed.length;
  }
}
