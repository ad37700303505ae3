'use strict';
/*
 * The load generator of the HTTP bench, in its own process (started by run.js with an IPC
 * channel; see README.md). Every request is signed with Hawk by hand (node:crypto, SHA-256, no
 * payload hash: what taskcluster-client sends) and goes over keep-alive connections.
 *
 * IPC: {id, cmd: 'run', phase: 'bare' | 'lifecycle' | 'wake', ...options} answers {id, result};
 *      {cmd: 'exit'} ends the process.
 */
const http = require('node:http');
const { createHmac, randomBytes, randomUUID } = require('node:crypto');

const HOST = '127.0.0.1';
const API = '/api/queue/v1';
const DAY = 24 * 60 * 60 * 1000;
const METADATA = { name: 'bench', description: 'a task', owner: 'me@example.com', source: 'https://example.com/src' };

const hr = () => Number(process.hrtime.bigint()) / 1e6; // ms, monotonic

// ---------------------------------------------------------------------------------------------
// Hawk (queue-api-reference §2): the header taskcluster-client builds

const NONCE_BASE = randomBytes(3).toString('hex');
let nonceCount = 0;

/** {clientId, accessToken, certificate?} → what signing needs, with ext precomputed. */
const signer = (credentials) => ({
  clientId: credentials.clientId,
  accessToken: credentials.accessToken,
  ext:
    credentials.certificate === undefined
      ? undefined
      : Buffer.from(JSON.stringify({ certificate: JSON.parse(credentials.certificate) })).toString('base64'),
});

const hawkHeader = (who, method, resource, port) => {
  const ts = Math.floor(Date.now() / 1000);
  const nonce = NONCE_BASE + (nonceCount++).toString(36);
  const ext = who.ext ?? '';
  const normalized = `hawk.1.header\n${ts}\n${nonce}\n${method}\n${resource}\n${HOST}\n${port}\n\n${ext}\n`;
  const mac = createHmac('sha256', who.accessToken).update(normalized).digest('base64');
  return `Hawk id="${who.clientId}", ts="${ts}", nonce="${nonce}"${who.ext ? `, ext="${who.ext}"` : ''}, mac="${mac}"`;
};

// ---------------------------------------------------------------------------------------------
// HTTP

class HttpFailure extends Error {
  constructor(status, body, what) {
    super(`${what} answered ${status}: ${String(body).slice(0, 300)}`);
    this.status = status;
  }
}

/**
 * One signed request; resolves {status, body (parsed), endMs (when the last byte arrived)}.
 * `onSent` is called right after the request was handed to the socket layer.
 */
