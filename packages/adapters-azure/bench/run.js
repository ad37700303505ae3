'use strict';
/*
 * Storage requests per task lifecycle, and lifecycles per second, of the core over the Azure
 * Table adapters on Azurite (in a worker thread of this process, in memory). Not a test: it
 * prints numbers and asserts nothing. See README.md ("Benchmark").
 *
 * Every HTTP request to the table service counts once (an entity-group transaction, `POST 202`,
 * is one request however many rows it writes). The lease polls of the background jobs (one query
 * per shard of the timer or claim table, which under load returns a batch of up to 100 due items)
 * are counted apart, as "poll queries". Each task is its own group (no taskGroupId given) and has
 * no dependents. The resolved notice deletes the task's deadline timer, so the last phase finds
 * nothing due (its poll only) unless that failed.
 *
 *   pnpm --filter @taskcluster-queue/adapters-azure bench      (after `pnpm build`)
 *   BENCH_LIFECYCLES=2000 BENCH_LOOPS=32 node packages/adapters-azure/bench/run.js
 */
const path = require('node:path');
const fs = require('node:fs');
const os = require('node:os');

const dist = path.join(__dirname, '..', 'dist');
if (!fs.existsSync(path.join(dist, 'index.js'))) throw new Error(`${dist} is not built: run pnpm build (or npx tsc -b packages/adapters-azure)`);
const { createAzurePorts, RequestCounter, startAzurite } = require(dist);
const { createQueue, realClock, unrestrictedCaller: root } = require('@taskcluster-queue/core');
const { createInMemoryPorts, randomSlugid } = require('@taskcluster-queue/core/testing');

const LIFECYCLES = Number(process.env.BENCH_LIFECYCLES ?? 1000);
const LOOPS = Number(process.env.BENCH_LOOPS ?? 32);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 20);
const TASK_QUEUE = 'bench/azure';
const STORAGE = ['tasks', 'taskGroups', 'dependencies', 'artifacts', 'workerInfo', 'pending', 'claims', 'timers'];

/** Counts port calls (what the core asks for) next to storage requests (what that costs). */
const countingPorts = (storage, calls) =>
  Object.fromEntries(
    STORAGE.map((name) => [
      name,
      new Proxy(storage[name], {
        get(target, property) {
          const value = target[property];
          if (typeof value !== 'function') return value;
          return (...args) => {
            const key = `${name}.${String(property)}`;
            calls.set(key, (calls.get(key) ?? 0) + 1);
            return value.apply(target, args);
          };
        },
      }),
    ]),
  );

const setup = (connectionString, prefix, config = {}) => {
  const requests = new RequestCounter();
  const calls = new Map();
  const storage = createAzurePorts({ connectionString, prefix, onRequest: requests.record });
  const ports = { ...createInMemoryPorts({ clock: realClock }), ...countingPorts(storage, calls) };
  return { requests, calls, storage, queue: createQueue(ports, { claimWorkWait: 0, ...config }) };
};

const taskDef = (deadlineMs = 24 * 3600 * 1000) => {
  const now = Date.now();
  return {
    taskQueueId: TASK_QUEUE,
    created: new Date(now).toISOString(),
    deadline: new Date(now + deadlineMs).toISOString(),
    payload: {},
    metadata: { name: 'bench', description: 'a task', owner: 'me@example.com', source: 'https://example.com/src' },
  };
};

const settle = async (queue) => {
  for (;;) {
    const results = [await queue.jobs.expireClaims(), await queue.jobs.resolveDeadlines(), await queue.jobs.resolveDependencies()];
    if (results.every((r) => r.handled === 0)) return;
  }
};

const sum = (map) => [...map.values()].reduce((a, b) => a + b, 0);
const per = (n, count) => Math.round((n / count) * 100) / 100;

