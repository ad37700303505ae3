import type { Page, PageRequest } from './versioned';

/** A running run of `taskQueueId`, claimed by a worker until `takenUntil`. */
export interface Claim {
  readonly taskQueueId: string;
  readonly taskId: string;
  readonly runId: number;
  readonly workerGroup: string;
  readonly workerId: string;
  readonly claimed: string;
  readonly takenUntil: string;
}

export interface LeasedClaim extends Claim {
  readonly receipt: string;
}

/**
 * The claimed runs per task queue, one per (taskId, runId). Each entry is also the claim-expiry
 * timer: it falls due at `takenUntil`. Written before the task record changes, so a crash
 * leaves a stale entry (the reaper re-reads the task) and never a claim nothing will expire.
 */
export interface ClaimStore {
  /** Inserts or replaces the claim of (taskId, runId); a replacement voids any lease on it. */
  put(claim: Claim): Promise<void>;
  /** Removes the claim (no-op if absent). */
  remove(taskId: string, runId: number): Promise<void>;
  count(taskQueueId: string): Promise<number>;
  list(taskQueueId: string, page: PageRequest): Promise<Page<Claim>>;
  /** Leases up to `limit` claims whose `takenUntil` is at or before `now`. */
  leaseExpired(now: number, limit: number, leaseUntil: number): Promise<readonly LeasedClaim[]>;
  /** Removes a leased claim if it has not been replaced since the lease. */
  complete(claim: LeasedClaim): Promise<void>;
}
