import Koa from 'koa';
import type { Clock, Queue } from '@taskcluster-queue/core';
import type { Authenticator } from '../auth/authenticator';
import { queueEndpoints, type HealthInfo } from '../endpoints';
import { createHandler } from './handle';
import { answerJson, respondJson } from './json';
import { createRouter } from './routes';
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
  /** Told of every answered API call (e.g. for request metrics); a throw here is ignored. */
  readonly observe?: (observation: RequestObservation) => void;
  /** Koa middleware run before the API routes, e.g. the service's `GET /metrics`. */
  readonly middleware?: readonly Koa.Middleware[];
}

export interface RequestObservation {
  /** The API method (`createTask`, `claimWork`, ...). */
  readonly method: string;
  readonly status: number;
  /** From the request's arrival at its handler to its answer. */
  readonly seconds: number;
}

/** The Koa app of Queue API v1, derived from the endpoint table. */
export const createApp = (options: AppOptions): Koa => {
  const health: HealthInfo = { startedAt: options.clock.now(), version: options.version ?? {}, now: () => options.clock.now() };
  const endpoints = queueEndpoints(health);
  // Dockerflow: load balancers and operators probe these at the root too.
  const router = createRouter(endpoints, API_PREFIX, endpoints.filter((e) => e.public && e.route.startsWith('/__')));
  // References and schemas are fixed documents: one lookup, not a route each.
  const documents = new Map(referenceRoutes(endpoints, options.rootUrl).map((route) => [route.path, JSON.stringify(route.body)]));
  const handle = createHandler(options);
  const app = new Koa();
  for (const middleware of options.middleware ?? []) app.use(middleware);
  app.use(async (ctx) => {
    const path = ctx.path;
    const document = ctx.method === 'GET' || ctx.method === 'HEAD' ? documents.get(path) : undefined;
    if (document !== undefined) return answerJson(ctx, 200, document);
    const match = router.match(ctx.method, path);
    if (match) return handle(match, ctx);
    respondJson(ctx, 404, { code: 'ResourceNotFound', message: `No such endpoint: ${ctx.method} ${path}`, requestInfo: {} });
  });
  return app;
};
