import { unrestrictedCaller as root } from '@taskcluster-queue/core';
import { randomSlugid } from '@taskcluster-queue/core/testing';
import { useAzurite } from './azurite.test-support';
import { eventually, pool, replica, TASK_QUEUE, taskDef, type Replica } from './replicas.test-support';

// Two core instances over one set of tables, each with its own publisher and notifier: what two
// `web` replicas sharing a storage account are. Every claim goes through the storage.
const azure = useAzurite('claims');

const TASKS = Number(process.env.AZURE_REPLICA_TASKS ?? 2000);
const CLAIMERS = 64;
const CREATORS = 32;

describe('two replicas, 64 concurrent claimers', () => {
  let replicas: Replica[];

  beforeAll(() => {
    const prefix = azure.prefix();
    const { connectionString } = azure.azurite();
    // Claimers on the replica that did not create a task find it by polling the table.
    const config = { claimWorkPollInterval: 2000 };
    replicas = [replica('a', connectionString, prefix, config), replica('b', connectionString, prefix, config)];
  });

  afterAll(async () => {
    await replicas[0]?.storage.dropTables();
  });

  it(`claims each of ${TASKS} tasks exactly once, completes every one, and leaves no hint behind`, async () => {
    const [a, b] = replicas as [Replica, Replica];
    const taskIds: string[] = [];
    const claims: string[] = [];
    let created = 0;
    let completed = 0;

    const creating = pool(TASKS, CREATORS, async (i) => {
      const taskId = randomSlugid();
      taskIds.push(taskId);
      await (i % 2 === 0 ? a : b).queue.createTask(root, taskId, taskDef());
      created++;
    });

    // Claimers join once a backlog exists, and then race the remaining creations.
    await eventually('a quarter of the tasks exist', async () => created >= TASKS / 4, 120_000, 20);
    const claiming = pool(CLAIMERS, CLAIMERS, async (i) => {
      const [mine, other] = i % 2 === 0 ? [a, b] : [b, a];
      const worker = { workerGroup: 'replicas', workerId: `worker-${i}`, tasks: 1 + (i % 3) };
      while (completed < TASKS) {
        const { tasks } = await mine.queue.claimWork(root, TASK_QUEUE, worker, { wait: 2000 });
        for (const claim of tasks) {
          claims.push(`${claim.status.taskId}/${claim.runId}`);
          // Half the reports go to the other replica, as a load balancer would send them.
          await (completed % 2 === 0 ? mine : other).queue.reportCompleted(root, claim.status.taskId, claim.runId);
          completed++;
        }
      }
    });

    await Promise.all([creating, claiming]);

    expect(created).toBe(TASKS);
    expect(claims).toHaveLength(TASKS);
    expect(new Set(claims).size).toBe(TASKS);
    expect(claims.every((claim) => claim.endsWith('/0'))).toBe(true);
    expect(new Set(claims.map((claim) => claim.split('/')[0]))).toEqual(new Set(taskIds));

    // Nothing left to claim, on either replica, and the counts agree.
    for (const r of [a, b]) {
      expect(await r.queue.pendingTasks(root, TASK_QUEUE)).toMatchObject({ pendingTasks: 0 });
      expect(await r.queue.taskQueueCounts(root, TASK_QUEUE)).toMatchObject({ pendingTasks: 0, claimedTasks: 0 });
      const { tasks } = await r.queue.claimWork(root, TASK_QUEUE, { workerGroup: 'replicas', workerId: 'late', tasks: 4 }, { wait: 0 });
      expect(tasks).toEqual([]);
    }

    // Every record: one run, completed.
    await pool(taskIds.length, 32, async (i) => {
      const { status } = await replicas[i % 2]!.queue.status(root, taskIds[i] as string);
      expect(status.state).toBe('completed');
      expect(status.runs).toHaveLength(1);
    });

    // Each replica announced what it did; together, every task ran and completed once.
    const events = [...a.memory.events.events, ...b.memory.events.events];
    const count = (exchange: string) => events.filter((event) => event.exchange === exchange).length;
    expect(count('task-running')).toBe(TASKS);
    expect(count('task-completed')).toBe(TASKS);

  }, 300_000);
});
