import type { AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import { createQueue, operations, realClock, type Caller, type QueueConfig, type ScopeExpression } from '@taskcluster-queue/core';
import { createInMemoryPorts } from '@taskcluster-queue/core/testing';
import { StaticAuthenticator, type ClientRecord } from '../auth/authenticator';
import { HmacCredentialIssuer } from '../auth/temporary-credentials';
import { createApp } from '../http/app';

export const ROOT = { clientId: 'static/taskcluster/root', accessToken: 'root-secret-token-for-tests', scopes: ['*'] };
/** Scopes every caller holds, authenticated or not. */
export const ANONYMOUS_SCOPES = ['queue:ping'];

type Queue = ReturnType<typeof createQueue>;

/** One scope check a use case made: which operation, for whom, and the expression it required. */
export interface Authorization {
  readonly operation: string;
  readonly clientId: string;
  readonly expression: ScopeExpression;
}

/** How an operation called over HTTP ended: its result, or what it threw. */
export interface Settled {
  readonly operation: string;
  readonly clientId: string;
  readonly result?: unknown;
  readonly error?: unknown;
}

export interface TestServer {
  readonly rootUrl: string;
  readonly ports: ReturnType<typeof createInMemoryPorts>;
  /** The queue behind the server (for fixtures and background jobs; calls here are not recorded). */
  readonly queue: Queue;
  readonly shutdown: AbortController;
  /** Every scope check made by a request, oldest first. */
  readonly authorizations: Authorization[];
  /** Every operation a request ran, once it ended. */
  readonly settled: Settled[];
  /** Unexpected errors the app reported (answered 500). */
  readonly reportedErrors: unknown[];
  /** Adds a client the server accepts. */
  addClient(client: ClientRecord): void;
  close(): Promise<void>;
}

export interface TestServerOptions {
  readonly config?: Partial<QueueConfig>;
  readonly bodyLimit?: number;
}

const isOperation = (name: string | symbol): name is keyof typeof operations => typeof name === 'string' && name in operations;

/** The queue the app sees: every operation records its scope checks and how it ended. */
const recordingQueue = (queue: Queue, authorizations: Authorization[], settled: Settled[]): Queue =>
  new Proxy(queue, {
    get(target, name, receiver) {
      const value: unknown = Reflect.get(target, name, receiver);
      if (!isOperation(name) || typeof value !== 'function') return value;
      return async (caller: Caller, ...args: unknown[]) => {
        const recording: Caller = {
          clientId: caller.clientId,
          authorize(expression) {
            authorizations.push({ operation: name, clientId: caller.clientId, expression });
            caller.authorize(expression);
          },
        };
        try {
          const result: unknown = await (value as (...a: unknown[]) => Promise<unknown>)(recording, ...args);
          settled.push({ operation: name, clientId: caller.clientId, result });
          return result;
        } catch (error) {
          settled.push({ operation: name, clientId: caller.clientId, error });
          throw error;
        }
      };
    },
  });

/**
 * A listening server over the in-memory backend and the real clock, with a root client and
 * response validation on: what the end-to-end tests drive with taskcluster-client.
 */
export const startTestServer = async ({ config = {}, bodyLimit }: TestServerOptions = {}): Promise<TestServer> => {
  const ports = createInMemoryPorts({ clock: realClock });
  const clients: ClientRecord[] = [ROOT];
  const authenticator = new StaticAuthenticator([], ANONYMOUS_SCOPES);
  Object.assign(authenticator, { client: async (id: string) => clients.find((c) => c.clientId === id) });
  const queue = createQueue({ ...ports, credentials: new HmacCredentialIssuer(ROOT) }, { claimWorkWait: 2_000, ...config });
  const shutdown = new AbortController();
  const authorizations: Authorization[] = [];
  const settled: Settled[] = [];
  const reportedErrors: unknown[] = [];
  // Listen first, so the app's references carry the real root URL.
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const rootUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const app = createApp({
    queue: recordingQueue(queue, authorizations, settled),
    authenticator,
    clock: realClock,
    rootUrl,
    validateResponses: true,
    shutdown: shutdown.signal,
    reportError: (error) => reportedErrors.push(error),
    ...(bodyLimit !== undefined && { bodyLimit }),
    version: { version: '0.0.0-test' },
  });
  server.on('request', app.callback());
  return {
    rootUrl,
    ports,
    queue,
    shutdown,
    authorizations,
    settled,
    reportedErrors,
    addClient: (client) => clients.push(client),
    close: async () => {
      shutdown.abort();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
};
