'use strict';
/*
 * The server process of the HTTP bench (started by run.js with an IPC channel; see README.md).
 *
 * Two listeners on 127.0.0.1, ephemeral ports:
 *   - queue: http-koa's createApp over the in-memory core on the real clock, a static root
 *     client and HmacCredentialIssuer (the composition of src/testing/test-server.ts, without the
 *     recording proxy and with response validation off, as in production);
 *   - bare:  a one-middleware Koa app that reads the body with http-koa's readBody, verifies Hawk
 *     with http-koa's authenticate (same authenticator), parses the JSON body with parseJsonBody
 *     and answers with respondJson, as the app does.
 *
 * IPC commands (each answered with {id, result} or {id, error}):
 *   snapshot          CPU, event-loop utilisation and delay, heap, request and wake-up counters
 *   profileStart      start the V8 CPU profiler (node:inspector)
 *   profileStop {file}  stop it and write the .cpuprofile
 *   exit              close both servers and exit (so --cpu-prof can write its profile)
 */
const http = require('node:http');
const inspector = require('node:inspector');
const fs = require('node:fs');
const path = require('node:path');
const { performance, monitorEventLoopDelay } = require('node:perf_hooks');

const DIST = path.join(__dirname, '..', 'dist');
const need = (file) => {
  const full = path.join(DIST, file);
  if (!fs.existsSync(full)) throw new Error(`${full} is missing; build first: npx tsc -b packages/http-koa`);
  return require(full);
};

const { createApp, StaticAuthenticator, HmacCredentialIssuer } = need('index.js');
const { authenticate } = need('auth/authenticate.js');
const { AuthenticationFailed } = need('auth/auth-error.js');
const { readBody, parseJsonBody } = need('http/body.js');
const { respondJson } = need('http/json.js');
const { createQueue, realClock } = require('@taskcluster-queue/core');
const { createInMemoryPorts } = require('@taskcluster-queue/core/testing');
const Koa = require('koa');

const ROOT = JSON.parse(process.env.BENCH_ROOT_CLIENT ?? 'null') ?? {
  clientId: 'static/taskcluster/root',
  accessToken: 'bench-root-access-token',
};
const ANONYMOUS_SCOPES = ['queue:ping'];
const BODY_LIMIT = 10 * 1024 * 1024;

// ---------------------------------------------------------------------------------------------
// The queue over HTTP

// The publisher only counts, as a broker would (and as the core bench runs): a log of every
// message would grow the heap of this long run and its GC work, which production never pays.
const ports = createInMemoryPorts({ clock: realClock, record: false });
const stats = { notifies: 0, notifiesWithWaiter: 0, queueRequests: 0, bareRequests: 0, bareErrors: 0, unexpected: 0 };

// Counts createTasks that found a claimWork already waiting on their task queue (wake-up phase).
const work = ports.work;
const notify = work.notify.bind(work);
work.notify = (taskQueueId) => {
  stats.notifies++;
  if (work.waiting(taskQueueId) > 0) stats.notifiesWithWaiter++;
  notify(taskQueueId);
};

const authenticator = new StaticAuthenticator([{ ...ROOT, scopes: ['*'] }], ANONYMOUS_SCOPES);
const queue = createQueue({ ...ports, credentials: new HmacCredentialIssuer(ROOT) }, {});
const shutdown = new AbortController();
let firstUnexpected;

const queueServer = http.createServer();
queueServer.keepAliveTimeout = 65_000;
const bareServer = http.createServer();
bareServer.keepAliveTimeout = 65_000;

// ---------------------------------------------------------------------------------------------
// The bare handler: the floor every authenticated request pays (Hawk + reading and parsing JSON)

const bareApp = () => {
  const app = new Koa();
  app.use(async (ctx) => {
    try {
      const raw = await readBody(ctx.req, BODY_LIMIT);
      const identity = await authenticate(ctx.req, { authenticator, now: () => realClock.now(), body: raw });
      const body = parseJsonBody(raw);
      // Answered as the app answers JSON.
      respondJson(ctx, 200, { clientId: identity.clientId, items: Array.isArray(body?.items) ? body.items.length : 0 });
    } catch (error) {
      stats.bareErrors++;
      const failed = error instanceof AuthenticationFailed;
      respondJson(ctx, failed ? 401 : 400, { code: failed ? 'AuthenticationFailed' : 'MalformedPayload', message: String(error.message) });
    }
  });
  return app;
};

