import type { LeasedTimer, Timer, TimerKind, TimerQueue } from '../ports/timer-queue';

interface Slot {
  readonly timer: Timer;
  readonly seq: number;
  /** The current lease; a `schedule` makes a new slot, which voids it. */
  receipt?: string;
  leaseUntil: number;
}

/** Timers per (kind, taskId), leased in due order. */
export class InMemoryTimerQueue implements TimerQueue {
  private readonly kinds = new Map<TimerKind, Map<string, Slot>>();
  private seq = 0;
  private receipts = 0;

  async schedule(timer: Timer): Promise<void> {
    let slots = this.kinds.get(timer.kind);
    if (!slots) this.kinds.set(timer.kind, (slots = new Map()));
    slots.set(timer.taskId, { timer, seq: this.seq++, leaseUntil: 0 });
  }

  async lease(kind: TimerKind, now: number, limit: number, leaseUntil: number): Promise<readonly LeasedTimer[]> {
    const due = [...(this.kinds.get(kind)?.values() ?? [])]
      .filter((slot) => slot.timer.due <= now && !(slot.receipt !== undefined && slot.leaseUntil > now))
      .sort((a, b) => a.timer.due - b.timer.due || a.seq - b.seq)
      .slice(0, Math.max(0, limit));
    return due.map((slot) => {
      slot.receipt = `timer-${++this.receipts}`;
      slot.leaseUntil = leaseUntil;
      return { ...slot.timer, receipt: slot.receipt };
    });
  }

  async complete(timer: LeasedTimer): Promise<void> {
    const slots = this.kinds.get(timer.kind);
    if (slots?.get(timer.taskId)?.receipt === timer.receipt) slots.delete(timer.taskId);
  }

  async deleteDueBefore(kind: TimerKind, before: number, limit: number): Promise<number> {
    const slots = this.kinds.get(kind);
    if (!slots) return 0;
    const doomed: string[] = [];
    for (const [taskId, slot] of slots) {
      if (doomed.length >= limit) break;
      if (slot.timer.due < before) doomed.push(taskId);
    }
    for (const taskId of doomed) slots.delete(taskId);
    return doomed.length;
  }
}
