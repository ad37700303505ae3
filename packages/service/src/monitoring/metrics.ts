import type Koa from 'koa';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { unrestrictedCaller, type EventPublisher, type Queue } from '@taskcluster-queue/core';
import type { RequestObservation } from '@taskcluster-queue/http-koa';
import type { JobResult } from '@taskcluster-queue/workers';

type ClosablePublisher = EventPublisher & { close?: () => Promise<void> };

export interface TaskQueueCounts {
  readonly taskQueueId: string;
  readonly pendingTasks: number;
  readonly claimedTasks: number;
}

export interface MetricsOptions {
  /** Wall-clock milliseconds (the service's Clock). */
  readonly now: () => number;
  /** Read on each scrape: the task queues to report, with their counts (bounded by the caller). */
  readonly taskQueueCounts: () => Promise<readonly TaskQueueCounts[]>;
  /** A scrape could not read the task queue counts; the last values stay. */
  readonly onCollectError?: (error: unknown) => void;
}

/**
 * The service's Prometheus metrics (prom-client), in a registry of its own. Requests are
 * counted by API method (the label set is the endpoint table, so it stays bounded); jobs by
 * their kebab-case name; events by exchange; task queues are read from storage on each scrape.
 */
export const createMetrics = (options: MetricsOptions) => {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const startedAt = options.now();

  const requests = new Counter({
    name: 'queue_http_requests_total',
    help: 'API calls answered, by API method and HTTP status',
    labelNames: ['method', 'status'] as const,
    registers: [registry],
  });
  const durations = new Histogram({
    name: 'queue_http_request_duration_seconds',
    help: 'Time to answer an API call, by API method (claimWork includes its long poll)',
    labelNames: ['method'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });

  // One read of the task queues per scrape, shared by both gauges.
  let snapshot: Promise<void> | undefined;
  const collectTaskQueues = () =>
    (snapshot ??= (async () => {
      try {
        const counts = await options.taskQueueCounts();
        pending.reset();
        claimed.reset();
        for (const { taskQueueId, pendingTasks, claimedTasks } of counts) {
          pending.set({ task_queue_id: taskQueueId }, pendingTasks);
          claimed.set({ task_queue_id: taskQueueId }, claimedTasks);
        }
      } catch (error) {
        options.onCollectError?.(error);
      } finally {
        snapshot = undefined;
      }
    })());
  const pending: Gauge<'task_queue_id'> = new Gauge({
    name: 'queue_pending_tasks',
    help: 'Pending runs per task queue (hints; an upper bound of what can be claimed)',
    labelNames: ['task_queue_id'] as const,
    registers: [registry],
    collect: collectTaskQueues,
  });
  const claimed: Gauge<'task_queue_id'> = new Gauge({
    name: 'queue_claimed_tasks',
    help: 'Claimed (running) runs per task queue',
    labelNames: ['task_queue_id'] as const,
    registers: [registry],
    collect: collectTaskQueues,
  });

  const jobRuns = new Counter({
    name: 'queue_job_runs_total',
    help: 'Batches a background job ran, by job',
    labelNames: ['job'] as const,
    registers: [registry],
  });
  const jobFailures = new Counter({
    name: 'queue_job_failures_total',
    help: 'Batches of a background job that failed, by job',
    labelNames: ['job'] as const,
    registers: [registry],
  });
  const jobItems = new Counter({
    name: 'queue_job_items_total',
    help: 'Records a background job handled or deleted, by job',
    labelNames: ['job'] as const,
    registers: [registry],
  });
  const lastSuccess = new Map<string, number>();
  new Gauge({
    name: 'queue_job_lag_seconds',
    help: 'Seconds since a background job last finished a batch without error (since the process started, if never); jobs this process runs',
    labelNames: ['job'] as const,
    registers: [registry],
    collect() {
      for (const [job, at] of lastSuccess) this.set({ job }, Math.max(0, (options.now() - (at || startedAt)) / 1000));
    },
  });

  const published = new Counter({
    name: 'queue_events_published_total',
    help: 'Events published (confirmed by the broker), by exchange',
    labelNames: ['exchange'] as const,
    registers: [registry],
  });
  const failedEvents = new Counter({
    name: 'queue_events_failed_total',
    help: 'Events whose publish failed (the call that caused them fails and is retried), by exchange',
    labelNames: ['exchange'] as const,
    registers: [registry],
  });

  return {
    registry,

    /** For http-koa's `observe` option. */
    observeRequest: ({ method, status, seconds }: RequestObservation): void => {
      requests.inc({ method, status: String(status) });
      durations.observe({ method }, seconds);
    },

    /** The job's batches, counted. */
    instrumentJob: <R extends JobResult>(job: string, run: () => Promise<R>): (() => Promise<R>) => {
      if (!lastSuccess.has(job)) lastSuccess.set(job, 0);
      jobRuns.inc({ job }, 0); // the series exist from the start, so a rate over them does too
      jobFailures.inc({ job }, 0);
      jobItems.inc({ job }, 0);
      return async () => {
        jobRuns.inc({ job });
        try {
          const result = await run();
          jobItems.inc({ job }, (result.handled ?? 0) + (result.deleted ?? 0));
          lastSuccess.set(job, options.now());
          return result;
        } catch (error) {
          jobFailures.inc({ job });
          throw error;
        }
      };
    },

    /** The publisher, counting what it published and what failed. */
    instrumentEvents: (publisher: ClosablePublisher): ClosablePublisher => ({
      publish: async (events) => {
        try {
          await publisher.publish(events);
        } catch (error) {
          for (const { exchange } of events) failedEvents.inc({ exchange });
          throw error;
        }
        for (const { exchange } of events) published.inc({ exchange });
      },
      ...(publisher.close && { close: () => publisher.close!() }),
    }),

    /** `GET /metrics` in Prometheus' text format. */
    middleware: (): Koa.Middleware => async (ctx, next) => {
      if (ctx.path !== '/metrics') return next();
      if (ctx.method !== 'GET' && ctx.method !== 'HEAD') {
        ctx.status = 405;
        return;
      }
      ctx.type = registry.contentType;
      ctx.body = await registry.metrics();
    },
  };
};

export type Metrics = ReturnType<typeof createMetrics>;

/**
 * The counts of the first `limit` live task queues (as `listTaskQueues` orders them), read with
 * the queue's own operations, so every backend reports the same way.
 */
export const readTaskQueueCounts = async (queue: Queue, limit: number): Promise<TaskQueueCounts[]> => {
  const ids: string[] = [];
  let continuationToken: string | undefined;
  // A page may be short (expired queues are skipped) and still carry a token: bound the pages too.
  for (let pages = 0; pages < 10 && ids.length < limit; pages++) {
    const page = await queue.listTaskQueues(unrestrictedCaller, { limit: Math.min(1000, limit - ids.length), continuationToken });
    ids.push(...page.taskQueues.map((taskQueue) => taskQueue.taskQueueId));
    continuationToken = page.continuationToken;
    if (continuationToken === undefined) break;
  }
  return Promise.all(ids.slice(0, limit).map((taskQueueId) => queue.taskQueueCounts(unrestrictedCaller, taskQueueId)));
};
