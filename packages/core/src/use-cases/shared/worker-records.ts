import { notFound, WriteConflict } from '../../errors';
import { DAY, iso, ms } from '../../domain/time';
import type { ScopeExpression } from '../../domain/scopes';
import type { Versioned } from '../../ports/versioned';
import type { Provisioner, ProvisionerAction, TaskQueueInfo, Worker } from '../../ports/worker-info-store';
import type { WorkerResponse } from '../../schemas/worker';
import type { UseCaseContext } from '../context';

/**
 * Rules shared by the provisioner, worker-type, task-queue and worker use cases
 * (queue-inventory §11, §17).
 *
 * Liveness: a record counts as absent once it has expired, whether or not the expiry job has
 * deleted it yet. Upstream's reads ignored `expires` except in listWorkers (§16 item 10); here
 * every read and every declare sees the same thing. A worker stays alive while quarantined, as
 * the expiry job keeps it (so a quarantine can always be seen and lifted).
 */

/** Default life of a declared provisioner or task queue. */
export const DECLARED_POOL_LIFETIME = 5 * DAY;
/** Default life of a declared worker. */
export const DECLARED_WORKER_LIFETIME = DAY;
/** Quarantine changes kept per worker: bounds the record; the oldest go first. */
export const MAX_QUARANTINE_DETAILS = 50;

const MAX_ATTEMPTS = 20;

export const isLive = (record: { readonly expires: string }, now: number): boolean => ms(record.expires) > now;
export const isQuarantined = (worker: Worker, now: number): boolean => ms(worker.quarantineUntil) > now;
export const isWorkerLive = (worker: Worker, now: number): boolean => isLive(worker, now) || isQuarantined(worker, now);
/** When a worker stops being live if nothing refreshes it. */
export const workerLivesUntil = (worker: Worker): number => Math.max(ms(worker.expires), ms(worker.quarantineUntil));

export const taskQueueIdOf = (provisionerId: string, workerType: string): string => `${provisionerId}/${workerType}`;

/** provisionerIds cannot contain `/`, so the first slash separates the two parts. */
export const splitTaskQueueId = (taskQueueId: string): { provisionerId: string; workerType: string } => {
  const slash = taskQueueId.indexOf('/');
  return { provisionerId: taskQueueId.slice(0, slash), workerType: taskQueueId.slice(slash + 1) };
};

export const actionsFor = (
  provisioner: Provisioner,
  context?: ProvisionerAction['context'],
): ProvisionerAction[] => provisioner.actions.filter((action) => context === undefined || action.context === context);

/**
 * The scopes of a declare call. Upstream requires one scope per body property, so an empty body
 * required nothing and anyone could create or refresh a record (§16 item 8). An empty body
 * creates the record with defaults, which a holder of any single property scope could do anyway,
 * so it requires any one of them: nothing more, and never nothing.
 */
export const declareScopes = (
  given: Readonly<Record<string, unknown>>,
  properties: readonly string[],
  expression: (body: Readonly<Record<string, unknown>>) => ScopeExpression,
): ScopeExpression =>
  Object.keys(given).length > 0 ? expression(given) : { AnyOf: properties.map((p) => expression({ [p]: true })) };

/** The properties a client sent, without keys whose value is absent. */
export const givenFields = <T extends object>(request: T): Partial<T> =>
  Object.fromEntries(Object.entries(request).filter(([, value]) => value !== undefined)) as Partial<T>;

interface Upsert<T> {
  readonly get: () => Promise<Versioned<T> | undefined>;
  readonly save: (value: T, version: string | null) => Promise<Versioned<T>>;
  readonly live: (value: T, now: number) => boolean;
  /** The next value from the live one (undefined: absent or expired); return `live` itself for no change. */
  readonly change: (live: T | undefined, now: number) => T;
  /** Runs before each write attempt, and also when nothing changes (to ensure parent records). */
  readonly beforeWrite?: (next: T, now: number) => Promise<void>;
}

