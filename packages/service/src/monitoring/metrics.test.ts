import { unrestrictedCaller, type QueueEvent } from '@taskcluster-queue/core';
import { listen, sample, slugid, taskDefinition, testContainer } from '../service.test-support';
import { TOKENS } from '../tokens';
import { createMetrics, type MetricsOptions } from './metrics';

const API = '/api/queue/v1';
const json = (method: string, body: unknown): RequestInit => ({ method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('GET /metrics on the API port', () => {
  it('answers request counts and durations per API method, task queue counts and events', async () => {
    const { container, clock } = testContainer({ QUEUE_METRICS_TASK_QUEUES: '2' });
    const http = await listen(container);
    try {
      for (const taskQueueId of ['prov/wt', 'prov/other', 'prov/third']) {
        const created = await fetch(`${http.base}${API}/task/${slugid()}`, json('PUT', taskDefinition(clock.now(), taskQueueId)));
        expect(created.status).toBe(200);
      }
      await fetch(`${http.base}${API}/task/${slugid()}`, json('PUT', taskDefinition(clock.now(), 'prov/wt')));
      // A task queue is known once a worker asked it for work.
      for (const taskQueueId of ['prov/wt', 'prov/other', 'prov/third']) {
        const claimed = await fetch(`${http.base}${API}/claim-work/${encodeURIComponent(taskQueueId)}`, json('POST', { workerGroup: 'wg', workerId: 'w1', tasks: 1 }));
        expect(((await claimed.json()) as { tasks: unknown[] }).tasks).toHaveLength(1);
      }
      expect((await fetch(`${http.base}${API}/task/${slugid()}`)).status).toBe(404);

      const response = await fetch(`${http.base}/metrics`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = await response.text();
      expect(sample(text, 'queue_http_requests_total{method="createTask",status="200"}')).toBe(4);
      expect(sample(text, 'queue_http_requests_total{method="claimWork",status="200"}')).toBe(3);
      expect(sample(text, 'queue_http_requests_total{method="task",status="404"}')).toBe(1);
      expect(sample(text, 'queue_http_request_duration_seconds_count{method="createTask"}')).toBe(4);
      expect(text).toContain('queue_http_request_duration_seconds_bucket{le="0.005",method="createTask"}');
      // Task queues are listed by id, and only the first QUEUE_METRICS_TASK_QUEUES are reported.
      const reported = text.split('\n').filter((line) => line.startsWith('queue_pending_tasks{'));
      expect(reported).toHaveLength(2);
      expect(text.split('\n').filter((line) => line.startsWith('queue_claimed_tasks{'))).toHaveLength(2);
      expect(sample(text, 'queue_events_published_total{exchange="task-defined"}')).toBe(4);
      expect(sample(text, 'queue_events_published_total{exchange="task-running"}')).toBe(3);
      expect(text).toContain('process_cpu_user_seconds_total');
      // /metrics itself is not an API method
      expect(text).not.toContain('method="metrics"');
    } finally {
      await http.close();
      await container.get(TOKENS.events).close?.();
    }
  });

  it('reports pending and claimed counts per task queue', async () => {
    const { container, clock } = testContainer();
    const queue = container.get(TOKENS.queue);
    const http = await listen(container);
    try {
      await fetch(`${http.base}${API}/task/${slugid()}`, json('PUT', taskDefinition(clock.now())));
      await fetch(`${http.base}${API}/task/${slugid()}`, json('PUT', taskDefinition(clock.now())));
      await fetch(`${http.base}${API}/claim-work/prov%2Fwt`, json('POST', { workerGroup: 'wg', workerId: 'w1', tasks: 1 }));
      expect(await queue.taskQueueCounts(unrestrictedCaller, 'prov/wt')).toMatchObject({
        pendingTasks: 1,
        claimedTasks: 1,
      });
      const text = await (await fetch(`${http.base}/metrics`)).text();
      expect(sample(text, 'queue_pending_tasks{task_queue_id="prov/wt"}')).toBe(1);
      expect(sample(text, 'queue_claimed_tasks{task_queue_id="prov/wt"}')).toBe(1);
    } finally {
      await http.close();
    }
  });
});

describe('createMetrics', () => {
  const metrics = (taskQueueCounts: MetricsOptions['taskQueueCounts'] = async () => [], onCollectError?: (error: unknown) => void) => {
    let now = 1_000_000;
    const created = createMetrics({ now: () => now, taskQueueCounts, onCollectError });
    return { metrics: created, tick: (ms: number) => (now += ms) };
  };

  it('counts events that failed to publish, and rethrows', async () => {
    const { metrics: m } = metrics();
    const event: QueueEvent = { exchange: 'task-pending', routingKey: 'primary.x', cc: [], payload: {} };
    const failing = m.instrumentEvents({
      publish: async () => {
        throw new Error('broker down');
      },
    });
    await expect(failing.publish([event, event])).rejects.toThrow('broker down');
    const text = await m.registry.metrics();
    expect(sample(text, 'queue_events_failed_total{exchange="task-pending"}')).toBe(2);
    expect(sample(text, 'queue_events_published_total{exchange="task-pending"}')).toBeUndefined();
  });

  it('measures job lag as the time since the last successful batch', async () => {
    const { metrics: m, tick } = metrics();
    let fail = false;
    const job = m.instrumentJob('expire-tasks', async () => {
      if (fail) throw new Error('nope');
      return { deleted: 4 };
    });
    tick(5_000);
    expect(sample(await m.registry.metrics(), 'queue_job_lag_seconds{job="expire-tasks"}')).toBe(5); // never ran: since start
    await job();
    tick(30_000);
    fail = true;
    await expect(job()).rejects.toThrow('nope');
    const text = await m.registry.metrics();
    expect(sample(text, 'queue_job_lag_seconds{job="expire-tasks"}')).toBe(30);
    expect(sample(text, 'queue_job_runs_total{job="expire-tasks"}')).toBe(2);
    expect(sample(text, 'queue_job_failures_total{job="expire-tasks"}')).toBe(1);
    expect(sample(text, 'queue_job_items_total{job="expire-tasks"}')).toBe(4);
  });

  it('still answers when the task queues cannot be read, keeping the last values', async () => {
    let broken = false;
    const errors: unknown[] = [];
    const { metrics: m } = metrics(async () => {
      if (broken) throw new Error('storage down');
      return [{ taskQueueId: 'prov/wt', pendingTasks: 3, claimedTasks: 1 }];
    }, (error) => errors.push(error));
    expect(sample(await m.registry.metrics(), 'queue_pending_tasks{task_queue_id="prov/wt"}')).toBe(3);
    broken = true;
    expect(sample(await m.registry.metrics(), 'queue_pending_tasks{task_queue_id="prov/wt"}')).toBe(3);
    expect(errors).toEqual([new Error('storage down')]);
  });
});
