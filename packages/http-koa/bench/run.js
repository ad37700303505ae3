'use strict';
/*
 * HTTP benchmark of the queue (http-koa over the in-memory core, real clock). Not a test: it
 * prints figures and whether the targets of issue 3 are met; see README.md.
 *
 *   node packages/http-koa/bench/run.js               every phase: bare, lifecycle, wake
 *   node packages/http-koa/bench/run.js wake          some phases only
 *
 * Environment: BENCH_SCALE (default 1) scales every duration; BENCH_CONCURRENCY (32);
 * BENCH_REPORT_AS (task | root: whose credentials sign reportCompleted; default task);
 * BENCH_SHARED_QUEUE=1 (all lifecycle workers on one task queue); BENCH_WAKE_RATE (1000);
 * BENCH_WAKE_CLAIMERS (64); BENCH_PROFILE=1 (CPU profile of the server per measured phase,
 * summarised); BENCH_SERVER_FLAGS / BENCH_LOAD_FLAGS (node flags of either child, e.g.
 * "--cpu-prof --cpu-prof-dir=/tmp/prof"); BENCH_RESULTS_DIR (default bench/results).
 */
const { fork } = require('node:child_process');
const fs = require('node:fs');
const { machineBusyMs } = require('../../core/bench/machine');
const os = require('node:os');
const path = require('node:path');
const { summarize, format } = require('./profile');

const ALL_PHASES = ['bare', 'lifecycle', 'wake', 'wakeLight'];
const SCALE = Number(process.env.BENCH_SCALE ?? 1) || 1;
const seconds = (s) => Math.max(0.5, Math.round(s * SCALE * 10) / 10);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32) || 32;
const REPORT_AS = process.env.BENCH_REPORT_AS === 'root' ? 'root' : 'task';
const SHARED_QUEUE = process.env.BENCH_SHARED_QUEUE === '1';
const WAKE_RATE = Number(process.env.BENCH_WAKE_RATE ?? 1000) || 1000;
const WAKE_CLAIMERS = Number(process.env.BENCH_WAKE_CLAIMERS ?? 64) || 64;
const WAKE_LIGHT_RATE = Number(process.env.BENCH_WAKE_LIGHT_RATE ?? 100) || 100;
const WAKE_MIN_WAIT_MS = 20;
const PROFILE = process.env.BENCH_PROFILE === '1';
const flags = (name) => (process.env[name] ?? '').split(/\s+/).filter(Boolean);
const RESULTS_DIR = process.env.BENCH_RESULTS_DIR ?? path.join(__dirname, 'results');

const ROOT = { clientId: 'static/taskcluster/root', accessToken: `bench-root-${process.pid}-${Date.now()}` };

/** Warm-up and measured durations (s) and the load generator's options, per phase. */
const PLAN = {
  bare: { warmup: seconds(2), measure: seconds(8), options: { concurrency: CONCURRENCY } },
  lifecycle: {
    warmup: seconds(3),
    measure: seconds(12),
    options: { concurrency: CONCURRENCY, reportAs: REPORT_AS, sharedQueue: SHARED_QUEUE },
  },
  wake: {
    warmup: seconds(1),
    measure: seconds(5),
    options: { rate: WAKE_RATE, claimers: WAKE_CLAIMERS, minWaitMs: WAKE_MIN_WAIT_MS },
  },
  // The same at a rate far below saturation: the wake-up path itself, without queueing.
  wakeLight: {
    load: 'wake',
    warmup: seconds(0.5),
    measure: seconds(4),
    options: { rate: WAKE_LIGHT_RATE, claimers: 16, minWaitMs: WAKE_MIN_WAIT_MS },
  },
};

const TARGETS = { ratio: 0.8, wakeP99Ms: 10 };

