import type { Container } from 'inversify';
import {
  ALL_JOBS,
  CONTINUOUS_JOBS,
  EXPIRY_SCHEDULE,
  isContinuous,
  jobOf,
  runContinuously,
  startCronSchedule,
  type ContinuousJobName,
  type CronSchedule,
  type ExpiryJobName,
  type JobName,
} from '@taskcluster-queue/workers';
import type { ServiceConfig } from '../config';
import { TOKENS } from '../tokens';

export { CONTINUOUS_JOBS };

/** The idle pause of a continuous loop, in milliseconds. */
export const loopInterval = (config: ServiceConfig, job: ContinuousJobName): number =>
  1000 *
  ({
    'claim-reaper': config.QUEUE_CLAIM_REAPER_INTERVAL,
    'deadline-reaper': config.QUEUE_DEADLINE_REAPER_INTERVAL,
    'dependency-resolver': config.QUEUE_DEPENDENCY_RESOLVER_INTERVAL,
  }[job] ?? config.QUEUE_REAPER_INTERVAL);

/**
 * Runs background jobs until `stop`: the continuous ones in loops, the expiry jobs on their
 * daily (hourly) schedule. Every batch is counted in the metrics; a failed one is reported
 * (log, Sentry) and the job goes on. `stop` lets the batches in flight finish.
 */
export const startWorkers = (
  container: Container,
  jobs: readonly JobName[] = ALL_JOBS,
): { stop: () => Promise<void>; schedule?: CronSchedule } => {
  const queue = container.get(TOKENS.queue);
  const config = container.get(TOKENS.config);
  const clock = container.get(TOKENS.clock);
  const logger = container.get(TOKENS.logger);
  const metrics = container.get(TOKENS.metrics);
  const reporter = container.get(TOKENS.errorReporter);
  const controller = new AbortController();
  const batch = (name: JobName) => metrics.instrumentJob(name, jobOf(queue.jobs, name));
  const onError = (job: string, error: unknown) => reporter.report(error, { job });

  const continuous = jobs.filter(isContinuous);
  const loops = continuous.map((name) =>
    runContinuously({
      name,
      run: batch(name),
      idleDelay: loopInterval(config, name),
      errorDelay: loopInterval(config, name),
      signal: controller.signal,
      sleep: (ms, signal) => clock.sleep(ms, signal),
      onError,
    }),
  );

  const scheduled = jobs.filter((name): name is ExpiryJobName => !isContinuous(name));
  const schedule =
    scheduled.length === 0
      ? undefined
      : startCronSchedule({
          jobs: scheduled.map((name) => ({ name, schedule: EXPIRY_SCHEDULE[name], run: batch(name) })),
          onStart: (job) => logger('info', `${job} started`, { job }),
          onFinish: (job, summary) => logger(summary.failed > 0 ? 'warn' : 'info', `${job} finished`, { job, ...summary }),
          onError,
          onOverlap: (job) => logger('warn', `${job} is still running from its last time: this run is skipped`, { job }),
          log: (level, message) => logger(level, `node-cron: ${message}`),
        });

  logger('info', 'background jobs started', {
    continuous: Object.fromEntries(continuous.map((name) => [name, `every ${loopInterval(config, name) / 1000} s when idle`])),
    scheduled: Object.fromEntries(scheduled.map((name) => [name, `${EXPIRY_SCHEDULE[name]} UTC`])),
  });
  return {
    schedule,
    stop: async () => {
      controller.abort();
      await Promise.all([...loops, schedule?.stop()]);
    },
  };
};
