import type { Priority } from '../domain/priorities';
import type { ExpiredScan, Page, PageRequest } from './versioned';

/** A hint that run `runId` of `taskId` is pending in `taskQueueId`. */
export interface PendingEntry {
  readonly taskQueueId: string;
  readonly priority: Priority;
  readonly taskId: string;
  readonly runId: number;
  /** When the run became pending: order within one priority. */
  readonly inserted: string;
  /** The task's deadline: the hint is worthless afterwards. */
  readonly expires: string;
}

export interface LeasedPendingEntry extends PendingEntry {
  /** Opaque proof of the lease, for `release`. */
  readonly receipt: string;
}

/**
 * Pending hints per task queue, one per (taskId, runId), taken highest priority first and in
 * insertion order within a priority. A hint may be stale: the claimer re-reads the task.
 */
export interface PendingQueue {
  /** Adds the hint, or updates its priority if it exists (idempotent). */
  add(entry: PendingEntry): Promise<void>;
  /**
   * Leases up to `count` visible hints of `taskQueueId`: no other lease sees them until
   * `leaseUntil` (ms) has passed at `now`, or they are released.
   */
  lease(taskQueueId: string, count: number, now: number, leaseUntil: number): Promise<readonly LeasedPendingEntry[]>;
  /** Makes a leased hint visible again, if the lease is still the current one. */
  release(entry: LeasedPendingEntry): Promise<void>;
  /** Removes the hint for (taskId, runId) of `taskQueueId` (the task's), leased or not (no-op if absent). */
  remove(taskQueueId: string, taskId: string, runId: number): Promise<void>;
  /** Number of hints of `taskQueueId`, leased or not. */
  count(taskQueueId: string): Promise<number>;
  /** Hints of `taskQueueId` in claim order. */
  list(taskQueueId: string, page: PageRequest): Promise<Page<PendingEntry>>;
  /** Deletes up to `scan.limit` hints whose task deadline passed before `scan.before`. */
  deleteExpired(scan: ExpiredScan): Promise<number>;
}
