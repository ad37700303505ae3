import { DAY, MINUTE, SECOND } from './domain/time';

/** Deployment settings of the core; every duration in milliseconds. */
export interface QueueConfig {
  /** How long a claim lasts before it must be reclaimed (upstream `claimTimeout`, 1200 s). */
  readonly claimTimeout: number;
  /** Furthest a deadline may be from now (5 days). */
  readonly maxTaskDeadline: number;
  /** Extra life of a task group beyond its latest task's expiry. */
  readonly taskGroupExpiresExtension: number;
  /** Artifacts may still be created this long after an `exception` resolution. */
  readonly artifactExceptionWindow: number;
  /** How long a claimWork call waits for work when none is pending (the long poll). */
  readonly claimWorkWait: number;
  /** While waiting, how often claimWork looks for work made by other replicas. */
  readonly claimWorkPollInterval: number;
  /** How long a leased hint or timer stays hidden from other replicas. */
  readonly leaseDuration: number;
  /** Page size of the background jobs. */
  readonly batchSize: number;
  /**
   * Largest task definition accepted, in characters of JSON: checked before anything is written,
   * so a backend's record limit (Azure: 1 MiB per entity) is a clear 400, never a failed write.
   */
  readonly maxTaskSize: number;
}

export const defaultQueueConfig: QueueConfig = {
  claimTimeout: 1200 * SECOND,
  maxTaskDeadline: 5 * DAY,
  taskGroupExpiresExtension: 0,
  artifactExceptionWindow: 25 * MINUTE,
  claimWorkWait: 20 * SECOND,
  claimWorkPollInterval: 1 * SECOND,
  leaseDuration: 5 * MINUTE,
  batchSize: 100,
  maxTaskSize: 400_000,
};
