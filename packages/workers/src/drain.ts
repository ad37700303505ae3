import type { Queue } from '@taskcluster-queue/core';
import type { JobResult } from './continuous-job';
import { JOB_NAMES, jobNamed, type JobName } from './job-names';

export interface DrainOptions {
  /** Stops between two batches (the batch in flight finishes). */
  readonly signal?: AbortSignal;
  /**
   * Most batches of one drain, a guard against a job that never runs dry; the next run carries
   * on where this one stopped. Default 100 000 (ten million records at the core's batch size).
   */
  readonly maxBatches?: number;
}

export interface DrainSummary {
  readonly batches: number;
  /** Records handled or deleted. */
  readonly done: number;
  /** Records a batch had to leave for a later run (expireArtifacts: blobs it could not delete). */
  readonly failed: number;
  /** False when the drain stopped early (aborted, or `maxBatches` reached). */
  readonly complete: boolean;
}

const DEFAULT_MAX_BATCHES = 100_000;

/** Records a batch moved on; a batch that left only failures behind made no progress. */
const progress = (result: JobResult) => (result.handled ?? 0) + (result.deleted ?? 0);

/**
 * Runs a job batch after batch until a batch finds nothing to do. Each batch is one call of the
 * core's idempotent use case, so a drain stopped (or killed) half-way is simply run again later.
 * An error ends the drain and is thrown.
 */
export const drain = async (run: () => Promise<JobResult>, options: DrainOptions = {}): Promise<DrainSummary> => {
  const maxBatches = options.maxBatches ?? DEFAULT_MAX_BATCHES;
  let batches = 0;
  let done = 0;
  let failed = 0;
  for (;;) {
    if (options.signal?.aborted || batches >= maxBatches) return { batches, done, failed, complete: false };
    const result = await run();
    batches++;
    done += progress(result);
    failed += result.failed ?? 0;
    // Failures come back in the next batch: stop once a batch moved nothing, not on failures alone.
    if (progress(result) === 0) return { batches, done, failed, complete: true };
  }
};

/** One batch of a job of `queue`, by its kebab-case name. */
export const jobOf = (jobs: Queue['jobs'], name: JobName): (() => Promise<JobResult>) => jobs[JOB_NAMES[name]];

/**
 * Drains one background job of `queue` by name (kebab-case, e.g. `expire-artifacts`, or the
 * core's `expireArtifacts`): what `taskcluster-queue run <job>` does.
 */
export const runJobOnce = (jobs: Queue['jobs'], name: string, options: DrainOptions = {}): Promise<DrainSummary> => {
  const job = jobNamed(name);
  if (!job) return Promise.reject(new RangeError(`no background job named ${JSON.stringify(name)}; one of: ${Object.keys(JOB_NAMES).join(', ')}`));
  return drain(jobOf(jobs, job), options);
};