// ---------------------------------------------------------------------------------------------
// Measurements

const loopDelay = monitorEventLoopDelay({ resolution: 2 });
loopDelay.enable();
let elu = performance.eventLoopUtilization();

const snapshot = () => {
  const now = performance.eventLoopUtilization();
  const sinceLast = performance.eventLoopUtilization(now, elu);
  elu = now;
  const ms = (ns) => Math.round(ns / 1e4) / 100;
  const result = {
    cpuUs: process.cpuUsage(),
    hrMs: performance.now(),
    heapUsedMiB: Math.round(process.memoryUsage().heapUsed / 1048576),
    // Since the previous snapshot:
    eventLoopUtilization: Math.round(sinceLast.utilization * 1000) / 1000,
    eventLoopDelayMs: { p50: ms(loopDelay.percentile(50)), p99: ms(loopDelay.percentile(99)), max: ms(loopDelay.max) },
    ...stats,
    publishedEvents: ports.events.acceptedCount,
  };
  loopDelay.reset();
  return result;
};

let session;
const profileStart = async () => {
  session = new inspector.Session();
  session.connect();
  const post = (method, params) => new Promise((resolve, reject) => session.post(method, params, (e, r) => (e ? reject(e) : resolve(r))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 500 });
  await post('Profiler.start');
  return { post };
};
let profiler;
const profileStop = async ({ file }) => {
  if (!profiler) throw new Error('profiler not started');
  const { profile } = await profiler.post('Profiler.stop');
  session.disconnect();
  profiler = undefined;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(profile));
  return { file };
};

const close = async () => {
  shutdown.abort();
  for (const server of [queueServer, bareServer]) server.closeAllConnections();
  await Promise.all([queueServer, bareServer].map((server) => new Promise((resolve) => server.close(() => resolve()))));
};

const commands = {
  snapshot: async () => snapshot(),
  profileStart: async () => {
    profiler = await profileStart();
    return {};
  },
  profileStop,
  exit: async () => {
    setImmediate(async () => {
      await Promise.race([close(), new Promise((resolve) => setTimeout(resolve, 2000))]);
      process.exit(0);
    });
    return {};
  },
};

process.on('message', async (message) => {
  const command = commands[message?.cmd];
  try {
    if (!command) throw new Error(`unknown command ${message?.cmd}`);
    process.send({ id: message.id, result: await command(message) });
  } catch (error) {
    process.send({ id: message.id, error: String(error?.stack ?? error) });
  }
});
// The parent went away (crashed or killed): never outlive it.
process.on('disconnect', () => process.exit(0));

const listen = (server) =>
  new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server.address().port));
  });

const main = async () => {
  const [queuePort, barePort] = await Promise.all([listen(queueServer), listen(bareServer)]);
  const rootUrl = `http://127.0.0.1:${queuePort}`;
  const app = createApp({
    queue,
    authenticator,
    clock: realClock,
    rootUrl,
    bodyLimit: BODY_LIMIT,
    shutdown: shutdown.signal,
    reportError: (error) => {
      stats.unexpected++;
      firstUnexpected ??= String(error?.stack ?? error);
      if (stats.unexpected === 1) process.stderr.write(`bench server: unexpected error: ${firstUnexpected}\n`);
    },
    version: { version: 'bench' },
  });
  const queueHandler = app.callback();
  queueServer.on('request', (req, res) => {
    stats.queueRequests++;
    queueHandler(req, res);
  });
  const bareHandler = bareApp().callback();
  bareServer.on('request', (req, res) => {
    stats.bareRequests++;
    bareHandler(req, res);
  });
  process.send({ ready: true, queuePort, barePort, pid: process.pid, execArgv: process.execArgv });
};

main().catch((error) => {
  process.stderr.write(`bench server: ${error?.stack ?? error}\n`);
  process.exit(1);
});
