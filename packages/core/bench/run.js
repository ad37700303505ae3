'use strict';
/*
 * Throughput and memory figures for the core over its in-memory adapters, on the real clock.
 * Not a test: it prints numbers and never asserts on time. See README.md.
 *
 *   node packages/core/bench/run.js              all phases, each in its own child process
 *   node packages/core/bench/run.js lifecycle    one phase (lifecycle | claim | heap)
 *
 * Environment: BENCH_SCALE (default 1) scales every count; BENCH_NODE_FLAGS adds node flags to
 * the children (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"); BENCH_RESULTS_DIR (default
 * bench/results) is where the JSON goes.
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const { machineBusyMs } = require('./machine');
const os = require('node:os');
const path = require('node:path');

const PHASES = ['lifecycle', 'claim', 'heap'];
const SCALE = Number(process.env.BENCH_SCALE ?? 1) || 1;
const scaled = (n) => Math.max(1, Math.round(n * SCALE));
const RESULTS_DIR = process.env.BENCH_RESULTS_DIR ?? path.join(__dirname, 'results');

// ---------------------------------------------------------------------------------------------
// The queue under test

const loadCore = () => {
  const dist = path.join(__dirname, '..', 'dist');
  if (!fs.existsSync(path.join(dist, 'queue.js'))) {
    throw new Error(`${dist} is not built; run \`pnpm build\` (or npx tsc -b packages/core) first`);
  }
  const { createQueue } = require(path.join(dist, 'queue.js'));
  const { unrestrictedCaller } = require(path.join(dist, 'caller.js'));
  const { createInMemoryPorts } = require(path.join(dist, 'testing', 'in-memory-ports.js'));
  let { realClock } = require(path.join(dist, 'real-clock.js'));
  realClock ??= {
    now: () => Date.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
  };
  return { createQueue, unrestrictedCaller, createInMemoryPorts, realClock };
};

const core = loadCore();
const root = core.unrestrictedCaller;

/**
 * `record: false`: the publisher and the credential issuer count what they handle and keep
 * nothing, as a broker and a real issuer would (the log is for tests to read, not core's cost).
 * The heap phase keeps the log, to report both with and without it.
 */
const newQueue = ({ record = false } = {}) => {
  const ports = core.createInMemoryPorts({ clock: core.realClock, record });
  const queue = core.createQueue(ports, { claimWorkWait: 0 });
  return { ports, queue };
};

const DAY = 24 * 60 * 60 * 1000;
const METADATA = { name: 'bench', description: 'a task', owner: 'me@example.com', source: 'https://example.com/src' };

/**
 * A minimal valid task (empty payload), created now with a one-day deadline. The client's two
 * date strings are made once per millisecond: formatting them is the load generator's cost,
 * not the queue's.
 */
let datesAt = Number.NaN;
let dates = { created: '', deadline: '' };
const taskDef = (taskQueueId) => {
  const now = Date.now();
  if (now !== datesAt) {
    datesAt = now;
    dates = { created: new Date(now).toISOString(), deadline: new Date(now + DAY).toISOString() };
  }
  return { taskQueueId, ...dates, payload: {}, metadata: METADATA };
};

// Real v4 slugids, as a client makes them (core's own generator).
const { randomSlugid } = require(path.join(__dirname, '..', 'dist', 'testing', 'in-memory-ids.js'));
const nextTaskId = () => randomSlugid();

const hr = () => process.hrtime.bigint();
const msSince = (start) => Number(hr() - start) / 1e6;
const mib = (bytes) => Math.round((bytes / 1048576) * 10) / 10;

// ---------------------------------------------------------------------------------------------
// 1. Full lifecycles per second

