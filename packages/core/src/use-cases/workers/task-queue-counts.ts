import type { Caller } from '../../caller';
import { requiredScopes } from '../../domain/scopes';
import { taskQueueId as taskQueueIdSchema } from '../../schemas/common';
import type { PendingTasksResponse, TaskQueueCountsResponse } from '../../schemas/worker';
import type { UseCaseContext } from '../context';
import { parseParam } from '../shared/validate';
import { splitTaskQueueId } from '../shared/worker-records';

/**
 * pendingTasks (GET /pending/<taskQueueId>): the number of pending hints of the task queue. Exact
 * at the time of the call (no 20 s cache as upstream); an upper bound of the claimable runs, since
 * a hint may be stale until a claimer discards it.
 */
export const pendingTasks = async (ctx: UseCaseContext, caller: Caller, taskQueueId: string): Promise<PendingTasksResponse> => {
  parseParam(taskQueueIdSchema, taskQueueId, 'taskQueueId');
  caller.authorize(requiredScopes.pendingTasks({ taskQueueId }));
  const { provisionerId, workerType } = splitTaskQueueId(taskQueueId);
  return { provisionerId, workerType, taskQueueId, pendingTasks: await ctx.ports.pending.count(taskQueueId) };
};

/** taskQueueCounts (GET /task-queues/<taskQueueId>/counts): pending hints and claims of the task queue. */
export const taskQueueCounts = async (
  ctx: UseCaseContext,
  caller: Caller,
  taskQueueId: string,
): Promise<TaskQueueCountsResponse> => {
  parseParam(taskQueueIdSchema, taskQueueId, 'taskQueueId');
  caller.authorize(requiredScopes.taskQueueCounts({ taskQueueId }));
  const [pending, claimed] = await Promise.all([ctx.ports.pending.count(taskQueueId), ctx.ports.claims.count(taskQueueId)]);
  return { taskQueueId, pendingTasks: pending, claimedTasks: claimed };
};
