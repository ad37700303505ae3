import 'reflect-metadata';
import { Container } from 'inversify';
import { AmqpEventPublisher, InProcessEventBus } from '@taskcluster-queue/adapter-pulse';
import { S3BlobStore } from '@taskcluster-queue/adapters-s3';
import { createQueue, realClock } from '@taskcluster-queue/core';
import { createInMemoryPorts } from '@taskcluster-queue/core/testing';
import { createApp, HmacCredentialIssuer, StaticAuthenticator } from '@taskcluster-queue/http-koa';
import type { ServiceConfig } from './config';
import type { Logger } from './log';
import { createErrorReporter, initSentry } from './monitoring/error-reporter';
import { createMetrics, readTaskQueueCounts } from './monitoring/metrics';
import type { Backend } from './backend';
import { ROOT_CLIENT_ID } from './root-client';
import { TOKENS } from './tokens';

const SERVICE_VERSION = { source: 'https://github.com/taskcluster-queue', version: '0.1.0', name: 'taskcluster-queue' };

/**
 * The one composition root: which adapter serves each port, for every process entry. Bindings
 * are singletons built on first use; `resolveAll` builds them all at boot.
 */
export const createContainer = (config: ServiceConfig, rootAccessToken: string, logger: Logger, backend: Backend): Container => {
  const container = new Container({ defaultScope: 'Singleton' });
  container.bind(TOKENS.config).toConstantValue(config);
  container.bind(TOKENS.rootAccessToken).toConstantValue(rootAccessToken);
  container.bind(TOKENS.logger).toConstantValue(logger);
  container.bind(TOKENS.clock).toConstantValue(realClock);
  container.bind(TOKENS.shutdown).toConstantValue(new AbortController());
  container.bind(TOKENS.events).toDynamicValue((context) =>
    context.get(TOKENS.metrics).instrumentEvents(
      config.AMQP_URL
        ? new AmqpEventPublisher({ url: config.AMQP_URL, namespace: config.PULSE_NAMESPACE, log: logger })
        : new InProcessEventBus({ log: logger }),
    ),
  );
  // The queue signs task credentials with the root client, which this server also verifies.
  container
    .bind(TOKENS.credentials)
    .toDynamicValue(() => new HmacCredentialIssuer({ clientId: ROOT_CLIENT_ID, accessToken: rootAccessToken }));
  container.bind(TOKENS.s3).toDynamicValue(() => s3BlobStore(config, backend));
  container.bind(TOKENS.ports).toDynamicValue((context) => {
    const s3 = context.get(TOKENS.s3);
    return {
      ...createInMemoryPorts({ clock: context.get(TOKENS.clock) }),
      // Storage from the backend (Azure tables); ids and wake-ups stay in-process.
      ...backend.storage,
      // Only storage types a client can really upload to: s3 and azure when their stores exist.
      blobs: { ...(s3 && { s3 }), ...(backend.azureBlobs && { azure: backend.azureBlobs }) },
      events: context.get(TOKENS.events),
      credentials: context.get(TOKENS.credentials),
    };
  });
  container.bind(TOKENS.queue).toDynamicValue((context) =>
    createQueue(context.get(TOKENS.ports), {
      claimTimeout: config.QUEUE_CLAIM_TIMEOUT * 1000,
      claimWorkWait: config.QUEUE_CLAIM_WORK_WAIT * 1000,
    }),
  );
  container.bind(TOKENS.authenticator).toDynamicValue(
    () =>
      new StaticAuthenticator(
        [{ clientId: ROOT_CLIENT_ID, accessToken: rootAccessToken, scopes: ['*'] }, ...config.QUEUE_CLIENTS],
        config.QUEUE_ANONYMOUS_SCOPES,
      ),
  );
  container.bind(TOKENS.httpApp).toDynamicValue((context) =>
    createApp({
      queue: context.get(TOKENS.queue),
      authenticator: context.get(TOKENS.authenticator),
      clock: context.get(TOKENS.clock),
      rootUrl: config.rootUrl,
      bodyLimit: config.QUEUE_BODY_LIMIT,
      version: SERVICE_VERSION,
      shutdown: context.get(TOKENS.shutdown).signal,
      reportError: (error, requestInfo) => context.get(TOKENS.errorReporter).report(error, { requestInfo }),
      observe: context.get(TOKENS.metrics).observeRequest,
      middleware: [context.get(TOKENS.metrics).middleware()],
    }),
  );
  container.bind(TOKENS.metrics).toDynamicValue((context) => {
    const clock = context.get(TOKENS.clock);
    return createMetrics({
      now: () => clock.now(),
      // Read at scrape time, from the queue this process uses.
      taskQueueCounts: () => readTaskQueueCounts(container.get(TOKENS.queue), config.QUEUE_METRICS_TASK_QUEUES),
      onCollectError: (error) => logger('warn', 'could not read the task queue counts for /metrics', { error: String(error) }),
    });
  });
  container.bind(TOKENS.errorReporter).toDynamicValue(() =>
    createErrorReporter(
      logger,
      config.SENTRY_DSN
        ? initSentry({ dsn: config.SENTRY_DSN, environment: config.SENTRY_ENVIRONMENT, release: config.SENTRY_RELEASE })
        : undefined,
    ),
  );
  return container;
};

/** S3 artifacts: the configured buckets, else the embedded server's, else none. */
const s3BlobStore = (config: ServiceConfig, backend: Backend): S3BlobStore | null => {
  if (!(config.S3_PUBLIC_BUCKET && config.S3_PRIVATE_BUCKET)) return backend.s3 ? new S3BlobStore(backend.s3) : null;
  return new S3BlobStore({
        publicBucket: config.S3_PUBLIC_BUCKET,
        privateBucket: config.S3_PRIVATE_BUCKET,
        region: config.S3_REGION,
        endpoint: config.S3_ENDPOINT,
        forcePathStyle: config.S3_FORCE_PATH_STYLE === 'true',
        publicBaseUrl: config.S3_PUBLIC_BASE_URL,
        credentials:
          config.S3_ACCESS_KEY_ID && config.S3_SECRET_ACCESS_KEY
            ? { accessKeyId: config.S3_ACCESS_KEY_ID, secretAccessKey: config.S3_SECRET_ACCESS_KEY }
            : undefined,
      });
};

/** Builds every binding, so a missing or broken one fails at boot rather than at 3 a.m. */
export const resolveAll = (container: Container): void => {
  for (const token of Object.values(TOKENS)) container.get(token);
};
