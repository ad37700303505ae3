import type { ServiceIdentifier } from 'inversify';
import type { Clock, EventPublisher, CredentialIssuer, Queue, QueuePorts } from '@taskcluster-queue/core';
import type { Authenticator } from '@taskcluster-queue/http-koa';
import type { S3BlobStore } from '@taskcluster-queue/adapters-s3';
import type Koa from 'koa';
import type { ServiceConfig } from './config';
import type { Logger } from './log';
import type { ErrorReporter } from './monitoring/error-reporter';
import type { Metrics } from './monitoring/metrics';

const token = <T>(name: string): ServiceIdentifier<T> => Symbol.for(`taskcluster-queue/${name}`);

/** Everything the composition root binds; each is resolved at boot, so a missing one fails early. */
export const TOKENS = {
  config: token<ServiceConfig>('config'),
  rootAccessToken: token<string>('rootAccessToken'),
  logger: token<Logger>('logger'),
  clock: token<Clock>('clock'),
  events: token<EventPublisher & { close?: () => Promise<void> }>('events'),
  credentials: token<CredentialIssuer>('credentials'),
  /** The S3 artifact store, or null when no buckets are configured. */
  s3: token<S3BlobStore | null>('s3'),
  ports: token<QueuePorts>('ports'),
  queue: token<Queue>('queue'),
  authenticator: token<Authenticator>('authenticator'),
  shutdown: token<AbortController>('shutdown'),
  httpApp: token<Koa>('httpApp'),
  /** Prometheus metrics of this process (GET /metrics). */
  metrics: token<Metrics>('metrics'),
  /** Unexpected errors: logged, and sent to Sentry when SENTRY_DSN is set. */
  errorReporter: token<ErrorReporter>('errorReporter'),
} as const;
