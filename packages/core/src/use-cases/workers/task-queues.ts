import type { Caller } from '../../caller';
import { notFound } from '../../errors';
import { requiredScopes } from '../../domain/scopes';
import type { TaskQueueInfo } from '../../ports/worker-info-store';
import { taskQueueId as taskQueueIdSchema, type PageQuery } from '../../schemas/common';
import type { ListTaskQueuesResponse, TaskQueueResponse } from '../../schemas/worker';
import type { UseCaseContext } from '../context';
import { pageRequest } from '../shared/paging';
import { parseParam } from '../shared/validate';
import { isLive } from '../shared/worker-records';

const taskQueueView = (taskQueue: TaskQueueInfo): TaskQueueResponse => ({
  taskQueueId: taskQueue.taskQueueId,
  expires: taskQueue.expires,
  lastDateActive: taskQueue.lastDateActive,
  description: taskQueue.description,
  stability: taskQueue.stability,
});

/** listTaskQueues (GET /task-queues): live task queues; a page may be short and still carry a token. */
export const listTaskQueues = async (
  ctx: UseCaseContext,
  caller: Caller,
  query?: PageQuery,
): Promise<ListTaskQueuesResponse> => {
  const page = pageRequest(query);
  caller.authorize(requiredScopes.listTaskQueues());
  const now = ctx.ports.clock.now();
  const listed = await ctx.ports.workerInfo.listTaskQueues(page);
  return {
    taskQueues: listed.items.filter((q) => isLive(q, now)).map(taskQueueView),
    ...(listed.continuationToken !== undefined && { continuationToken: listed.continuationToken }),
  };
};

/** getTaskQueue (GET /task-queues/<taskQueueId>): 404 when absent or expired. */
export const getTaskQueue = async (ctx: UseCaseContext, caller: Caller, taskQueueId: string): Promise<TaskQueueResponse> => {
  parseParam(taskQueueIdSchema, taskQueueId, 'taskQueueId');
  caller.authorize(requiredScopes.getTaskQueue({ taskQueueId }));
  const found = await ctx.ports.workerInfo.getTaskQueue(taskQueueId);
  if (!found || !isLive(found.value, ctx.ports.clock.now())) {
    throw notFound(`Task queue ${taskQueueId} not found`, { taskQueueId });
  }
  return taskQueueView(found.value);
};
