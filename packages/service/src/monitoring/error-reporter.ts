import { errorFields, type Logger } from '../log';

/** What was going on when an unexpected error happened. */
export interface ErrorContext {
  /** The background job (kebab-case name). */
  readonly job?: string;
  /** The API method of the request. */
  readonly method?: string;
  readonly taskId?: string;
  /** http-koa's request info: method, params, time (the payload is not sent on). */
  readonly requestInfo?: Readonly<Record<string, unknown>>;
}

/** Unexpected errors: always logged, and sent to Sentry when a DSN is configured. */
export interface ErrorReporter {
  report(error: unknown, context: ErrorContext): void;
  /** Waits (at most `timeoutMs`) until reports are sent; call before the process exits. */
  close(timeoutMs?: number): Promise<void>;
}

export interface SentryOptions {
  readonly dsn: string;
  readonly environment?: string;
  readonly release?: string;
}

type SentryModule = typeof import('@sentry/node');

/**
 * Sentry's integrations kept: error shaping and the process-level handlers (an uncaught
 * exception is reported before the process exits). Tracing and instrumentation of http, fetch
 * and the like are left out: this service reports errors, and measures with Prometheus.
 */
const INTEGRATIONS = new Set([
  'EventFilters',
  'FunctionToString',
  'LinkedErrors',
  'Dedupe',
  'NodeSystemError',
  'OnUncaughtException',
  'OnUnhandledRejection',
  'ContextLines',
  'Context',
  'Modules',
]);

/** Initialises `@sentry/node` (loaded only here: it takes about a second to load). */
export const initSentry = (options: SentryOptions): SentryModule => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Sentry = require('@sentry/node') as SentryModule;
  Sentry.init({
    dsn: options.dsn,
    environment: options.environment,
    release: options.release,
    // No module-loader hooks: the integrations that need them are left out anyway.
    enableRuntimeChannelInjection: false,
    integrations: (defaults) => defaults.filter((integration) => INTEGRATIONS.has(integration.name)),
  });
  return Sentry;
};

const taskIdOf = (context: ErrorContext): string | undefined => {
  if (context.taskId) return context.taskId;
  const params = context.requestInfo?.params as Readonly<Record<string, unknown>> | undefined;
  return typeof params?.taskId === 'string' ? params.taskId : undefined;
};

export const createErrorReporter = (logger: Logger, sentry?: SentryModule): ErrorReporter => ({
  report(error, context) {
    const taskId = taskIdOf(context);
    const where = context.job ? `background job ${context.job}` : `request ${context.method ?? context.requestInfo?.method ?? ''}`.trim();
    logger('error', `unexpected error in ${where}`, { ...context, ...(taskId && { taskId }), ...errorFields(error) });
    if (!sentry) return;
    sentry.withScope((scope) => {
      if (context.job) scope.setTag('job', context.job);
      const method = context.method ?? (context.requestInfo?.method as string | undefined);
      if (method) scope.setTag('method', method);
      if (taskId) scope.setTag('taskId', taskId);
      if (context.requestInfo) {
        const { payload: _payload, ...info } = context.requestInfo;
        scope.setContext('request', info);
      }
      sentry.captureException(error);
    });
  },
  async close(timeoutMs = 2000) {
    await sentry?.close(timeoutMs);
  },
});
