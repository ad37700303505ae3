import type Koa from 'koa';
import { callerWithScopes, wireSchemas } from '@taskcluster-queue/core';
import { authenticate } from '../auth/authenticate';
import { Reply, type Endpoint } from '../endpoints';
import type { AppOptions } from './app';
import { parseJsonBody, readBody } from './body';
import { errorReply } from './errors';
import { respondJson } from './json';
import type { RouteMatch } from './routes';

const DEFAULT_BODY_LIMIT = 10 * 1024 * 1024;

/** One request to one endpoint: body, authentication, the use case, and its answer or error. */
export const handle = async (options: AppOptions, { endpoint, params }: RouteMatch, ctx: Koa.Context): Promise<void> => {
  if (options.observe === undefined) return answer(options, endpoint, params, ctx);
  const started = performance.now();
  try {
    await answer(options, endpoint, params, ctx);
  } finally {
    try {
      options.observe({ method: endpoint.name, status: ctx.status, seconds: (performance.now() - started) / 1000 });
    } catch {
      // Metrics must never break an answer.
    }
  }
};

const NO_QUERY: Readonly<Record<string, string>> = Object.freeze({});

/** The endpoint's declared query parameters that came as single strings. */
const queryOf = (endpoint: Endpoint, ctx: Koa.Context): Readonly<Record<string, string>> => {
  if (endpoint.query === undefined || ctx.querystring === '') return NO_QUERY;
  const query: Record<string, string> = {};
  for (const key of endpoint.query) {
    const value = ctx.query[key];
    if (typeof value === 'string') query[key] = value;
  }
  return query;
};

const answer = async (
  options: AppOptions,
  endpoint: Endpoint,
  params: Readonly<Record<string, string>>,
  ctx: Koa.Context,
): Promise<void> => {
  const query = queryOf(endpoint, ctx);
  let body: unknown;
  try {
    const raw = ctx.method === 'GET' ? '' : await readBody(ctx.req, options.bodyLimit ?? DEFAULT_BODY_LIMIT);
    body = endpoint.input ? parseJsonBody(raw) : undefined;
    const identity = endpoint.public
      ? { clientId: 'anonymous', scopes: [] }
      : await authenticate(ctx.req, { authenticator: options.authenticator, now: () => options.clock.now(), body: raw });
    let signal: AbortSignal | undefined;
    const result = await endpoint.handle({
      queue: options.queue,
      caller: callerWithScopes(identity.scopes, identity.clientId),
      params,
      query,
      body,
      // Made on first use: only the long poll needs one, and it costs every other request.
      get signal() {
        return (signal ??= requestSignal(ctx, options.shutdown));
      },
    });
    const reply = result instanceof Reply ? result : new Reply(200, result);
    if (options.validateResponses && endpoint.output && (reply.status === 200 || reply.status === 303)) {
      wireSchemas[endpoint.output]!.schema.parse(reply.body);
    }
    ctx.set(reply.headers);
    if (reply.body === undefined) ctx.status = reply.status;
    else respondJson(ctx, reply.status, reply.body);
  } catch (error) {
    const requestInfo = { method: endpoint.name, params, payload: body ?? {}, time: new Date(options.clock.now()).toISOString() };
    const reply = errorReply(error, requestInfo);
    if (reply.unexpected) options.reportError?.(error, requestInfo);
    if (reply.status === 401) ctx.set('www-authenticate', 'hawk');
    // The unread rest of an oversized body must not be parsed as the next request.
    if (reply.status === 413) ctx.set('connection', 'close');
    respondJson(ctx, reply.status, reply.body);
  }
};

/** Aborts when the client disconnects before the answer, or the server shuts down. */
const requestSignal = (ctx: Koa.Context, shutdown?: AbortSignal): AbortSignal => {
  const controller = new AbortController();
  // Made lazily: the client may have gone while its request was read or authenticated.
  if (ctx.res.destroyed && !ctx.res.writableFinished) {
    controller.abort();
    return controller.signal;
  }
  const onShutdown = () => controller.abort();
  ctx.res.once('close', () => {
    // The shutdown signal lives as long as the server: drop this request's listener with it.
    shutdown?.removeEventListener('abort', onShutdown);
    if (!ctx.res.writableFinished) controller.abort();
  });
  if (shutdown) {
    if (shutdown.aborted) controller.abort();
    else shutdown.addEventListener('abort', onShutdown, { once: true });
  }
  return controller.signal;
};
