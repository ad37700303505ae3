import type Koa from 'koa';
import { Abort, callerWithScopes, wireSchemas, type AbortSignalLike, type Caller, type Queue } from '@taskcluster-queue/core';
import { authenticate } from '../auth/authenticate';
import { VerifiedCertificates } from '../auth/verified-certificates';
import { Reply, type Call, type Endpoint } from '../endpoints';
import type { AppOptions } from './app';
import { parseJsonBody, readBody } from './body';
import { errorReply } from './errors';
import { respondJson } from './json';
import type { RouteMatch } from './routes';

const DEFAULT_BODY_LIMIT = 10 * 1024 * 1024;

/** Answers one request to one endpoint: body, authentication, the use case, and its answer or error. */
export type Handler = (match: RouteMatch, ctx: Koa.Context) => Promise<void>;

export const createHandler = (options: AppOptions): Handler => {
  const aborts = new Aborts(options.shutdown);
  const certificates = new VerifiedCertificates();
  const observe = options.observe;
  if (observe === undefined) return ({ endpoint, params }, ctx) => answer(options, aborts, certificates, endpoint, params, ctx);
  return async ({ endpoint, params }, ctx) => {
    const started = performance.now();
    try {
      await answer(options, aborts, certificates, endpoint, params, ctx);
    } finally {
      try {
        observe({ method: endpoint.name, status: ctx.status, seconds: (performance.now() - started) / 1000 });
      } catch {
        // Metrics must never break an answer.
      }
    }
  };
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
  aborts: Aborts,
  certificates: VerifiedCertificates,
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
      : await authenticate(ctx.req, { authenticator: options.authenticator, now: () => options.clock.now(), body: raw, certificates });
    const caller = callerWithScopes(identity.scopes, identity.clientId);
    const result = await endpoint.handle(new RequestCall(options.queue, caller, params, query, body, ctx, aborts));
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

/** What a handler gets. A class, not a literal: an object literal with a getter is slow to make. */
class RequestCall implements Call {
  private abort: Abort | undefined;

  constructor(
    readonly queue: Queue,
    readonly caller: Caller,
    readonly params: Readonly<Record<string, string>>,
    readonly query: Readonly<Record<string, string>>,
    readonly body: unknown,
    private readonly ctx: Koa.Context,
    private readonly aborts: Aborts,
  ) {}

  /** Made on first use: only the long poll needs one, and it costs every other request. */
  get signal(): AbortSignalLike {
    return (this.abort ??= this.aborts.forRequest(this.ctx));
  }
}

/**
 * Every request currently able to abort, so one shutdown listener reaches them all. A request's
 * long poll ends when its client goes away before the answer, or the server shuts down.
 */
class Aborts {
  private readonly waiting = new Set<Abort>();
  private shutDown = false;

  constructor(shutdown?: AbortSignal) {
    if (shutdown?.aborted) this.shutDown = true;
    else shutdown?.addEventListener('abort', () => this.shutdownAll(), { once: true });
  }

  private shutdownAll(): void {
    this.shutDown = true;
    for (const abort of this.waiting) abort.abort();
    this.waiting.clear();
  }

  /** Aborts when the client disconnects before the answer, or the server shuts down. */
  forRequest(ctx: Koa.Context): Abort {
    const abort = new Abort();
    // Made lazily: the client may have gone while its request was read or authenticated.
    if (this.shutDown || (ctx.res.destroyed && !ctx.res.writableFinished)) {
      abort.abort();
      return abort;
    }
    this.waiting.add(abort);
    ctx.res.once('close', () => {
      this.waiting.delete(abort);
      if (!ctx.res.writableFinished) abort.abort();
    });
    return abort;
  }
}
