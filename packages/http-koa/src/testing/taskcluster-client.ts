import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { QueueOperationName } from '@taskcluster-queue/core';

/** What taskcluster-client threw: its message, HTTP status, error code and body. */
export class ClientError extends Error {
  constructor(
    message: string,
    readonly statusCode: number | undefined,
    readonly code: string | undefined,
    readonly body: unknown,
  ) {
    super(message);
  }
}

export interface ClientOptions {
  readonly rootUrl: string;
  readonly credentials?: { clientId: string; accessToken: string; certificate?: string };
  readonly authorizedScopes?: readonly string[];
  readonly retries?: number;
  readonly timeout?: number;
}

/** The client's Queue methods (named as core's operations), plus URL building and health. */
export type ClientQueue = Record<
  QueueOperationName | 'ping' | 'lbheartbeat' | 'version' | 'heartbeat' | 'buildUrl' | 'buildSignedUrl',
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  (...args: any[]) => Promise<any>
>;

/**
 * The official taskcluster-client 87, driven in a child process: it is an ES module (got 14
 * behind it) that Jest on Node 20 cannot load, and a separate process is what a real client is.
 */
export const startClient = async () => {
  const child: ChildProcess = fork(join(__dirname, 'client-driver.mjs'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const waiting = new Map<number, (reply: { result?: unknown; error?: ClientError }) => void>();
  let nextId = 0;
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.on('message', (message: { ready?: boolean; id?: number; result?: unknown; error?: ClientError }) => {
      if (message.ready) return resolve();
      waiting.get(message.id!)?.(message);
      waiting.delete(message.id!);
    });
  });
  const call = (options: ClientOptions, method: string, args: unknown[]) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, ({ result, error }) =>
        error ? reject(new ClientError(error.message, error.statusCode, error.code, error.body)) : resolve(result),
      );
      child.send({ id, options: { retries: 0, ...options }, method, args });
    });
  return {
    /** A Queue client with these options; every method returns what the real client returns. */
    queue: (options: ClientOptions): ClientQueue =>
      new Proxy({} as ClientQueue, { get: (_, method: string) => (...args: unknown[]) => call(options, method, args) }),
    close: async () => {
      child.kill();
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
};
export type Client = Awaited<ReturnType<typeof startClient>>;
