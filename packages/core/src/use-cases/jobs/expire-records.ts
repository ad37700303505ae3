import { WriteConflict } from '../../errors';
import { DAY } from '../../domain/time';
import type { UseCaseContext } from '../context';

/**
 * The daily expiry jobs: each deletes one bounded batch of what expired before now, and reports
 * how many went. Deletes are conditional or idempotent, so two replicas running a job at once,
 * or a job killed half-way and run again, do no harm.
 */
const ignoreConflict = async (write: Promise<void>): Promise<number> => {
  try {
    await write;
    return 1;
  } catch (error) {
    if (error instanceof WriteConflict) return 0; // changed since listed: no longer ours to delete
    throw error;
  }
};

export const expireTasks = async ({ ports, config }: UseCaseContext): Promise<{ deleted: number }> => {
  const expired = await ports.tasks.listExpired({ before: ports.clock.now(), limit: config.batchSize });
  let deleted = 0;
  for (const task of expired) deleted += await ignoreConflict(ports.tasks.delete(task.value.taskId, task.version));
  return { deleted };
};

export const expireTaskGroups = async ({ ports, config }: UseCaseContext): Promise<{ deleted: number }> => {
  const scan = { before: ports.clock.now(), limit: config.batchSize };
  let deleted = 0;
  for (const member of await ports.taskGroups.listExpiredMembers(scan)) {
    await ports.taskGroups.markResolved(member.taskGroupId, member.taskId);
    await ports.taskGroups.removeMember(member.taskGroupId, member.taskId);
    deleted++;
  }
  for (const group of await ports.taskGroups.listExpired(scan)) {
    deleted += await ignoreConflict(ports.taskGroups.delete(group.value.taskGroupId, group.version));
  }
  return { deleted };
};

export const expireTaskDependencies = async ({ ports, config }: UseCaseContext): Promise<{ deleted: number }> => ({
  deleted: await ports.dependencies.deleteExpired({ before: ports.clock.now(), limit: config.batchSize }),
});

export const expireWorkerInfo = async ({ ports, config }: UseCaseContext): Promise<{ deleted: number }> => ({
  deleted: await ports.workerInfo.deleteExpired({ before: ports.clock.now(), limit: config.batchSize }),
});

/** Timers nobody handled within a week (no reaper was running) are dropped, as queue TTLs would. */
const TIMER_TTL = 7 * DAY;

export const expireQueueMessages = async ({ ports, config }: UseCaseContext): Promise<{ deleted: number }> => {
  const now = ports.clock.now();
  const hints = await ports.pending.deleteExpired({ before: now, limit: config.batchSize });
  const deadlines = await ports.timers.deleteDueBefore('deadline', now - TIMER_TTL, config.batchSize);
  const notices = await ports.timers.deleteDueBefore('resolved', now - TIMER_TTL, config.batchSize);
  return { deleted: hints + deadlines + notices };
};
