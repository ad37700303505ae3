import { unrestrictedCaller as root } from '@taskcluster-queue/core';
import { loadConfig } from '../config';
import { sample, slugid, taskDefinition, testContainer } from '../service.test-support';
import { TOKENS } from '../tokens';
import { loopInterval, startWorkers } from './workers';

describe('loopInterval', () => {
  it('is the loop own setting, else QUEUE_REAPER_INTERVAL, in ms', () => {
    const config = loadConfig({ QUEUE_REAPER_INTERVAL: '2', QUEUE_CLAIM_REAPER_INTERVAL: '0.25' });
    expect(loopInterval(config, 'claim-reaper')).toBe(250);
    expect(loopInterval(config, 'deadline-reaper')).toBe(2000);
    expect(loopInterval(config, 'dependency-resolver')).toBe(2000);
  });
});

describe('startWorkers (in process, fake clock)', () => {
  let stop: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await stop?.();
    stop = undefined;
  });

  it('runs the claim reaper: an unreclaimed claim becomes claim-expired with a retry, counted in the metrics', async () => {
    const { container, clock } = testContainer({ QUEUE_CLAIM_TIMEOUT: '30', QUEUE_CLAIM_REAPER_INTERVAL: '2' });
    const queue = container.get(TOKENS.queue);
    ({ stop } = startWorkers(container));
    const taskId = slugid();
    await queue.createTask(root, taskId, taskDefinition(clock.now(), 'prov/wt', { retries: 1 }));
    await queue.claimWork(root, 'prov/wt', { workerGroup: 'wg', workerId: 'w1', tasks: 1 });
    await clock.advance(29_000);
    expect((await queue.status(root, taskId)).status.runs.map((r) => r.state)).toEqual(['running']);
    await clock.advance(3_000);
    expect((await queue.status(root, taskId)).status.runs.map((r) => `${r.state}/${r.reasonResolved ?? r.reasonCreated}`)).toEqual([
      'exception/claim-expired',
      'pending/retry',
    ]);
    const metrics = await container.get(TOKENS.metrics).registry.metrics();
    expect(sample(metrics, 'queue_job_items_total{job="claim-reaper"}')).toBe(1);
    expect(sample(metrics, 'queue_job_runs_total{job="claim-reaper"}')).toBeGreaterThan(1);
    expect(sample(metrics, 'queue_events_published_total{exchange="task-exception"}')).toBe(1);
  });

  it('reports a failed batch with its job name, counts it, and the loop goes on', async () => {
    const { container, clock, logs } = testContainer({ QUEUE_REAPER_INTERVAL: '1' });
    const ports = container.get(TOKENS.ports);
    const lease = ports.timers.lease.bind(ports.timers);
    let failures = 1;
    ports.timers.lease = async (kind, ...rest) => {
      if (kind === 'deadline' && failures-- > 0) throw new Error('table storage hiccup');
      return lease(kind, ...rest);
    };
    ({ stop } = startWorkers(container, ['deadline-reaper']));
    await clock.advance(0); // the first batch fails and the loop goes to sleep
    await clock.advance(2_000);
    expect(logs.filter((l) => l.level === 'error')).toEqual([
      expect.objectContaining({ message: 'unexpected error in background job deadline-reaper', job: 'deadline-reaper', error: 'table storage hiccup' }),
    ]);
    const metrics = await container.get(TOKENS.metrics).registry.metrics();
    expect(sample(metrics, 'queue_job_failures_total{job="deadline-reaper"}')).toBe(1);
    expect(sample(metrics, 'queue_job_runs_total{job="deadline-reaper"}')).toBeGreaterThanOrEqual(2);
    expect(sample(metrics, 'queue_job_runs_total{job="claim-reaper"}')).toBeUndefined(); // not run here
  });

  it('schedules the expiry jobs; a run drains its job and logs what it did', async () => {
    const { container, clock, logs } = testContainer();
    const queue = container.get(TOKENS.queue);
    for (let i = 0; i < 3; i++) {
      const now = clock.now();
      await queue.createTask(root, slugid(), taskDefinition(now, 'prov/wt', { deadline: new Date(now + 3600_000).toISOString(), expires: new Date(now + 7200_000).toISOString() }));
    }
    await clock.advance(3 * 3600_000);
    const workers = startWorkers(container, ['expire-tasks', 'expire-artifacts']);
    stop = workers.stop;
    expect(Object.keys(workers.schedule!.nextRuns())).toEqual(['expire-tasks', 'expire-artifacts']);
    expect(await workers.schedule!.trigger('expire-tasks')).toMatchObject({ done: 3, complete: true });
    expect(logs).toContainEqual(expect.objectContaining({ message: 'expire-tasks finished', job: 'expire-tasks', done: 3 }));
    expect(logs).toContainEqual(
      expect.objectContaining({ message: 'background jobs started', scheduled: { 'expire-tasks': '10 0 * * * UTC', 'expire-artifacts': '10 1 * * * UTC' } }),
    );
  });
});
