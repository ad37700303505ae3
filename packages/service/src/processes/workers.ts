import type { Container } from 'inversify';
import type { BackgroundJobName } from '@taskcluster-queue/core';
import { runContinuously } from '@taskcluster-queue/workers';
import { errorFields } from '../log';
import { TOKENS } from '../tokens';

/** The jobs that run all the time: the claim reaper, the deadline reaper and the dependency resolver. */
export const CONTINUOUS_JOBS = ['expireClaims', 'resolveDeadlines', 'resolveDependencies'] as const satisfies readonly BackgroundJobName[];

/** Runs the continuous jobs until `stop`, which waits for the batches in flight. */
export const startWorkers = (container: Container, jobs: readonly BackgroundJobName[] = CONTINUOUS_JOBS) => {
  const queue = container.get(TOKENS.queue);
  const config = container.get(TOKENS.config);
  const clock = container.get(TOKENS.clock);
  const logger = container.get(TOKENS.logger);
  const controller = new AbortController();
  const loops = jobs.map((name) =>
    runContinuously({
      name,
      run: () => queue.jobs[name](),
      idleDelay: config.QUEUE_REAPER_INTERVAL * 1000,
      errorDelay: config.QUEUE_REAPER_INTERVAL * 1000,
      signal: controller.signal,
      sleep: (ms, signal) => clock.sleep(ms, signal),
      onError: (job, error) => logger('error', `background job ${job} failed; it runs again`, { job, ...errorFields(error) }),
    }),
  );
  return {
    stop: async () => {
      controller.abort();
      await Promise.all(loops);
    },
  };
};
