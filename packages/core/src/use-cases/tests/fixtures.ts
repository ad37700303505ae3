import { callerWithScopes, unrestrictedCaller } from '../../caller';
import type { CreateTaskRequest } from '../../schemas/task';
import { iso, MINUTE, HOUR, DAY } from '../../domain/time';
import { createInMemoryQueue, type InMemoryQueueOptions } from '../../testing/create-in-memory-queue';
import { InMemoryIdGenerator } from '../../testing/in-memory-ids';

export { callerWithScopes, unrestrictedCaller as root, MINUTE, HOUR, DAY };

const ids = new InMemoryIdGenerator();
export const slugid = (): string => ids.slugid();

export const worker = { workerGroup: 'wg', workerId: 'w1' };

/** A fresh in-memory queue (fake clock, claimWork answering at once). */
export const setup = (options: InMemoryQueueOptions = {}) => createInMemoryQueue(options);
export type Setup = ReturnType<typeof setup>;

/** A minimal valid task definition for `prov/wt`, created now with a one-day deadline. */
export const taskDef = (env: Setup, overrides: Partial<CreateTaskRequest> = {}): CreateTaskRequest => {
  const now = env.clock.now();
  return {
    taskQueueId: 'prov/wt',
    created: iso(now),
    deadline: iso(now + DAY),
    payload: {},
    metadata: { name: 'test', description: 'a task', owner: 'me@example.com', source: 'https://example.com/src' },
    ...overrides,
  };
};

/** Creates a task and returns its id. */
export const create = async (env: Setup, overrides: Partial<CreateTaskRequest> = {}, taskId = slugid()) => {
  await env.queue.createTask(unrestrictedCaller, taskId, taskDef(env, overrides));
  return taskId;
};

/** Claims one task of `prov/wt` (or the given queue) and returns the claim. */
export const claimOne = async (env: Setup, taskQueueId = 'prov/wt') => {
  const { tasks } = await env.queue.claimWork(unrestrictedCaller, taskQueueId, { ...worker, tasks: 1 });
  if (!tasks[0]) throw new Error(`nothing to claim in ${taskQueueId}`);
  return tasks[0];
};

export const stateOf = async (env: Setup, taskId: string) => (await env.queue.status(unrestrictedCaller, taskId)).status.state;

export const exchangesPublished = (env: Setup) => env.events.events.map((e) => e.exchange);

/** Expect a promise to reject with a DomainError of this code. */
export const rejectsWith = async (promise: Promise<unknown>, code: string) => {
  await expect(promise).rejects.toMatchObject({ code });
};
