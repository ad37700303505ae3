import { API_PREFIX } from '../http/app';
import type { Credentials } from './hawk';
import { clientResult, signedFetch } from './signed-fetch';
import type { Client, ClientQueue } from './taskcluster-client';

export interface TestQueueOptions {
  readonly credentials?: Credentials;
  readonly authorizedScopes?: readonly string[];
}

/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * taskcluster-client's Queue, plus what it lacks: `defineTask` and `changeTaskPriority` (not in
 * client 87) and `raw` requests, all signed by hand with the same credentials and answering or
 * throwing as the client does.
 */
export type TestQueue = ClientQueue & {
  defineTask(taskId: string, body: unknown): Promise<any>;
  changeTaskPriority(taskId: string, body: unknown): Promise<any>;
  /** `path` is under `/api/queue/v1`. */
  raw(method: string, path: string, body?: unknown): Promise<any>;
};
/* eslint-enable @typescript-eslint/no-explicit-any */

export const testQueue = (client: Client, rootUrl: string, options: TestQueueOptions = {}): TestQueue => {
  const real = client.queue({ rootUrl, ...options });
  const raw = async (method: string, path: string, body?: unknown) =>
    clientResult(await signedFetch(`${rootUrl}${API_PREFIX}${path}`, { method, body, ...options }));
  const extra: Record<string, unknown> = {
    raw,
    defineTask: (taskId: string, body: unknown) => raw('POST', `/task/${encodeURIComponent(taskId)}/define`, body),
    changeTaskPriority: (taskId: string, body: unknown) => raw('POST', `/task/${encodeURIComponent(taskId)}/priority`, body),
  };
  return new Proxy(real, { get: (target, name) => (typeof name === 'string' && name in extra ? extra[name] : Reflect.get(target, name)) }) as TestQueue;
};
