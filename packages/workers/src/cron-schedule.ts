import { createTask, type Logger as CronLogger, type ScheduledTask } from 'node-cron';
import type { JobResult } from './continuous-job';
import { drain, type DrainSummary } from './drain';

export interface ScheduledJob {
  readonly name: string;
  /** A cron expression (minute hour day-of-month month day-of-week). */
  readonly schedule: string;
  /** One bounded batch of the job; a scheduled run calls it until it finds nothing to do. */
  readonly run: () => Promise<JobResult>;
}

type Level = 'debug' | 'info' | 'warn' | 'error';

export interface CronScheduleOptions {
  readonly jobs: readonly ScheduledJob[];
  /** The time zone of the cron expressions; default UTC. */
  readonly timezone?: string;
  /** Passed to `drain`: most batches of one run. */
  readonly maxBatches?: number;
  readonly onStart?: (name: string) => void;
  readonly onFinish?: (name: string, summary: DrainSummary) => void;
  /** A run failed; the next scheduled run carries on where it stopped. */
  readonly onError: (name: string, error: unknown) => void;
  /** A run came due while this process was still running the previous one: it is skipped. */
  readonly onOverlap?: (name: string) => void;
  /** node-cron's own messages (e.g. a run missed because the process was blocked). */
  readonly log?: (level: Level, message: string) => void;
}

export interface CronSchedule {
  /** Runs a job now, as its schedule does (skipped, resolving undefined, if it is running or stopped). */
  trigger(name: string): Promise<DrainSummary | undefined>;
  /** When each job runs next. */
  nextRuns(): Readonly<Record<string, Date | null>>;
  /** Stops the schedule, lets each running drain finish its batch, and waits for it. */
  stop(): Promise<void>;
}

/** How late a run may start and still run (a busy event loop, a suspended VM): 5 minutes. */
const MISSED_RUN_TOLERANCE = 5 * 60_000;

const call = <A extends unknown[]>(hook: ((...args: A) => void) | undefined, ...args: A) => {
  try {
    hook?.(...args);
  } catch {
    // A broken hook (metrics, logs) must not break the schedule.
  }
};

/**
 * Runs each job on its cron schedule with node-cron. A run drains its job: batch after batch
 * until a batch finds nothing to do. Within one process a job never overlaps itself; across
 * replicas no lease is taken, because every job is a core use case that deletes by
 * conditional or idempotent writes, so two replicas draining one job at once only share the work.
 */
export const startCronSchedule = (options: CronScheduleOptions): CronSchedule => {
  const controller = new AbortController();
  const running = new Map<string, Promise<DrainSummary | undefined>>();
  const jobs = new Map(options.jobs.map((job) => [job.name, job]));
  const log = (level: Level, message: unknown) => call(options.log, level, message instanceof Error ? message.message : String(message));
  const logger: CronLogger = {
    info: (message) => log('info', message),
    warn: (message) => log('warn', message),
    error: (message, error) => log('error', error ?? message),
    debug: (message) => log('debug', message),
  };

  const trigger = (name: string): Promise<DrainSummary | undefined> => {
    const job = jobs.get(name);
    if (!job) return Promise.reject(new RangeError(`no scheduled job named ${JSON.stringify(name)}`));
    if (controller.signal.aborted) return Promise.resolve(undefined);
    if (running.has(name)) {
      call(options.onOverlap, name);
      return Promise.resolve(undefined);
    }
    const execution = (async () => {
      await Promise.resolve(); // registered in `running` before anything runs
      try {
        call(options.onStart, name);
        const summary = await drain(job.run, { signal: controller.signal, maxBatches: options.maxBatches });
        call(options.onFinish, name, summary);
        return summary;
      } catch (error) {
        call(options.onError, name, error);
        return undefined;
      } finally {
        running.delete(name);
      }
    })();
    running.set(name, execution);
    return execution;
  };

  const tasks: ScheduledTask[] = [];
  const schedule = (job: ScheduledJob) => {
    const task = createTask(
      job.schedule,
      () => {
        void trigger(job.name); // node-cron must not track the run: overlap is ours to decide
      },
      {
        name: `taskcluster-queue/${job.name}`,
        timezone: options.timezone ?? 'Etc/UTC',
        missedExecutionTolerance: MISSED_RUN_TOLERANCE,
        logger,
      },
    );
    task.on('execution:missed', (context) => log('warn', `${job.name}: the run due at ${context.date.toISOString()} was missed`));
    tasks.push(task);
  };
  try {
    for (const job of options.jobs) schedule(job);
  } catch (error) {
    for (const task of tasks) void task.destroy(); // a bad expression: leave nothing registered
    throw error;
  }
  for (const task of tasks) void task.start();

  return {
    trigger,
    nextRuns: () => Object.fromEntries(options.jobs.map((job, i) => [job.name, tasks[i]!.getNextRun()])),
    stop: async () => {
      controller.abort();
      await Promise.all(tasks.map((task) => task.destroy()));
      await Promise.all(running.values());
    },
  };
};