/** Read → change → conditional write, retried on WriteConflict. An expired record is overwritten as if absent. */
export const upsertRecord = async <T>({ get, save, live, change, beforeWrite }: Upsert<T>, ctx: UseCaseContext): Promise<T> => {
  for (let attempt = 1; ; attempt++) {
    const now = ctx.ports.clock.now();
    const current = await get();
    const alive = current && live(current.value, now) ? current.value : undefined;
    const next = change(alive, now);
    await beforeWrite?.(next, now);
    if (next === alive) return next;
    try {
      return (await save(next, current?.version ?? null)).value;
    } catch (error) {
      if (!(error instanceof WriteConflict) || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
};

export const newProvisioner = (provisionerId: string, now: number, expires: number): Provisioner => ({
  provisionerId,
  expires: iso(expires),
  lastDateActive: iso(now),
  description: '',
  stability: 'experimental',
  actions: [],
});

export const newTaskQueue = (taskQueueId: string, now: number, expires: number): TaskQueueInfo => ({
  taskQueueId,
  expires: iso(expires),
  lastDateActive: iso(now),
  description: '',
  stability: 'experimental',
});

/** Whatever `change` gives, with `expires` raised to at least `until`. */
const extendedTo = <T extends { readonly expires: string }>(value: T, until: number): T =>
  ms(value.expires) >= until ? value : { ...value, expires: iso(until) };

export const upsertProvisioner = (
  ctx: UseCaseContext,
  provisionerId: string,
  change: (live: Provisioner | undefined, now: number) => Provisioner,
): Promise<Provisioner> =>
  upsertRecord(
    {
      get: () => ctx.ports.workerInfo.getProvisioner(provisionerId),
      save: (value, version) => ctx.ports.workerInfo.saveProvisioner(value, version),
      live: isLive,
      change,
    },
    ctx,
  );

export const upsertTaskQueue = (
  ctx: UseCaseContext,
  taskQueueId: string,
  change: (live: TaskQueueInfo | undefined, now: number) => TaskQueueInfo,
  beforeWrite?: (next: TaskQueueInfo, now: number) => Promise<void>,
): Promise<TaskQueueInfo> =>
  upsertRecord(
    {
      get: () => ctx.ports.workerInfo.getTaskQueue(taskQueueId),
      save: (value, version) => ctx.ports.workerInfo.saveTaskQueue(value, version),
      live: isLive,
      change,
      beforeWrite,
    },
    ctx,
  );

/**
 * The provisioner, created with defaults if absent, and kept alive at least `until`: a record
 * below it (worker type, worker) cannot be read without it, so it must not expire first.
 */
export const ensureProvisioner = (ctx: UseCaseContext, provisionerId: string, until: number): Promise<Provisioner> =>
  upsertProvisioner(ctx, provisionerId, (live, now) =>
    live ? extendedTo(live, until) : newProvisioner(provisionerId, now, Math.max(now + DECLARED_POOL_LIFETIME, until)),
  );

/** The task queue and its provisioner, created if absent, alive at least `until`. Returns the provisioner. */
export const ensureTaskQueue = async (ctx: UseCaseContext, taskQueueId: string, until: number): Promise<Provisioner> => {
  const provisioner = await ensureProvisioner(ctx, splitTaskQueueId(taskQueueId).provisionerId, until);
  await upsertTaskQueue(ctx, taskQueueId, (live, now) =>
    live ? extendedTo(live, until) : newTaskQueue(taskQueueId, now, Math.max(now + DECLARED_POOL_LIFETIME, until)),
  );
  return provisioner;
};

/**
 * Writes a worker (read → change → conditional write, retried), first making sure its task
 * queue and provisioner exist and outlive it. Returns the worker and its provisioner.
 */
export const upsertWorker = async (
  ctx: UseCaseContext,
  taskQueueId: string,
  workerGroup: string,
  workerId: string,
  change: (live: Worker | undefined, now: number) => Worker,
): Promise<{ worker: Worker; provisioner: Provisioner }> => {
  let provisioner: Provisioner | undefined;
  const worker = await upsertRecord(
    {
      get: () => ctx.ports.workerInfo.getWorker(taskQueueId, workerGroup, workerId),
      save: (value, version) => ctx.ports.workerInfo.saveWorker(value, version),
      live: isWorkerLive,
      change,
      beforeWrite: async (next) => {
        provisioner = await ensureTaskQueue(ctx, taskQueueId, workerLivesUntil(next));
      },
    },
    ctx,
  );
  return { worker, provisioner: provisioner as Provisioner };
};

export const newWorker = (taskQueueId: string, workerGroup: string, workerId: string, now: number): Worker => ({
  taskQueueId,
  workerGroup,
  workerId,
  recentTasks: [],
  expires: iso(now + DECLARED_WORKER_LIFETIME),
  firstClaim: iso(now),
  lastDateActive: iso(now),
  quarantineUntil: iso(0),
  quarantineDetails: [],
});

/** getWorker/declareWorker/quarantineWorker answer: quarantineUntil only while in the future. */
export const workerView = (worker: Worker, provisioner: Provisioner, now: number): WorkerResponse => {
  const { provisionerId, workerType } = splitTaskQueueId(worker.taskQueueId);
  return {
    provisionerId,
    workerType,
    workerGroup: worker.workerGroup,
    workerId: worker.workerId,
    recentTasks: worker.recentTasks.map(({ taskId, runId }) => ({ taskId, runId })),
    expires: worker.expires,
    firstClaim: worker.firstClaim,
    lastDateActive: worker.lastDateActive,
    ...(isQuarantined(worker, now) && { quarantineUntil: worker.quarantineUntil }),
    quarantineDetails: worker.quarantineDetails.map((detail) => ({ ...detail })),
    actions: actionsFor(provisioner, 'worker'),
  };
};

/** Loads the live provisioner or answers 404. */
export const loadProvisioner = async (ctx: UseCaseContext, provisionerId: string): Promise<Provisioner> => {
  const found = await ctx.ports.workerInfo.getProvisioner(provisionerId);
  if (!found || !isLive(found.value, ctx.ports.clock.now())) {
    throw notFound(`Provisioner ${provisionerId} not found`, { provisionerId });
  }
  return found.value;
};

/** Loads the live provisioner and worker type (task queue) or answers 404 naming the missing one. */
export const loadWorkerType = async (
  ctx: UseCaseContext,
  provisionerId: string,
  workerType: string,
): Promise<{ provisioner: Provisioner; taskQueue: TaskQueueInfo }> => {
  const taskQueueId = taskQueueIdOf(provisionerId, workerType);
  const [provisioner, taskQueue] = await Promise.all([
    loadProvisioner(ctx, provisionerId),
    ctx.ports.workerInfo.getTaskQueue(taskQueueId),
  ]);
  if (!taskQueue || !isLive(taskQueue.value, ctx.ports.clock.now())) {
    throw notFound(`Worker type ${workerType} of provisioner ${provisionerId} not found`, { provisionerId, workerType });
  }
  return { provisioner, taskQueue: taskQueue.value };
};
