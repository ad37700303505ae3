import { WriteConflict } from '../../errors';
import { DAY, HOUR, iso, ms } from '../../domain/time';
import type { Versioned } from '../../ports/versioned';
import type { Worker } from '../../ports/worker-info-store';
import type { UseCaseContext } from '../context';
import { newProvisioner, newTaskQueue, newWorker, splitTaskQueueId } from './worker-records';

/** A claiming worker keeps its provisioner, task queue and own record alive for a day. */
const SEEN_LIFETIME = DAY;
/** Records are rewritten at most this often per level, to keep claims cheap. */
const REFRESH_EVERY = 6 * HOUR;
/** Bound on the per-process memory of recently refreshed workers. */
const MEMO_LIMIT = 100_000;

const needsRefresh = (record: { expires: string; lastDateActive: string }, now: number) =>
  ms(record.lastDateActive) < now - REFRESH_EVERY || ms(record.expires) < now + SEEN_LIFETIME - REFRESH_EVERY;

/** A record as this call last saw it; no version when a concurrent writer got there first. */
export interface Seen<T> {
  readonly value: T;
  readonly version?: string;
}

/** Inserts or refreshes one record; a concurrent writer doing the same is as good as this one. */
const upsert = async <T extends { expires: string; lastDateActive: string }>(
  current: Versioned<T> | undefined,
  save: (value: T, version: string | null) => Promise<Versioned<T>>,
  create: () => T,
  now: number,
): Promise<Seen<T>> => {
  if (current && !needsRefresh(current.value, now)) return current;
  const value = current
    ? { ...current.value, lastDateActive: iso(now), expires: iso(Math.max(ms(current.value.expires), now + SEEN_LIFETIME)) }
    : create();
  try {
    return await save(value, current?.version ?? null);
  } catch (error) {
    if (error instanceof WriteConflict) return { value };
    throw error;
  }
};

/** claimWork records the worker, its task queue and its provisioner as seen (queue-inventory §11.1). */
export const recordWorkerSeen = async (
  { ports, memo }: UseCaseContext,
  taskQueueId: string,
  workerGroup: string,
  workerId: string,
): Promise<Seen<Worker>> => {
  const { workerInfo, clock } = ports;
  const now = clock.now();
  const key = `${taskQueueId}/${workerGroup}/${workerId}`;
  // Refreshed recently by this process: only the worker record is needed (its quarantine).
  if ((memo.workersSeen.get(key) ?? 0) > now) {
    const worker = await workerInfo.getWorker(taskQueueId, workerGroup, workerId);
    if (worker) return worker;
  }
  if (memo.workersSeen.size > MEMO_LIMIT) memo.workersSeen.clear();
  memo.workersSeen.set(key, now + REFRESH_EVERY);
  const { provisionerId } = splitTaskQueueId(taskQueueId);
  const [provisioner, taskQueue, worker] = await Promise.all([
    workerInfo.getProvisioner(provisionerId),
    workerInfo.getTaskQueue(taskQueueId),
    workerInfo.getWorker(taskQueueId, workerGroup, workerId),
  ]);
  const until = now + SEEN_LIFETIME;
  const [, , seen] = await Promise.all([
    upsert(provisioner, (v, ver) => workerInfo.saveProvisioner(v, ver), () => newProvisioner(provisionerId, now, until), now),
    upsert(taskQueue, (v, ver) => workerInfo.saveTaskQueue(v, ver), () => newTaskQueue(taskQueueId, now, until), now),
    upsert(worker, (v, ver) => workerInfo.saveWorker(v, ver), () => newWorker(taskQueueId, workerGroup, workerId, now), now),
  ]);
  return seen;
};

const RECENT_TASKS = 20;

/**
 * Appends claimed runs to the worker's recent tasks (the last 20 are kept), starting from the
 * record `recordWorkerSeen` returned (one read less) and re-reading on a conflict.
 */
export const recordRecentTasks = async (
  { ports }: UseCaseContext,
  seen: Seen<Worker>,
  runs: readonly { taskId: string; runId: number }[],
): Promise<void> => {
  const { taskQueueId, workerGroup, workerId } = seen.value;
  for (let attempt = 1; ; attempt++) {
    const current =
      attempt === 1 && seen.version !== undefined
        ? { value: seen.value, version: seen.version }
        : await ports.workerInfo.getWorker(taskQueueId, workerGroup, workerId);
    if (!current) return;
    const recentTasks = [...current.value.recentTasks, ...runs].slice(-RECENT_TASKS);
    try {
      await ports.workerInfo.saveWorker({ ...current.value, recentTasks }, current.version);
      return;
    } catch (error) {
      if (!(error instanceof WriteConflict)) throw error;
    }
  }
};
