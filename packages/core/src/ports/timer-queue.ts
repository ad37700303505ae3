/**
 * `deadline`: resolve the task as deadline-exceeded if unresolved at `due`.
 * `resolved`: the task resolved; schedule its dependents and update its group's active set.
 */
export type TimerKind = 'deadline' | 'resolved';

export interface Timer {
  readonly kind: TimerKind;
  readonly taskId: string;
  /** The task's group, so a timer can settle the group even when the task record is gone. */
  readonly taskGroupId: string;
  /** ms since the epoch. */
  readonly due: number;
  /** Where a long piece of work (many dependents) continues. */
  readonly cursor?: string;
}

export interface LeasedTimer extends Timer {
  readonly receipt: string;
}

/**
 * Durable timers, one per (kind, taskId). They are hints: a handler re-reads the task and acts
 * only when the record still calls for it, so duplicates and stale timers are harmless.
 */
export interface TimerQueue {
  /** Inserts or replaces the timer of (kind, taskId); a replacement voids any lease on it. */
  schedule(timer: Timer): Promise<void>;
  /** Leases up to `limit` timers of `kind` due at `now`, hidden from others until `leaseUntil`. */
  lease(kind: TimerKind, now: number, limit: number, leaseUntil: number): Promise<readonly LeasedTimer[]>;
  /**
   * Deletes a leased timer unless it was replaced since the lease. With `also`, deletes in the
   * same step the timer of kind `also.kind` of the same task, whatever its lease — and nothing
   * at all when the leased timer was replaced. `also.due` (its due time, when known) lets a
   * backend find it without a read.
   */
  complete(timer: LeasedTimer, also?: { readonly kind: TimerKind; readonly due?: number }): Promise<void>;
  /** Deletes the timer of (kind, taskId), leased or not (no-op if absent); voids its lease. */
  remove(kind: TimerKind, taskId: string): Promise<void>;
  /** Deletes up to `limit` timers of `kind` due before `before` (housekeeping). */
  deleteDueBefore(kind: TimerKind, before: number, limit: number): Promise<number>;
}