async function lifecycle() {
  const LOOPS = 32;
  const WARMUP = scaled(10_000);
  const COUNT = scaled(100_000);
  const TASK_QUEUE = 'bench/lifecycle';
  const { ports, queue } = newQueue();
  let emptyClaims = 0;

  const runLoops = async (total) => {
    let started = 0;
    const loop = async (i) => {
      const worker = { workerGroup: 'bench', workerId: `w${i}`, tasks: 1 };
      while (started < total) {
        started++;
        await queue.createTask(root, nextTaskId(), taskDef(TASK_QUEUE));
        let claim;
        for (;;) {
          ({ tasks: [claim] } = await queue.claimWork(root, TASK_QUEUE, worker));
          if (claim) break;
          emptyClaims++; // another loop took every pending run; try again
        }
        await queue.reportCompleted(root, claim.status.taskId, claim.runId);
      }
    };
    const start = hr();
    await Promise.all(Array.from({ length: LOOPS }, (_, i) => loop(i)));
    return msSince(start);
  };

  const heapUsed = () => {
    global.gc?.();
    return process.memoryUsage().heapUsed;
  };
  await runLoops(WARMUP);
  const eventsBefore = ports.events.acceptedCount;
  emptyClaims = 0;
  const before = heapUsed();
  const cpuBefore = process.cpuUsage();
  const elapsedMs = await runLoops(COUNT);
  const cpu = process.cpuUsage(cpuBefore);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const events = ports.events.acceptedCount - eventsBefore;
  const heapAfter = heapUsed();
  const counts = await queue.taskQueueCounts(root, TASK_QUEUE);
  if (counts.pendingTasks !== 0 || counts.claimedTasks !== 0 || events !== 4 * COUNT) {
    throw new Error(`lifecycle bench did not settle: ${JSON.stringify(counts)}, ${events} events`);
  }
  return {
    loops: LOOPS,
    warmup: WARMUP,
    lifecycles: COUNT,
    elapsedMs: Math.round(elapsedMs),
    lifecyclesPerSecond: Math.round((COUNT / elapsedMs) * 1000),
    usPerLifecycle: Math.round((elapsedMs * 1000) / COUNT * 10) / 10,
    // Per second of this process's CPU (all its threads): steadier than wall time on a busy machine.
    lifecyclesPerCpuSecond: Math.round((COUNT / cpuMs) * 1000),
    emptyClaims,
    // Completed records (and their deadline timers) stay until they expire. (Exact only under
    // --expose-gc.)
    retainedBytesPerLifecycle: Math.round((heapAfter - before) / COUNT),
  };
}

// ---------------------------------------------------------------------------------------------
// 2. claimWork cost against the number pending

async function claim() {
  const QUEUES = 100;
  const LEVELS = [1_000, 10_000, 100_000].map((n) => Math.max(QUEUES, scaled(n))); // every queue has work
  const SAMPLES = scaled(5_000);
  const WARMUP = scaled(2_000);
  const queueIds = Array.from({ length: QUEUES }, (_, i) => `bench/q${String(i).padStart(3, '0')}`);
  const { queue } = newQueue();
  const worker = { workerGroup: 'bench', workerId: 'w1', tasks: 1 };
  let pending = 0;
  let next = 0; // round-robin over the queues, for filling and for claiming

  /** Creates tasks until `level` are pending; answers how many it created. */
  const fillTo = async (level) => {
    const from = pending;
    for (let i = pending; i < level; i++) {
      await queue.createTask(root, nextTaskId(), taskDef(queueIds[i % QUEUES]));
    }
    pending = Math.max(pending, level);
    return pending - from;
  };

  /** `n` sequential claimWork calls, each timed alone; each claimed task is replaced (untimed). */
  const measure = async (n) => {
    const times = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const taskQueueId = queueIds[next++ % QUEUES];
      const start = hr();
      const { tasks } = await queue.claimWork(root, taskQueueId, worker);
      times[i] = Number(hr() - start) / 1e3;
      if (tasks.length !== 1) throw new Error(`claimWork on ${taskQueueId} found nothing with ${pending} pending`);
      await queue.createTask(root, nextTaskId(), taskDef(taskQueueId)); // keep the level
    }
    return times;
  };

  const summary = (times) => {
    const sorted = Float64Array.from(times).sort();
    const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
    const round = (x) => Math.round(x * 10) / 10;
    return { meanUs: round(mean), p50Us: round(at(0.5)), p99Us: round(at(0.99)) };
  };

  const levels = [];
  for (const level of LEVELS) {
    const fillStart = hr();
    const created = await fillTo(level);
    const fillMs = msSince(fillStart);
    if (levels.length === 0) await measure(WARMUP);
    levels.push({
      pending: level,
      samples: SAMPLES,
      ...summary(await measure(SAMPLES)),
      // Sequential createTask while filling up to this level (includes the first calls' warm-up at 1k).
      createTaskUs: Math.round((fillMs * 1000) / created * 10) / 10,
    });
  }
  return { taskQueues: QUEUES, levels };
}

