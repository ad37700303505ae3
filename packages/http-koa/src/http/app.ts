import Router from '@koa/router';
import Koa from 'koa';
import { callerWithScopes, wireSchemas, type Clock, type Queue } from '@taskcluster-queue/core';
import { authenticate } from '../auth/authenticate';
import type { Authenticator } from '../auth/authenticator';
import { queueEndpoints, Reply, type Endpoint, type HealthInfo } from '../endpoints';
import { parseJsonBody, readBody } from './body';
import { errorReply } from './errors';
import { compileRoutes, paramsOf } from './routes';
import { referenceRoutes } from './reference-routes';

export const API_PREFIX = '/api/queue/v1';

export interface AppOptions {
  readonly queue: Queue;
  readonly authenticator: Authenticator;
  readonly clock: Clock;
  /** The root URL clients use, for the generated references. */
  readonly rootUrl: string;
  /** Largest accepted request body, in bytes (413 beyond it). */
  readonly bodyLimit?: number;
  /** Validate every response against its output schema (tests turn this on). */
  readonly validateResponses?: boolean;
  readonly version?: Readonly<Record<string, string>>;
  /** Aborts every waiting claimWork (server shutdown). */
  readonly shutdown?: AbortSignal;
  /** Unexpected errors (answered 500) go here, e.g. to Sentry. */
  readonly reportError?: (error: unknown, context: Readonly<Record<string, unknown>>) => void;
}

const DEFAULT_BODY_LIMIT = 10 * 1024 * 1024;

/** The Koa app of Queue API v1, derived from the endpoint table. */
export const createApp = (options: AppOptions): Koa => {
  const health: HealthInfo = { startedAt: options.clock.now(), version: options.version ?? {}, now: () => options.clock.now() };
  const endpoints = queueEndpoints(health);
  const router = new Router();
  for (const { endpoint, pattern } of compileRoutes(endpoints)) {
    const full = new RegExp(`^${API_PREFIX.replace(/\//g, '\\/')}${pattern.source.slice(1)}`);
    router[endpoint.method](full, (ctx) => handle(options, endpoint, full, ctx));
  }
  for (const route of referenceRoutes(endpoints, options.rootUrl)) router.get(route.path, (ctx) => {
    ctx.body = route.body;
  });
  const app = new Koa();
  app.use(router.routes());
  app.use(async (ctx) => {
    ctx.status = 404;
    ctx.body = { code: 'ResourceNotFound', message: `No such endpoint: ${ctx.method} ${ctx.path}`, requestInfo: {} };
  });
  return app;
};

const handle = async (options: AppOptions, endpoint: Endpoint, pattern: RegExp, ctx: Koa.Context): Promise<void> => {
  const params = paramsOf(pattern, ctx.path);
  const query = Object.fromEntries(
    (endpoint.query ?? []).flatMap((key) => (typeof ctx.query[key] === 'string' ? [[key, ctx.query[key] as string]] : [])),
  );
  let body: unknown;
  try {
    const raw = ctx.method === 'GET' ? '' : await readBody(ctx.req, options.bodyLimit ?? DEFAULT_BODY_LIMIT);
    body = endpoint.input ? parseJsonBody(raw) : undefined;
    const identity = endpoint.public
      ? { clientId: 'anonymous', scopes: [] }
      : await authenticate(ctx.req, { authenticator: options.authenticator, now: () => options.clock.now(), body: raw });
    const result = await endpoint.handle({
      queue: options.queue,
      caller: callerWithScopes(identity.scopes, identity.clientId),
      params,
      query,
      body,
      signal: requestSignal(ctx, options.shutdown),
    });
    const reply = result instanceof Reply ? result : new Reply(200, result);
    if (options.validateResponses && endpoint.output && (reply.status === 200 || reply.status === 303)) {
      wireSchemas[endpoint.output]!.schema.parse(reply.body);
    }
    ctx.status = reply.status;
    ctx.set(reply.headers);
    if (reply.body !== undefined) ctx.body = reply.body;
  } catch (error) {
    const requestInfo = { method: endpoint.name, params, payload: body ?? {}, time: new Date(options.clock.now()).toISOString() };
    const reply = errorReply(error, requestInfo);
    if (reply.unexpected) options.reportError?.(error, requestInfo);
    ctx.status = reply.status;
    if (reply.status === 401) ctx.set('www-authenticate', 'hawk');
    ctx.body = reply.body;
  }
};

/** Aborts when the client disconnects before the answer, or the server shuts down. */
const requestSignal = (ctx: Koa.Context, shutdown?: AbortSignal): AbortSignal => {
  const controller = new AbortController();
  ctx.res.once('close', () => {
    if (!ctx.res.writableFinished) controller.abort();
  });
  if (shutdown) {
    if (shutdown.aborted) controller.abort();
    else shutdown.addEventListener('abort', () => controller.abort(), { once: true });
  }
  return controller.signal;
};
