import { callerWithScopes, unrestrictedCaller } from '../../caller';
import { defaultQueueConfig, type QueueConfig } from '../../config';
import { DAY, HOUR, iso } from '../../domain/time';
import type { QueuePorts } from '../../ports';
import type { CreateTaskRequest } from '../../schemas/task';
import { InMemoryIdGenerator } from '../../testing/in-memory-ids';
import { createInMemoryPorts } from '../../testing/in-memory-ports';
import { claimWork } from '../work/claim-work';
import { createMemo, type UseCaseContext } from '../context';
import { createTask } from '../tasks/create-task';

/** Shared setup of the artifact use-case tests (kept out of the package by the `*.test.*` rule). */

export const root = unrestrictedCaller;
export { callerWithScopes };
export const worker = { workerGroup: 'wg', workerId: 'w1' };

const ids = new InMemoryIdGenerator();
export const slugid = (): string => ids.slugid();

export const setup = (config: Partial<QueueConfig> = {}, blobs?: (ports: ReturnType<typeof createInMemoryPorts>) => QueuePorts['blobs']) => {
  const ports = createInMemoryPorts();
  const withBlobs: QueuePorts = blobs ? { ...ports, blobs: blobs(ports) } : ports;
  const ctx: UseCaseContext = { ports: withBlobs, config: { ...defaultQueueConfig, claimWorkWait: 0, ...config }, memo: createMemo() };
  return { ports, ctx, clock: ports.clock };
};
export type Env = ReturnType<typeof setup>;

export const taskDef = (env: Env, overrides: Partial<CreateTaskRequest> = {}): CreateTaskRequest => {
  const now = env.clock.now();
  return {
    taskQueueId: 'prov/wt',
    created: iso(now),
    deadline: iso(now + DAY),
    expires: iso(now + 30 * DAY),
    payload: {},
    metadata: { name: 'artifacts', description: 'a task with artifacts', owner: 'me@example.com', source: 'https://example.com/src' },
    ...overrides,
  };
};

/** A task whose run 0 is running on `worker`. */
export const runningTask = async (env: Env, overrides: Partial<CreateTaskRequest> = {}): Promise<string> => {
  const taskId = slugid();
  await createTask(env.ctx, root, taskId, taskDef(env, overrides));
  const { tasks } = await claimWork(env.ctx, root, overrides.taskQueueId ?? 'prov/wt', { ...worker, tasks: 1 });
  if (tasks[0]?.status.taskId !== taskId) throw new Error('runningTask: the task was not claimed');
  return taskId;
};

/** An artifact expiry `ms` from now. */
export const inMs = (env: Env, ms: number): string => iso(env.clock.now() + ms);

export const reference = (env: Env, url = 'https://example.com/a', extra: Record<string, unknown> = {}) => ({
  storageType: 'reference',
  expires: inMs(env, DAY),
  url,
  ...extra,
});

export const link = (env: Env, artifact: string, extra: Record<string, unknown> = {}) => ({
  storageType: 'link',
  expires: inMs(env, DAY),
  artifact,
  ...extra,
});

export const errorArtifact = (env: Env, extra: Record<string, unknown> = {}) => ({
  storageType: 'error',
  expires: inMs(env, DAY),
  reason: 'file-missing-on-worker',
  message: 'no such file: build.log',
  ...extra,
});

export const upload = (env: Env, storageType: 's3' | 'azure' = 's3', extra: Record<string, unknown> = {}) => ({
  storageType,
  expires: inMs(env, DAY),
  contentType: 'text/plain',
  ...extra,
});

export { DAY, HOUR };

/** Expect a promise to reject with a DomainError of this code. */
export const rejectsWith = async (promise: Promise<unknown>, code: string) => {
  await expect(promise).rejects.toMatchObject({ code });
};

export const artifactEvents = (env: Env) => env.ports.events.ofExchange('artifact-created');
