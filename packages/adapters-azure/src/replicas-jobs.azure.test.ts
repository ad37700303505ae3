import { unrestrictedCaller as root } from '@taskcluster-queue/core';
import { randomSlugid } from '@taskcluster-queue/core/testing';
import { useAzurite } from './azurite.test-support';
import { eventually, pool, replica, TASK_QUEUE, taskDef, type Replica } from './replicas.test-support';

// Background jobs across replicas: whichever replica runs a job, over the same tables, the
// outcome is the same as one process would reach.
const azure = useAzurite('jobs');

const pair = (config: Parameters<typeof replica>[3] = {}): [Replica, Replica] => {
  const prefix = azure.prefix();
  const { connectionString } = azure.azurite();
  return [replica('a', connectionString, prefix, config), replica('b', connectionString, prefix, config)];
};

const allEvents = (...replicas: Replica[]) => replicas.flatMap((r) => r.memory.events.events);

describe('a 300-task dependency graph created across two replicas', () => {
  const TASKS = 300;
  const WAVE = 30;

  it('resolves completely, whichever replica resolves which dependency', async () => {
    // Small batches, so the resolvers of both replicas share each wave of notices.
    const [a, b] = pair({ claimWorkPollInterval: 1000, batchSize: 5 });
    const taskGroupId = randomSlugid();
    const ids = Array.from({ length: TASKS }, () => randomSlugid());
    // Each wave depends on up to three tasks of earlier waves; the first wave has no dependencies.
    const dependencies = ids.map((_, i) => {
      const earlier = Math.floor(i / WAVE) * WAVE;
      if (earlier === 0) return [];
      const picks = new Set(Array.from({ length: 1 + (i % 3) }, () => ids[Math.floor(Math.random() * earlier)] as string));
      return [...picks];
    });
    for (let wave = 0; wave < TASKS; wave += WAVE) {
      await pool(WAVE, 16, async (k) => {
        const i = wave + k;
        await (i % 2 === 0 ? a : b).queue.createTask(root, ids[i] as string, taskDef({ taskGroupId, dependencies: dependencies[i] }));
      });
    }

    // Workers on both replicas claim and complete; both replicas run the resolver, in turns and at once.
    const done = new Set<string>();
    const claims: string[] = [];
    const working = pool(4, 4, async (w) => {
      const mine = w % 2 === 0 ? a : b;
      while (done.size < TASKS) {
        const { tasks } = await mine.queue.claimWork(root, TASK_QUEUE, { workerGroup: 'dag', workerId: `w${w}`, tasks: 4 }, { wait: 1000 });
        for (const claim of tasks) {
          claims.push(`${claim.status.taskId}/${claim.runId}`);
          await (Math.random() < 0.5 ? a : b).queue.reportCompleted(root, claim.status.taskId, claim.runId);
          done.add(claim.status.taskId);
        }
      }
    });
    const resolving = pool(4, 4, async (r) => {
      while (done.size < TASKS) {
        const { handled } = await (r % 2 === 0 ? a : b).queue.jobs.resolveDependencies();
        if (handled === 0) await new Promise((resolve) => setTimeout(resolve, 300));
      }
    });
    await Promise.all([working, resolving]);
    // The last notices: the group settles once every member resolved.
    await eventually('the resolver has nothing left', async () => (await a.queue.jobs.resolveDependencies()).handled === 0 && (await b.queue.jobs.resolveDependencies()).handled === 0);

    expect(claims).toHaveLength(TASKS);
    expect(new Set(claims).size).toBe(TASKS);
    const statuses = new Map<string, Awaited<ReturnType<Replica['queue']['status']>>['status']>();
    await pool(TASKS, 16, async (i) => {
      statuses.set(ids[i] as string, (await (i % 2 === 0 ? b : a).queue.status(root, ids[i] as string)).status);
    });
    for (const [i, taskId] of ids.entries()) {
      const status = statuses.get(taskId)!;
      expect(status.state).toBe('completed');
      expect(status.runs).toHaveLength(1);
      // Scheduled only once every task it depends on had completed.
      for (const required of dependencies[i] as string[]) {
        expect(Date.parse(status.runs[0]!.scheduled)).toBeGreaterThanOrEqual(Date.parse(statuses.get(required)!.runs[0]!.resolved!));
      }
    }
    expect(await a.ports.taskGroups.hasActive(taskGroupId)).toBe(false);
    const resolved = allEvents(a, b).filter((event) => event.exchange === 'task-group-resolved');
    expect(resolved.length).toBeGreaterThanOrEqual(1);
    for (const event of resolved) expect(event.routingKey).toContain(taskGroupId);
    expect(await a.queue.taskQueueCounts(root, TASK_QUEUE)).toMatchObject({ pendingTasks: 0, claimedTasks: 0 });
  }, 180_000);
});

describe('claim expiry across replicas', () => {
  it('expires, on the other replica, a claim never reclaimed, and never one reclaimed in time', async () => {
    // Claims last 3 s; the reaper is replica b, the worker talks to replica a (and reclaims via b).
    const [a, b] = pair({ claimTimeout: 3000, leaseDuration: 1000 });
    const [abandoned, kept] = [randomSlugid(), randomSlugid()];
    await a.queue.createTask(root, abandoned, taskDef());
    await a.queue.createTask(root, kept, taskDef());
    const { tasks } = await a.queue.claimWork(root, TASK_QUEUE, { workerGroup: 'expiry', workerId: 'w', tasks: 2 }, { wait: 0 });
    expect(tasks.map((t) => t.status.taskId).sort()).toEqual([abandoned, kept].sort());

    let reclaiming = true;
    let reclaims = 0;
    const reclaimer = (async () => {
      while (reclaiming) {
        await (reclaims % 2 === 0 ? a : b).queue.reclaimTask(root, kept, 0);
        reclaims++;
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
    })();
    try {
      const state = async (taskId: string) => (await a.queue.status(root, taskId)).status;
      await eventually(
        'the abandoned claim expired',
        async () => {
          await b.queue.jobs.expireClaims();
          return (await state(abandoned)).runs[0]?.reasonResolved === 'claim-expired';
        },
        60_000,
        200,
      );
      // Keep reaping for longer than a claim lasts: the reclaimed run must survive every pass.
      const until = reclaims + 12;
      while (reclaims < until) {
        await b.queue.jobs.expireClaims();
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const abandonedStatus = await state(abandoned);
      expect(abandonedStatus.runs.map((r) => [r.state, r.reasonResolved ?? r.reasonCreated])).toEqual([
        ['exception', 'claim-expired'],
        ['pending', 'retry'],
      ]);
      expect((await state(kept)).runs).toEqual([expect.objectContaining({ runId: 0, state: 'running' })]);
    } finally {
      reclaiming = false;
      await reclaimer;
    }
    await b.queue.reportCompleted(root, kept, 0);
    const retry = await b.queue.claimWork(root, TASK_QUEUE, { workerGroup: 'expiry', workerId: 'w2', tasks: 1 }, { wait: 5000 });
    expect(retry.tasks.map((t) => [t.status.taskId, t.runId])).toEqual([[abandoned, 1]]);
    await a.queue.reportCompleted(root, abandoned, 1);
    const exceptions = allEvents(a, b).filter((event) => event.exchange === 'task-exception');
    expect(exceptions.map((event) => (event.payload as { status: { taskId: string } }).status.taskId)).toEqual([abandoned]);
    expect(await b.queue.taskQueueCounts(root, TASK_QUEUE)).toMatchObject({ pendingTasks: 0, claimedTasks: 0 });
  }, 120_000);
});