// ---------------------------------------------------------------------------------------------
// 3. Heap per stored minimal task

async function heap() {
  if (typeof global.gc !== 'function') throw new Error('run the heap phase with node --expose-gc');
  const TASK_QUEUES = 100;
  const settle = async () => {
    for (let i = 0; i < 3; i++) {
      await new Promise((resolve) => setImmediate(resolve));
      global.gc();
    }
    return process.memoryUsage().heapUsed;
  };

  /**
   * Creates `n` pending tasks in a fresh queue and measures the heap they hold. `sharedGroup`:
   * every task in one task group (as a decision task's children are); otherwise each task is
   * its own group (no taskGroupId given, so it defaults to the taskId).
   */
  const measure = async (n, sharedGroup) => {
    const env = newQueue({ record: true });
    // Warm the code paths and the one-time structures (task queue maps, the 100 task queues).
    for (let i = 0; i < TASK_QUEUES; i++) await env.queue.createTask(root, nextTaskId(), taskDef(`bench/h${i}`));
    env.ports.events.clear();
    const before = await settle();
    const taskGroupId = nextTaskId();
    for (let i = 0; i < n; i++) {
      const taskId = i === 0 && sharedGroup ? taskGroupId : nextTaskId();
      const def = taskDef(`bench/h${i % TASK_QUEUES}`);
      await env.queue.createTask(root, taskId, sharedGroup ? { ...def, taskGroupId } : def);
    }
    const withEvents = await settle();
    const events = env.ports.events.events.length;
    env.ports.events.clear(); // the in-memory publisher records every message; a real one keeps none
    const withoutEvents = await settle();
    let pending = 0;
    for (let i = 0; i < TASK_QUEUES; i++) pending += (await env.queue.taskQueueCounts(root, `bench/h${i}`)).pendingTasks;
    if (pending !== n + TASK_QUEUES) throw new Error(`heap bench: ${pending} pending, expected ${n + TASK_QUEUES}`);
    const perTask = (after) => Math.round((after - before) / n);
    return {
      tasks: n,
      bytesPerTask: perTask(withoutEvents),
      bytesPerTaskWithEventLog: perTask(withEvents),
      eventsRecorded: events,
      heapBeforeMiB: mib(before),
      heapAfterMiB: mib(withoutEvents),
      pending: pending + (env.queue ? 0 : 1), // keeps the queue referenced until the last figure
    };
  };

  const ownGroups = await measure(scaled(100_000), false);
  await settle();
  const sharedGroup = await measure(scaled(30_000), true);
  return { ownGroups, sharedGroup };
}

// ---------------------------------------------------------------------------------------------
// Orchestration


const runPhase = async (phase) => {
  const fn = { lifecycle, claim, heap }[phase];
  if (!fn) throw new Error(`unknown phase ${phase}; one of ${PHASES.join(', ')}`);
  const start = hr();
  const busyBefore = machineBusyMs();
  const cpuBefore = process.cpuUsage();
  const result = await fn();
  const wallMs = msSince(start);
  const { user, system } = process.cpuUsage(cpuBefore);
  const ownCpuMs = (user + system) / 1000;
  const busyAfter = machineBusyMs();
  // Cores' worth of CPU that other processes used meanwhile: a contention warning, not a figure.
  const otherCpu =
    busyBefore === undefined || busyAfter === undefined
      ? undefined
      : Math.round((Math.max(0, busyAfter - busyBefore - ownCpuMs) / wallMs) * 100) / 100;
  return { ...result, phaseMs: Math.round(wallMs), ownCpuCores: Math.round((ownCpuMs / wallMs) * 100) / 100, otherCpu };
};

/** Runs each phase in a fresh `node --expose-gc` so no phase's heap or JIT state colours another. */
const runAll = () => {
  const flags = ['--expose-gc', ...(process.env.BENCH_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean)];
  const results = {};
  for (const phase of PHASES) {
    process.stderr.write(`bench: ${phase}...\n`);
    const out = execFileSync(process.execPath, [...flags, __filename, '--child', phase], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 16 * 1024 * 1024,
    });
    results[phase] = JSON.parse(out.trim().split('\n').at(-1));
  }
  return results;
};

