import { eventually, freePort, startService, type Service } from './process.test-support';
import { sample, slugid, taskDefinition } from './service.test-support';

// The background jobs through the built process, with real timers and a claim timeout of
// seconds. On the memory backend only `all` shares state between the API and the jobs; with
// Azure storage the same flow runs against separate `web` and `workers` processes.

const json = (method: string, body: unknown): RequestInit => ({ method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

interface Status {
  readonly status: { readonly state: string; readonly runs: ReadonlyArray<{ readonly state: string; readonly reasonCreated: string; readonly reasonResolved?: string }> };
}
const runsOf = (status: Status) => status.status.runs.map((run) => `${run.state}/${run.reasonResolved ?? run.reasonCreated}`);

describe('the worker process (real timers)', () => {
  const started: Service[] = [];
  const start = (args: readonly string[], env: Record<string, string>) => {
    const service = startService(args, env);
    started.push(service);
    return service;
  };
  afterEach(async () => {
    await Promise.all(started.splice(0).map((service) => service.stop()));
  });

  it('all: an unreclaimed claim becomes claim-expired (a retry while retries remain); /metrics shows it; SIGTERM exits 0', async () => {
    const port = await freePort();
    const service = start(['all'], {
      PORT: String(port),
      QUEUE_CLAIM_TIMEOUT: '2',
      QUEUE_CLAIM_REAPER_INTERVAL: '0.2',
      QUEUE_ANONYMOUS_SCOPES: '["*"]',
    });
    await service.waitFor('TASKCLUSTER_ACCESS_TOKEN=');
    const api = `http://127.0.0.1:${port}/api/queue/v1`;
    const retried = slugid();
    const last = slugid();
    expect((await fetch(`${api}/task/${retried}`, json('PUT', taskDefinition(Date.now(), 'prov/wt', { retries: 1 })))).status).toBe(200);
    expect((await fetch(`${api}/task/${last}`, json('PUT', taskDefinition(Date.now(), 'prov/wt', { retries: 0 })))).status).toBe(200);
    const claimed = (await (await fetch(`${api}/claim-work/prov%2Fwt`, json('POST', { workerGroup: 'wg', workerId: 'w1', tasks: 2 }))).json()) as {
      tasks: unknown[];
    };
    expect(claimed.tasks).toHaveLength(2);

    const status = async (taskId: string) => (await (await fetch(`${api}/task/${taskId}/status`)).json()) as Status;
    const [a, b] = await eventually(
      async () => {
        const both = [await status(retried), await status(last)] as const;
        return both.every((s) => runsOf(s)[0]?.startsWith('exception')) ? both : undefined;
      },
      20_000,
      'the claim reaper',
    );
    expect(runsOf(a)).toEqual(['exception/claim-expired', 'pending/retry']);
    expect(runsOf(b)).toEqual(['exception/claim-expired']);
    expect(b.status.state).toBe('exception');

    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(sample(metrics, 'queue_http_requests_total{method="createTask",status="200"}')).toBe(2);
    expect(sample(metrics, 'queue_http_request_duration_seconds_count{method="claimWork"}')).toBe(1);
    expect(sample(metrics, 'queue_job_items_total{job="claim-reaper"}')).toBe(2);
    expect(sample(metrics, 'queue_job_failures_total{job="claim-reaper"}')).toBe(0);
    expect(sample(metrics, 'queue_job_lag_seconds{job="claim-reaper"}')).toBeDefined();
    expect(sample(metrics, 'queue_job_runs_total{job="expire-artifacts"}')).toBe(0); // scheduled, not yet due
    expect(sample(metrics, 'queue_pending_tasks{task_queue_id="prov/wt"}')).toBe(1);
    expect(sample(metrics, 'queue_claimed_tasks{task_queue_id="prov/wt"}')).toBe(0);
    expect(sample(metrics, 'queue_events_published_total{exchange="task-exception"}')).toBe(2);

    expect(await service.stop()).toBe(0);
    expect(service.output()).toContain('"message":"stopped"');
  });

  it('<job>: one continuous job alone, with /metrics on QUEUE_METRICS_PORT, until SIGTERM', async () => {
    const metricsPort = await freePort();
    const service = start(['claim-reaper'], { QUEUE_METRICS_PORT: String(metricsPort), QUEUE_REAPER_INTERVAL: '0.1' });
    await service.waitFor('"message":"metrics at /metrics"');
    const metrics = await eventually(
      async () => {
        const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
        return (sample(text, 'queue_job_runs_total{job="claim-reaper"}') ?? 0) > 1 ? text : undefined;
      },
      10_000,
      'claim-reaper batches',
    );
    expect(sample(metrics, 'queue_job_runs_total{job="deadline-reaper"}')).toBeUndefined();
    expect((await fetch(`http://127.0.0.1:${metricsPort}/api/queue/v1/ping`)).status).toBe(404); // no API here
    expect(await service.stop()).toBe(0);
  });

  it('run <job>: drains the job once and exits 0; an unknown job is a usage error', async () => {
    const once = start(['run', 'expire-tasks'], {});
    expect(await once.exited).toBe(0);
    expect(once.output()).toContain('"message":"expire-tasks finished","job":"expire-tasks","batches":1,"done":0,"failed":0,"complete":true');
    const unknown = start(['run', 'retire-tasks'], {});
    expect(await unknown.exited).toBe(2);
  });
});
