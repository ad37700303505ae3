/**
 * Replicas for the cross-replica tests: several core instances (`createQueue`) over the same
 * Azure tables, each with its own in-memory event publisher, work notifier and credentials, as
 * separate processes would have. A kill switch makes an instance "crash" at a chosen storage call.
 */
import { createQueue, realClock, type QueueConfig, type QueuePorts, type schemas } from '@taskcluster-queue/core';
import { createInMemoryPorts, type InMemoryPorts } from '@taskcluster-queue/core/testing';
import { createAzurePorts, RequestCounter, type AzurePorts, type AzureStoragePorts } from './index';

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

const STORAGE_PORTS = ['tasks', 'taskGroups', 'dependencies', 'artifacts', 'workerInfo', 'pending', 'claims', 'timers'] as const;

/** Decides, per storage call, whether the process dies there: before the call, or after it took effect. */
export type CrashPlan = (call: { port: string; method: string; args: readonly unknown[] }) => 'before' | 'after' | undefined;

export class Killed extends Error {
  constructor(where: string) {
    super(`replica killed at ${where}`);
    this.name = 'Killed';
  }
}

export interface Replica {
  readonly name: string;
  readonly queue: ReturnType<typeof createQueue>;
  readonly ports: QueuePorts;
  readonly memory: InMemoryPorts<typeof realClock>;
  readonly storage: AzurePorts;
  readonly requests: RequestCounter;
  /** From now on, the first call `plan` picks kills this replica: that call and every later one fail. */
  crashAt(plan: CrashPlan): void;
  readonly dead: boolean;
}

/** Wraps every method of `port` so a dead replica's calls fail, and a planned call kills it. */
const guard = <T extends object>(port: T, name: string, state: { dead: boolean; plan?: CrashPlan }): T =>
  new Proxy(port, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      return async (...args: unknown[]) => {
        const where = `${name}.${property}`;
        if (state.dead) throw new Killed(`${where} (already dead)`);
        const when = state.plan?.({ port: name, method: property, args });
        if (when === 'before') {
          state.dead = true;
          throw new Killed(`${where}, before it`);
        }
        const result = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        if (when === 'after') {
          state.dead = true;
          throw new Killed(`${where}, after it took effect`);
        }
        return result;
      };
    },
  });

/** A core instance over the tables of `prefix`, with its own in-memory publisher and notifier. */
export const replica = (name: string, connectionString: string, prefix: string, config: Partial<QueueConfig> = {}): Replica => {
  const requests = new RequestCounter();
  const storage = createAzurePorts({ connectionString, prefix, onRequest: requests.record });
  const memory = createInMemoryPorts({ clock: realClock });
  const state: { dead: boolean; plan?: CrashPlan } = { dead: false };
  const storagePorts = Object.fromEntries(STORAGE_PORTS.map((port) => [port, guard(storage[port], port, state)])) as unknown as AzureStoragePorts;
  const ports: QueuePorts = { ...memory, ...storagePorts, events: guard(memory.events, 'events', state) };
  return {
    name,
    queue: createQueue(ports, { claimWorkWait: 0, ...config }),
    ports,
    memory,
    storage,
    requests,
    crashAt: (plan) => {
      state.plan = plan;
    },
    get dead() {
      return state.dead;
    },
  };
};

export const TASK_QUEUE = 'replicas/wt';

/** A minimal valid task of `taskQueueId`, created now. */
export const taskDef = (overrides: Partial<schemas.CreateTaskRequest> = {}): schemas.CreateTaskRequest => {
  const now = Date.now();
  return {
    taskQueueId: TASK_QUEUE,
    created: new Date(now).toISOString(),
    deadline: new Date(now + DAY).toISOString(),
    payload: {},
    metadata: { name: 'replica test', description: 'a task', owner: 'me@example.com', source: 'https://example.com/src' },
    ...overrides,
  };
};

/** Polls `check` until it returns true, failing with `what` after `timeoutMs` (never asserts on time). */
export const eventually = async (what: string, check: () => Promise<boolean>, timeoutMs = 60_000, intervalMs = 100): Promise<void> => {
  const stop = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > stop) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
};

/** Runs `fn` for each index with at most `limit` in flight. */
export const pool = async (count: number, limit: number, fn: (index: number) => Promise<void>): Promise<void> => {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, count) }, async () => {
      while (next < count) await fn(next++);
    }),
  );
};