const table = (rows) => {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
  return rows.map((r) => r.map((cell, c) => String(cell)[c === 0 ? 'padEnd' : 'padStart'](widths[c])).join('  ')).join('\n');
};

const fmt = (n) => (typeof n === 'number' ? n.toLocaleString('en-US') : String(n));

const report = (results, machine) => {
  const lines = [];
  lines.push(`taskcluster-queue core bench — node ${process.version}, ${machine.cpus}× ${machine.cpuModel}, load avg ${machine.loadavg.join(' ')}`);
  const { lifecycle: l, claim: c, heap: h } = results;
  if (l) {
    lines.push('', '1. Lifecycles (createTask → claimWork → reportCompleted), in-memory, real clock');
    lines.push(
      table([
        ['loops', 'lifecycles', 'elapsed ms', 'lifecycles/s', 'µs/lifecycle', 'per CPU-second', 'empty claims', 'retained B/lifecycle', 'target'],
        [l.loops, fmt(l.lifecycles), fmt(l.elapsedMs), fmt(l.lifecyclesPerSecond), l.usPerLifecycle, fmt(l.lifecyclesPerCpuSecond), l.emptyClaims, fmt(l.retainedBytesPerLifecycle), '≥ 25,000/s'],
      ]),
    );
  }
  if (c) {
    lines.push('', `2. claimWork (tasks: 1), sequential, over ${c.taskQueues} task queues, level held constant`);
    lines.push(
      table([
        ['pending', 'samples', 'mean µs', 'p50 µs', 'p99 µs', 'createTask µs while filling'],
        ...c.levels.map((v) => [fmt(v.pending), fmt(v.samples), v.meanUs, v.p50Us, v.p99Us, v.createTaskUs]),
      ]),
    );
  }
  if (h) {
    lines.push('', '3. Heap per stored minimal task (pending, never claimed; gc before and after)');
    const row = (label, v) => [label, fmt(v.tasks), fmt(v.bytesPerTask), fmt(v.bytesPerTaskWithEventLog), `${v.heapBeforeMiB} → ${v.heapAfterMiB}`, '≤ 2,048'];
    lines.push(
      table([
        ['task groups', 'tasks', 'bytes/task', 'incl. event log', 'heap MiB before → after', 'target'],
        row('one per task', h.ownGroups),
        row('one shared', h.sharedGroup),
      ]),
    );
  }
  if (Object.values(results).some((r) => r.otherCpu !== undefined)) {
    const other = Object.entries(results).map(([phase, r]) => `${phase} ${r.otherCpu ?? '?'}`).join(', ');
    lines.push('', `Other processes' CPU during each phase, in cores of ${machine.cpus} (0 = quiet machine): ${other}`);
  }
  return lines.join('\n');
};

const main = async () => {
  const args = process.argv.slice(2);
  if (args[0] === '--child') {
    const result = await runPhase(args[1]);
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  const machine = {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    loadavg: os.loadavg().map((x) => Math.round(x * 100) / 100),
    node: process.version,
  };
  const start = hr();
  let results;
  if (args.length > 0) {
    if (args.includes('heap') && typeof global.gc !== 'function') {
      throw new Error('the heap phase needs node --expose-gc (or run without arguments)');
    }
    results = {};
    for (const phase of args) results[phase] = await runPhase(phase);
  } else {
    results = runAll();
  }
  const output = {
    date: new Date().toISOString(),
    machine: { ...machine, loadavgAfter: os.loadavg().map((x) => Math.round(x * 100) / 100) },
    scale: SCALE,
    totalMs: Math.round(msSince(start)),
    ...results,
  };
  process.stdout.write(`${report(results, machine)}\n\n`);
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `bench-${output.date.replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(file, `${JSON.stringify(output, null, 2)}\n`);
  fs.writeFileSync(path.join(RESULTS_DIR, 'latest.json'), `${JSON.stringify(output, null, 2)}\n`);
  process.stdout.write(`(written to ${path.relative(process.cwd(), file)})\n`);
  process.stdout.write(`${JSON.stringify(output)}\n`);
};

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
