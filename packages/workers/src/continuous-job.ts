/** What a background job returns: how much it did in one bounded batch. */
export interface JobResult {
  readonly handled?: number;
  readonly deleted?: number;
  /** Records left for a later batch (expireArtifacts: blobs it could not delete). */
  readonly failed?: number;
}

export interface ContinuousJobOptions {
  readonly name: string;
  readonly run: () => Promise<JobResult>;
  /** Pause after a batch that found nothing to do. */
  readonly idleDelay: number;
  /** Pause after a failed batch; the messages it was working on come back after their lease. */
  readonly errorDelay: number;
  readonly signal: AbortSignal;
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Told of every failed batch; the loop goes on whatever it does (a throw here is dropped). */
  readonly onError: (name: string, error: unknown) => void;
}

const amount = (result: JobResult) => (result.handled ?? 0) + (result.deleted ?? 0);

/**
 * Runs a job batch after batch until `signal` aborts: straight on while there is work, pausing
 * when idle, and carrying on after an error. Resolves once the batch in flight has finished.
 */
export const runContinuously = async (options: ContinuousJobOptions): Promise<void> => {
  const { signal } = options;
  while (!signal.aborted) {
    let pause = 0;
    try {
      if (amount(await options.run()) === 0) pause = options.idleDelay;
    } catch (error) {
      try {
        options.onError(options.name, error);
      } catch {
        // A broken reporter must not stop the reaper.
      }
      pause = options.errorDelay;
    }
    if (pause > 0 && !signal.aborted) await options.sleep(pause, signal);
  }
};