const request = (agent, port, who, method, resource, body, timeoutMs, onSent) =>
  new Promise((resolve, reject) => {
    const headers = { authorization: hawkHeader(who, method, resource, port), accept: 'application/json' };
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = Buffer.byteLength(body);
    } else {
      headers['content-length'] = 0;
    }
    const req = http.request({ agent, host: HOST, port, method, path: resource, headers, timeout: timeoutMs }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => {
        const endMs = hr();
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed;
        try {
          parsed = text.length > 0 ? JSON.parse(text) : undefined;
        } catch {
          parsed = text;
        }
        if (res.statusCode < 200 || res.statusCode >= 300) reject(new HttpFailure(res.statusCode, text, `${method} ${resource}`));
        else resolve({ status: res.statusCode, body: parsed, endMs });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${resource} timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
    onSent?.();
  });

// ---------------------------------------------------------------------------------------------
// Helpers

/** A v4 slugid in its "nice" form (first bit clear), as taskcluster-client's slugid.nice(). */
const slugid = () => {
  const bytes = Buffer.from(randomUUID().replace(/-/g, ''), 'hex');
  bytes[0] &= 0x7f;
  return bytes.toString('base64url');
};

const taskDefinition = (taskQueueId) => {
  const now = Date.now();
  return JSON.stringify({
    taskQueueId,
    created: new Date(now).toISOString(),
    deadline: new Date(now + DAY).toISOString(),
    payload: {},
    metadata: METADATA,
  });
};

const summary = (samples) => {
  if (samples.length === 0) return { samples: 0 };
  const sorted = Float64Array.from(samples).sort();
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  const round = (x) => Math.round(x * 100) / 100;
  const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
  return { samples: sorted.length, meanMs: round(mean), p50Ms: round(at(0.5)), p90Ms: round(at(0.9)), p99Ms: round(at(0.99)), maxMs: round(sorted[sorted.length - 1]) };
};

/** Counts errors, keeping the first few; past `limit` the phase stops (`failed`) and fails. */
const errorLog = (limit = 50) => {
  const log = { count: 0, first: [], failed: false };
  log.add = (error) => {
    log.count++;
    if (log.first.length < 5) log.first.push(String(error?.message ?? error));
    if (log.count > limit) log.failed = true;
  };
  log.check = () => {
    if (log.failed) throw new Error(`too many errors (${log.count}); first: ${log.first.join(' | ')}`);
  };
  return log;
};

const cpuMs = (since) => {
  const { user, system } = process.cpuUsage(since);
  return (user + system) / 1000;
};

// ---------------------------------------------------------------------------------------------
// Phase: bare handler (Hawk verify + parse ~1 KB JSON), `concurrency` loops for `seconds`

const ONE_KB_BODY = (() => {
  const items = [];
  let text = '';
  for (let i = 0; JSON.stringify({ kind: 'bench', items }).length < 1000; i++) {
    items.push({ id: i, name: `item-${i}`, ok: i % 2 === 0 });
    text = JSON.stringify({ kind: 'bench', items });
  }
  return text;
})();

async function bare({ barePort, root, concurrency, seconds }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const who = signer(root);
  const errors = errorLog();
  const latencies = [];
  let done = 0;
  const cpu = process.cpuUsage();
  const start = hr();
  const end = start + seconds * 1000;
  const loop = async () => {
    while (hr() < end && !errors.failed) {
      const t0 = hr();
      try {
        await request(agent, barePort, who, 'POST', '/bare', ONE_KB_BODY, 10_000);
        latencies.push(hr() - t0);
        done++;
      } catch (error) {
        errors.add(error);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  const elapsedMs = hr() - start;
  agent.destroy();
  errors.check();
  return {
    concurrency,
    bodyBytes: Buffer.byteLength(ONE_KB_BODY),
    requests: done,
    elapsedMs: Math.round(elapsedMs),
    requestsPerSecond: Math.round((done / elapsedMs) * 1000),
    latency: summary(latencies),
    errors: errors.count,
    firstErrors: errors.first,
    loadCpuMs: Math.round(cpuMs(cpu)),
  };
}

// ---------------------------------------------------------------------------------------------
// Phase: lifecycles (createTask → claimWork tasks:1 → reportCompleted), `concurrency` workers

async function lifecycle({ queuePort, root, concurrency, seconds, reportAs, sharedQueue }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const rootWho = signer(root);
  const errors = errorLog();
  const ops = { createTask: [], claimWork: [], reportCompleted: [] };
  let done = 0;
  let emptyClaims = 0;
  const run = `${process.pid}-${Date.now().toString(36)}`;
  const cpu = process.cpuUsage();
  const start = hr();
  const end = start + seconds * 1000;
  const timed = async (name, fn) => {
    const t0 = hr();
    const result = await fn();
    ops[name].push(hr() - t0);
    return result;
  };
  const loop = async (i) => {
    // Each worker its own task queue (unless sharedQueue): its claim finds the task it just made.
    const taskQueueId = sharedQueue ? 'bench/lifecycle' : `bench/lc-${i}`;
    const claimPath = `${API}/claim-work/${encodeURIComponent(taskQueueId)}`;
    const claimBody = JSON.stringify({ workerGroup: `bench-${run}`, workerId: `w${i}`, tasks: 1 });
    while (hr() < end && !errors.failed) {
      try {
        const taskId = slugid();
        await timed('createTask', () => request(agent, queuePort, rootWho, 'PUT', `${API}/task/${taskId}`, taskDefinition(taskQueueId), 10_000));
        let claim;
        for (let attempt = 0; !claim; attempt++) {
          const { body } = await timed('claimWork', () => request(agent, queuePort, rootWho, 'POST', claimPath, claimBody, 30_000));
          claim = body.tasks[0];
          if (!claim) {
            emptyClaims++;
            if (attempt > 3) throw new Error(`claimWork on ${taskQueueId} keeps answering no task`);
          }
        }
        const who = reportAs === 'root' ? rootWho : signer(claim.credentials);
        const { body } = await timed('reportCompleted', () =>
          request(agent, queuePort, who, 'POST', `${API}/task/${claim.status.taskId}/runs/${claim.runId}/completed`, undefined, 10_000),
        );
        if (body.status.state !== 'completed') throw new Error(`reportCompleted left the task ${body.status.state}`);
        done++;
      } catch (error) {
        errors.add(error);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, i) => loop(i)));
  const elapsedMs = hr() - start;
  agent.destroy();
  errors.check();
  return {
    concurrency,
    reportAs,
    taskQueues: sharedQueue ? 1 : concurrency,
    lifecycles: done,
    elapsedMs: Math.round(elapsedMs),
    lifecyclesPerSecond: Math.round((done / elapsedMs) * 1000),
    requestsPerSecond: Math.round(((ops.createTask.length + ops.claimWork.length + ops.reportCompleted.length) / elapsedMs) * 1000),
    emptyClaims,
    latency: Object.fromEntries(Object.entries(ops).map(([name, samples]) => [name, summary(samples)])),
    errors: errors.count,
    firstErrors: errors.first,
    loadCpuMs: Math.round(cpuMs(cpu)),
  };
}

// ---------------------------------------------------------------------------------------------
// Phase: claimWork wake-up latency at a steady rate
//
// `claimers` workers, each on its own task queue, keep one claimWork waiting. A pacer issues
// `rate` createTasks per second, each for the claimer whose claim has waited longest (and at
// least `minWaitMs`, so it is parked in the server's long poll). Latency: from handing the
// createTask to the socket until the last byte of the claim's answer.

async function wake({ queuePort, root, rate, claimers, seconds, minWaitMs }) {
  const claimAgent = new http.Agent({ keepAlive: true, maxSockets: claimers });
  const createAgent = new http.Agent({ keepAlive: true, maxSockets: 32 });
  const who = signer(root);
  const errors = errorLog();
  const run = `${process.pid}-${Date.now().toString(36)}`;
  const latencies = [];
  const createLatencies = [];
  let issued = 0;
  let answered = 0;
  let wrongTask = 0;
  let lateStart = 0; // due tasks that found no claimer ready (pacer fell behind)
  const ready = []; // claimers waiting and not yet targeted, oldest claim first
  let stopping = false;
  const cpu = process.cpuUsage();

  const claimer = (i) => ({
    taskQueueId: `bench/wake-${run}-${i}`,
    path: `${API}/claim-work/${encodeURIComponent(`bench/wake-${run}-${i}`)}`,
    body: JSON.stringify({ workerGroup: 'bench', workerId: `c${i}`, tasks: 1 }),
    sentAt: 0,
    target: undefined, // {taskId, t0} once a task was created for it
  });
  const all = Array.from({ length: claimers }, (_, i) => claimer(i));

  const startClaim = (c) => {
    if (stopping) return;
    c.sentAt = hr();
    c.target = undefined;
    ready.push(c);
    request(claimAgent, queuePort, who, 'POST', c.path, c.body, 30_000).then(
      ({ body, endMs }) => {
        const target = c.target;
        if (!target) {
          // Answered before any task was made for it: the long poll ran out (or shutdown).
          const at = ready.indexOf(c);
          if (at >= 0) ready.splice(at, 1);
          if (!stopping) errors.add(new Error(`claimWork on ${c.taskQueueId} answered with no task made for it`));
        } else {
          answered++;
          const got = body.tasks[0]?.status.taskId;
          if (got !== target.taskId) wrongTask++;
          else latencies.push(endMs - target.t0);
        }
        startClaim(c);
      },
      (error) => {
        const at = ready.indexOf(c);
        if (at >= 0) ready.splice(at, 1);
        if (!stopping) {
          errors.add(error);
          startClaim(c);
        }
      },
    );
  };

  const create = (c) => {
    const taskId = slugid();
    const target = { taskId, t0: 0 };
    c.target = target;
    issued++;
    const body = taskDefinition(c.taskQueueId);
    request(createAgent, queuePort, who, 'PUT', `${API}/task/${taskId}`, body, 10_000, () => {
      target.t0 = hr();
    }).then(
      ({ endMs }) => createLatencies.push(endMs - target.t0),
      (error) => {
        if (!stopping) errors.add(error);
      },
    );
  };

  for (const c of all) startClaim(c);
  // Let every first claim reach its long poll before pacing starts.
  await new Promise((resolve) => setTimeout(resolve, Math.max(100, minWaitMs * 2)));

  const start = hr();
  const end = start + seconds * 1000;
  let phaseError;
  await new Promise((resolve) => {
    const tick = () => {
      try {
        const now = hr();
        if (now >= end || errors.failed) return resolve();
        let due = Math.floor(((now - start) * rate) / 1000) - issued;
        while (due > 0 && ready.length > 0 && now - ready[0].sentAt >= minWaitMs) {
          create(ready.shift());
          due--;
        }
        if (due > 0) lateStart++;
        setTimeout(tick, 1);
      } catch (error) {
        phaseError = error;
        resolve();
      }
    };
    tick();
  });
  const elapsedMs = hr() - start;
  // Wait (bounded) for the claims already targeted, then drop every connection: the server
  // answers the remaining long polls as aborted.
  const waitUntil = hr() + 5_000;
  while (answered < issued && hr() < waitUntil) await new Promise((resolve) => setTimeout(resolve, 5));
  stopping = true;
  claimAgent.destroy();
  createAgent.destroy();
  if (phaseError) throw phaseError;
  errors.check();
  return {
    targetRate: rate,
    claimers,
    minWaitMs,
    tasks: issued,
    answered,
    elapsedMs: Math.round(elapsedMs),
    achievedRate: Math.round((issued / elapsedMs) * 1000),
    pacerBehindTicks: lateStart,
    wrongTask,
    wakeUp: summary(latencies),
    createTask: summary(createLatencies),
    errors: errors.count,
    firstErrors: errors.first,
    loadCpuMs: Math.round(cpuMs(cpu)),
  };
}

// ---------------------------------------------------------------------------------------------

const phases = { bare, lifecycle, wake };

process.on('message', async (message) => {
  if (message?.cmd === 'exit') process.exit(0);
  try {
    const phase = phases[message?.phase];
    if (message?.cmd !== 'run' || !phase) throw new Error(`unknown command ${JSON.stringify(message)}`);
    process.send({ id: message.id, result: await phase(message) });
  } catch (error) {
    process.send({ id: message.id, error: String(error?.stack ?? error) });
  }
});
process.on('disconnect', () => process.exit(0));
process.send({ ready: true, pid: process.pid });