async function perLifecycle(connectionString) {
  const { requests, calls, queue } = setup(connectionString, `bench${process.pid}a`);
  const worker = { workerGroup: 'bench', workerId: 'w1', tasks: 1 };
  // Warm up: the first claimWork creates the provisioner, task-queue and worker records.
  const warm = randomSlugid();
  await queue.createTask(root, warm, taskDef());
  const first = await queue.claimWork(root, TASK_QUEUE, worker);
  await queue.reportCompleted(root, warm, first.tasks[0].runId);
  await settle(queue);

  const phases = ['createTask', 'claimWork', 'reportCompleted', 'resolveDependencies (the resolved notice)', 'resolveDeadlines (the deadline timer, later)'];
  const totals = Object.fromEntries(phases.map((p) => [p, { requests: 0, calls: 0, polls: 0 }]));
  const byRequest = new Map();
  const byCall = new Map();
  // A lease reads every shard of its kind (a poll): one query per shard however many items it
  // then takes, so under load it is shared by up to a batch (100) of items. Counted apart.
  const isPoll = (kind) => / GET 200$/.test(kind) && /(Timers|Claims) /.test(kind);
  const measure = async (phase, fn) => {
    requests.reset();
    calls.clear();
    await fn();
    for (const [k, n] of requests.byRequest) {
      const kind = k.replace(/^bench\d+a/, '');
      if (isPoll(kind)) totals[phase].polls += n;
      else {
        totals[phase].requests += n;
        byRequest.set(`${phase}: ${kind}`, (byRequest.get(`${phase}: ${kind}`) ?? 0) + n);
      }
    }
    totals[phase].calls += sum(calls);
    for (const [k, n] of calls) byCall.set(`${phase}: ${k}`, (byCall.get(`${phase}: ${k}`) ?? 0) + n);
  };
  const DEADLINE = 2000;
  for (let i = 0; i < SAMPLES; i++) {
    const taskId = randomSlugid();
    let runId;
    await measure('createTask', () => queue.createTask(root, taskId, taskDef(DEADLINE)));
    await measure('claimWork', async () => {
      ({ runId } = (await queue.claimWork(root, TASK_QUEUE, worker)).tasks[0]);
    });
    await measure('reportCompleted', () => queue.reportCompleted(root, taskId, runId));
    await measure('resolveDependencies (the resolved notice)', () => queue.jobs.resolveDependencies());
    await new Promise((resolve) => setTimeout(resolve, DEADLINE + 50));
    await measure('resolveDeadlines (the deadline timer, later)', () => queue.jobs.resolveDeadlines());
  }
  requests.reset();
  await queue.jobs.expireClaims();
  await queue.jobs.resolveDeadlines();
  await queue.jobs.resolveDependencies();
  const idle = requests.total;
  const total = (field) => Object.values(totals).reduce((n, t) => n + t[field], 0);
  console.log(`\nOne lifecycle (mean of ${SAMPLES}, sequential, steady state):`);
  console.log('phase'.padEnd(48), 'port calls'.padStart(10), 'requests'.padStart(10), 'poll queries'.padStart(13));
  for (const phase of phases) {
    const t = totals[phase];
    console.log(phase.padEnd(48), String(per(t.calls, SAMPLES)).padStart(10), String(per(t.requests, SAMPLES)).padStart(10), String(per(t.polls, SAMPLES)).padStart(13));
  }
  console.log('total'.padEnd(48), String(per(total('calls'), SAMPLES)).padStart(10), String(per(total('requests'), SAMPLES)).padStart(10), String(per(total('polls'), SAMPLES)).padStart(13));
  console.log(`(one idle pass of expireClaims + resolveDeadlines + resolveDependencies: ${idle} requests)`);
  console.log('\nPort calls per lifecycle:');
  for (const [k, n] of [...byCall].sort()) console.log(`  ${k.padEnd(72)} ${per(n, SAMPLES)}`);
  console.log('\nRequests per lifecycle, poll queries excluded (table method status):');
  for (const [k, n] of [...byRequest].sort()) console.log(`  ${k.padEnd(72)} ${per(n, SAMPLES)}`);
  return {
    portCalls: per(total('calls'), SAMPLES),
    requests: per(total('requests'), SAMPLES),
    pollQueries: per(total('polls'), SAMPLES),
    idlePass: idle,
    phases: Object.fromEntries(phases.map((p) => [p, per(totals[p].requests, SAMPLES)])),
  };
}

async function throughput(connectionString) {
  const { requests, queue } = setup(connectionString, `bench${process.pid}b`);
  let started = 0;
  let done = 0;
  let resolving = true;
  const resolver = (async () => {
    while (resolving) if ((await queue.jobs.resolveDependencies()).handled === 0) await new Promise((r) => setTimeout(r, 100));
  })();
  const t0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  await Promise.all(
    Array.from({ length: LOOPS }, async (_, loop) => {
      const worker = { workerGroup: 'bench', workerId: `w${loop}`, tasks: 1 };
      while (started < LIFECYCLES) {
        started++;
        const taskId = randomSlugid();
        await queue.createTask(root, taskId, taskDef());
        // Another loop may claim this task first; claim whatever is there and complete it.
        const { tasks } = await queue.claimWork(root, TASK_QUEUE, worker, { wait: 1000 });
        for (const claim of tasks) {
          await queue.reportCompleted(root, claim.status.taskId, claim.runId);
          done++;
        }
      }
    }),
  );
  // A loop whose task another loop claimed may end with tasks still pending: finish them too, so
  // every lifecycle started is counted, and so are its requests.
  const drainer = { workerGroup: 'bench', workerId: 'drain', tasks: 32 };
  for (let claims; (claims = (await queue.claimWork(root, TASK_QUEUE, drainer, { wait: 0 })).tasks).length > 0; ) {
    for (const claim of claims) {
      await queue.reportCompleted(root, claim.status.taskId, claim.runId);
      done++;
    }
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  resolving = false;
  await resolver;
  await settle(queue);
  const result = {
    lifecycles: done,
    loops: LOOPS,
    seconds: Math.round(seconds * 10) / 10,
    lifecyclesPerSecond: Math.round((done / seconds) * 10) / 10,
    requestsPerSecond: Math.round(requests.total / seconds),
    requestsPerLifecycle: per(requests.total, done),
    cpuSecondsOfProcess: Math.round(((cpu.user + cpu.system) / 1e6) * 10) / 10, // both threads: core + SDK, and Azurite
  };
  console.log(`\nThroughput: ${LOOPS} concurrent loops of createTask → claimWork → reportCompleted, resolver running:`);
  console.log(result);
  return result;
}

(async () => {
  const azurite = await startAzurite({ services: ['table'] });
  try {
    const lifecycle = await perLifecycle(azurite.connectionString);
    const load = await throughput(azurite.connectionString);
    console.log(JSON.stringify({ date: new Date().toISOString(), loadavg: os.loadavg(), lifecycle, throughput: load }));
  } finally {
    await azurite.stop();
  }
})().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