const hr = () => Number(process.hrtime.bigint()) / 1e6;
const round = (x, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;


// ---------------------------------------------------------------------------------------------
// Children, with a request/answer protocol over IPC and no way to hang

const children = new Set();

const start = (file, execArgv, readyTimeoutMs = 20_000) =>
  new Promise((resolve, reject) => {
    const child = fork(path.join(__dirname, file), [], {
      execArgv,
      env: { ...process.env, BENCH_ROOT_CLIENT: JSON.stringify(ROOT) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    children.add(child);
    const pending = new Map();
    let nextId = 1;
    let exited = false;
    const timer = setTimeout(() => reject(new Error(`${file} not ready after ${readyTimeoutMs} ms`)), readyTimeoutMs);
    child.on('message', (message) => {
      if (message?.ready) {
        clearTimeout(timer);
        resolve({ child, info: message, call, stop });
        return;
      }
      const waiter = pending.get(message?.id);
      if (!waiter) return;
      pending.delete(message.id);
      clearTimeout(waiter.timer);
      if (message.error) waiter.reject(new Error(`${file}: ${message.error}`));
      else waiter.resolve(message.result);
    });
    child.on('exit', (code, signal) => {
      exited = true;
      children.delete(child);
      clearTimeout(timer);
      reject(new Error(`${file} exited (${code ?? signal}) before it was ready`));
      for (const waiter of pending.values()) {
        clearTimeout(waiter.timer);
        waiter.reject(new Error(`${file} exited (${code ?? signal})`));
      }
      pending.clear();
    });
    function call(cmd, params = {}, timeoutMs = 30_000) {
      if (exited) return Promise.reject(new Error(`${file} has exited`));
      return new Promise((res, rej) => {
        const id = nextId++;
        const t = setTimeout(() => {
          pending.delete(id);
          rej(new Error(`${file}: ${cmd} got no answer within ${timeoutMs} ms`));
        }, timeoutMs);
        pending.set(id, { resolve: res, reject: rej, timer: t });
        child.send({ id, cmd, ...params });
      });
    }
    /** Asks the child to exit; SIGKILL if it has not after `graceMs`. */
    function stop(graceMs = 5_000) {
      if (exited) return Promise.resolve();
      return new Promise((res) => {
        const t = setTimeout(() => {
          child.kill('SIGKILL');
        }, graceMs);
        child.once('exit', () => {
          clearTimeout(t);
          res();
        });
        try {
          child.send({ cmd: 'exit', id: 0 });
        } catch {
          child.kill('SIGKILL');
        }
      });
    }
  });

const killChildren = () => {
  for (const child of children) child.kill('SIGKILL');
};
process.on('exit', killChildren);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    killChildren();
    process.exit(130);
  });
}

// ---------------------------------------------------------------------------------------------
// One phase: warm-up run, then the measured run between two server snapshots

const runPhase = async (phase, server, load, ports, stamp) => {
  const plan = PLAN[phase];
  const params = { phase: plan.load ?? phase, root: ROOT, ...ports, ...plan.options };
  process.stderr.write(`bench http: ${phase} (warm-up ${plan.warmup} s, measured ${plan.measure} s)...\n`);
  await load.call('run', { ...params, seconds: plan.warmup }, plan.warmup * 1000 + 45_000);
  if (PROFILE) await server.call('profileStart');
  const before = await server.call('snapshot');
  const busyBefore = machineBusyMs();
  const ownBefore = process.cpuUsage();
  const t0 = hr();
  const result = await load.call('run', { ...params, seconds: plan.measure }, plan.measure * 1000 + 45_000);
  const wallMs = hr() - t0;
  const after = await server.call('snapshot');
  const busyAfter = machineBusyMs();
  const own = process.cpuUsage(ownBefore);
  const serverCpuMs = (after.cpuUs.user + after.cpuUs.system - before.cpuUs.user - before.cpuUs.system) / 1000;
  const ownCpuMs = (own.user + own.system) / 1000;
  let profile;
  if (PROFILE) {
    const file = path.join(RESULTS_DIR, 'profiles', `${stamp}-${phase}.cpuprofile`);
    await server.call('profileStop', { file }, 60_000);
    profile = { file: path.relative(process.cwd(), file), ...summarize(JSON.parse(fs.readFileSync(file, 'utf8')), 15) };
  }
  const diff = (key) => after[key] - before[key];
  const requests = phase === 'bare' ? diff('bareRequests') : diff('queueRequests');
  return {
    ...result,
    server: {
      cpuMs: Math.round(serverCpuMs),
      cpuCores: round(serverCpuMs / wallMs),
      // Share of the server's CPU spent in the kernel (socket reads and writes, mostly).
      systemCpuShare: round((after.cpuUs.system - before.cpuUs.system) / 1000 / serverCpuMs),
      requests,
      requestsPerCpuSecond: Math.round((requests / serverCpuMs) * 1000),
      eventLoopUtilization: after.eventLoopUtilization,
      eventLoopDelayMs: after.eventLoopDelayMs,
      heapUsedMiB: after.heapUsedMiB,
      unexpectedErrors: diff('unexpected'),
      ...(plan.load === 'wake' || phase === 'wake' ? { createsWithClaimWaiting: diff('notifiesWithWaiter'), creates: diff('notifies') } : {}),
    },
    loadCpuCores: round(result.loadCpuMs / wallMs),
    // Cores' worth of CPU that other processes used meanwhile: a contention warning, not a figure.
    otherCpu:
      busyBefore === undefined || busyAfter === undefined
        ? undefined
        : round(Math.max(0, busyAfter - busyBefore - serverCpuMs - result.loadCpuMs - ownCpuMs) / wallMs),
    ...(profile && { profile }),
  };
};

// ---------------------------------------------------------------------------------------------
// Report

const fmt = (n) => (typeof n === 'number' ? n.toLocaleString('en-US') : String(n ?? '–'));
const table = (rows) => {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
  return rows.map((r) => r.map((cell, c) => String(cell)[c === 0 ? 'padEnd' : 'padStart'](widths[c])).join('  ')).join('\n');
};

const evaluate = (results) => {
  const { bare: b, lifecycle: l, wake: w } = results;
  const targets = {};
  if (b && l) {
    const lhs = l.lifecyclesPerSecond * 3;
    const rhs = TARGETS.ratio * b.requestsPerSecond;
    // Same comparison per second of server CPU: steadier when other processes compete.
    const lifecyclesPerCpuSecond = (l.lifecycles / l.server.cpuMs) * 1000;
    targets.throughput = {
      target: 'lifecycles/s × 3 ≥ 0.8 × bare requests/s',
      lifecyclesTimes3: lhs,
      bareTimes08: Math.round(rhs),
      ratio: round(lhs / b.requestsPerSecond),
      met: lhs >= rhs,
      perServerCpuSecond: {
        lifecyclesTimes3: Math.round(lifecyclesPerCpuSecond * 3),
        bareTimes08: Math.round(TARGETS.ratio * b.server.requestsPerCpuSecond),
        ratio: round((lifecyclesPerCpuSecond * 3) / b.server.requestsPerCpuSecond),
        met: lifecyclesPerCpuSecond * 3 >= TARGETS.ratio * b.server.requestsPerCpuSecond,
      },
    };
  }
  if (w) {
    targets.wakeUp = {
      target: `claimWork wake-up p99 ≤ ${TARGETS.wakeP99Ms} ms at ${w.targetRate} tasks/s`,
      p50Ms: w.wakeUp.p50Ms,
      p99Ms: w.wakeUp.p99Ms,
      achievedRate: w.achievedRate,
      met: w.wakeUp.p99Ms <= TARGETS.wakeP99Ms && w.achievedRate >= 0.95 * w.targetRate,
    };
  }
  return targets;
};

const report = (results, targets, machine) => {
  const lines = [];
  lines.push(
    `taskcluster-queue HTTP bench — node ${process.version}, ${machine.cpus}× ${machine.cpuModel}, load avg ${machine.loadavg.join(' ')}`,
  );
  lines.push('In-memory backend, real clock; load generator in its own process, Hawk-signed requests over keep-alive.');
  const { bare: b, lifecycle: l, wake: w, wakeLight: wl } = results;
  const rows = [['phase', 'figure', 'requests/s', 'req per server CPU-s', 'server cores', 'server ELU', 'load-gen cores', 'other CPU', 'latency p50 / p99 ms']];
  if (b) {
    rows.push([
      `bare handler (Hawk + ${b.bodyBytes} B JSON), ${b.concurrency} loops`,
      `${fmt(b.requestsPerSecond)} req/s`,
      fmt(b.requestsPerSecond),
      fmt(b.server.requestsPerCpuSecond),
      b.server.cpuCores,
      b.server.eventLoopUtilization,
      b.loadCpuCores,
      fmt(b.otherCpu),
      `${b.latency.p50Ms} / ${b.latency.p99Ms}`,
    ]);
  }
  if (l) {
    rows.push([
      `lifecycles, ${l.concurrency} workers, ${l.taskQueues} task queue${l.taskQueues === 1 ? '' : 's'}, report as ${l.reportAs}`,
      `${fmt(l.lifecyclesPerSecond)} lifecycles/s`,
      fmt(l.requestsPerSecond),
      fmt(l.server.requestsPerCpuSecond),
      l.server.cpuCores,
      l.server.eventLoopUtilization,
      l.loadCpuCores,
      fmt(l.otherCpu),
      Object.entries(l.latency)
        .map(([op, s]) => `${op} ${s.p50Ms}/${s.p99Ms}`)
        .join(', '),
    ]);
  }
  const wakeRow = (v, label) => [
    `${label}, ${fmt(v.achievedRate)} tasks/s over ${v.claimers} claimers`,
    `p50 ${v.wakeUp.p50Ms} ms, p99 ${v.wakeUp.p99Ms} ms (${fmt(v.wakeUp.samples)} samples)`,
    fmt(Math.round((v.server.requests / v.elapsedMs) * 1000)),
    fmt(v.server.requestsPerCpuSecond),
    v.server.cpuCores,
    v.server.eventLoopUtilization,
    v.loadCpuCores,
    fmt(v.otherCpu),
    `createTask ${v.createTask.p50Ms}/${v.createTask.p99Ms}`,
  ];
  if (w) rows.push(wakeRow(w, 'wake-up'));
  if (wl) rows.push(wakeRow(wl, 'wake-up, light load'));
  lines.push('', table(rows));
  if (l) lines.push(`lifecycles: ${fmt(l.lifecycles)} in ${fmt(l.elapsedMs)} ms, empty claims ${l.emptyClaims}, errors ${l.errors}`);
  for (const [v, label] of [[w, 'wake-up'], [wl, 'wake-up, light load']]) {
    if (!v) continue;
    lines.push(
      `${label}: ${fmt(v.tasks)} tasks, claims answered ${fmt(v.answered)}, wrong task ${v.wrongTask}, ` +
        `createTasks that found a claimWork already waiting ${fmt(v.server.createsWithClaimWaiting)}/${fmt(v.server.creates)}, ` +
        `pacer behind on ${v.pacerBehindTicks} ticks, max ${v.wakeUp.maxMs} ms; server event-loop delay p99 ${v.server.eventLoopDelayMs.p99} ms`,
    );
  }
  const rowsT = [['target', 'measured', 'needed', 'met']];
  if (targets.throughput) {
    const t = targets.throughput;
    rowsT.push(['lifecycles/s × 3 ≥ 0.8 × bare req/s', fmt(t.lifecyclesTimes3), `≥ ${fmt(t.bareTimes08)}`, t.met ? 'yes' : 'NO']);
    rowsT.push([
      '  (same, per second of server CPU)',
      fmt(t.perServerCpuSecond.lifecyclesTimes3),
      `≥ ${fmt(t.perServerCpuSecond.bareTimes08)}`,
      t.perServerCpuSecond.met ? 'yes' : 'no',
    ]);
  }
  if (targets.wakeUp) {
    const t = targets.wakeUp;
    rowsT.push([`wake-up p99 ≤ ${TARGETS.wakeP99Ms} ms at ${w.targetRate}/s`, `${t.p99Ms} ms (${fmt(t.achievedRate)}/s)`, `≤ ${TARGETS.wakeP99Ms} ms`, t.met ? 'yes' : 'NO']);
  }
  if (wl) {
    const met = wl.wakeUp.p99Ms <= TARGETS.wakeP99Ms;
    rowsT.push([`  (same at ${wl.targetRate}/s, not the target)`, `${wl.wakeUp.p99Ms} ms (${fmt(wl.achievedRate)}/s)`, `≤ ${TARGETS.wakeP99Ms} ms`, met ? 'yes' : 'no']);
  }
  if (rowsT.length > 1) lines.push('', table(rowsT));
  const other = Object.entries(results)
    .map(([phase, r]) => `${phase} ${r.otherCpu ?? '?'}`)
    .join(', ');
  lines.push('', `Other processes' CPU during each measured phase, in cores of ${machine.cpus} (0 = quiet machine): ${other}`);
  for (const [phase, r] of Object.entries(results)) {
    if (r.profile) lines.push('', format({ ...r.profile, functions: r.profile.functions }, `Server profile, ${phase} (${r.profile.file}): `));
  }
  return lines.join('\n');
};

// ---------------------------------------------------------------------------------------------

const main = async () => {
  const args = process.argv.slice(2);
  const phases = args.length > 0 ? args : ALL_PHASES;
  for (const phase of phases) if (!PLAN[phase]) throw new Error(`unknown phase ${phase}; one of ${ALL_PHASES.join(', ')}`);
  const planned = phases.reduce((sum, phase) => sum + PLAN[phase].warmup + PLAN[phase].measure, 0);
  // Never hang: whatever happens, give up well after the planned time.
  const watchdogMs = (planned + 60) * 1000;
  const watchdog = setTimeout(() => {
    process.stderr.write(`bench http: still running after ${watchdogMs / 1000} s; killing everything\n`);
    killChildren();
    process.exit(2);
  }, watchdogMs);

  const machine = {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    loadavg: os.loadavg().map((x) => round(x)),
    node: process.version,
  };
  const t0 = hr();
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const server = await start('server.js', flags('BENCH_SERVER_FLAGS'));
  const load = await start('load.js', flags('BENCH_LOAD_FLAGS'));
  const ports = { queuePort: server.info.queuePort, barePort: server.info.barePort };
  const results = {};
  try {
    for (const phase of phases) results[phase] = await runPhase(phase, server, load, ports, stamp);
  } finally {
    await Promise.all([load.stop(), server.stop(10_000)]);
  }
  const targets = evaluate(results);
  const output = {
    date: new Date().toISOString(),
    machine: { ...machine, loadavgAfter: os.loadavg().map((x) => round(x)) },
    scale: SCALE,
    totalMs: Math.round(hr() - t0),
    targets,
    ...results,
  };
  process.stdout.write(`${report(results, targets, machine)}\n\n`);
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `bench-${stamp}.json`);
  fs.writeFileSync(file, `${JSON.stringify(output, null, 2)}\n`);
  fs.writeFileSync(path.join(RESULTS_DIR, 'latest.json'), `${JSON.stringify(output, null, 2)}\n`);
  process.stdout.write(`(written to ${path.relative(process.cwd(), file)}; ${Math.round(output.totalMs / 1000)} s in all)\n`);
  process.stdout.write(`${JSON.stringify(output)}\n`);
  clearTimeout(watchdog);
};

main().catch((error) => {
  process.stderr.write(`bench http: ${error?.stack ?? error}\n`);
  killChildren();
  process.exit(1);
});
