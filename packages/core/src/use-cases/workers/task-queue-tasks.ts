import type { Caller } from '../../caller';
import { requiredScopes } from '../../domain/scopes';
import { taskQueueId as taskQueueIdSchema, type PageQuery } from '../../schemas/common';
import type { ListClaimedTasksResponse, ListPendingTasksResponse } from '../../schemas/worker';
import type { UseCaseContext } from '../context';
import { pageRequest } from '../shared/paging';
import { parseParam } from '../shared/validate';

/**
 * The pending and claimed entries are hints; the task record is the truth. An entry whose task is
 * gone, or whose run is no longer in the listed state (a stale hint or claim not yet swept), is
 * left out, so a page may be short, even empty, and still carry a continuationToken. The counts
 * (pendingTasks, taskQueueCounts) count entries, so they can exceed what these lists show.
 */

/** listPendingTasks (GET /task-queues/<taskQueueId>/pending): pending runs in claim order, with their tasks. */
export const listPendingTasks = async (
  ctx: UseCaseContext,
  caller: Caller,
  taskQueueId: string,
  query?: PageQuery,
): Promise<ListPendingTasksResponse> => {
  parseParam(taskQueueIdSchema, taskQueueId, 'taskQueueId');
  const page = pageRequest(query);
  caller.authorize(requiredScopes.listPendingTasks({ taskQueueId }));
  const listed = await ctx.ports.pending.list(taskQueueId, page);
  const found = await Promise.all(listed.items.map((entry) => ctx.ports.tasks.get(entry.taskId)));
  return {
    tasks: listed.items.flatMap((entry, i) => {
      const task = found[i]?.value;
      if (task?.runs[entry.runId]?.state !== 'pending') return [];
      return [{ taskId: entry.taskId, runId: entry.runId, inserted: entry.inserted, task: task.definition }];
    }),
    ...(listed.continuationToken !== undefined && { continuationToken: listed.continuationToken }),
  };
};

/** listClaimedTasks (GET /task-queues/<taskQueueId>/claimed): running runs and their workers, with their tasks. */
export const listClaimedTasks = async (
  ctx: UseCaseContext,
  caller: Caller,
  taskQueueId: string,
  query?: PageQuery,
): Promise<ListClaimedTasksResponse> => {
  parseParam(taskQueueIdSchema, taskQueueId, 'taskQueueId');
  const page = pageRequest(query);
  caller.authorize(requiredScopes.listClaimedTasks({ taskQueueId }));
  const listed = await ctx.ports.claims.list(taskQueueId, page);
  const found = await Promise.all(listed.items.map((claim) => ctx.ports.tasks.get(claim.taskId)));
  return {
    tasks: listed.items.flatMap((claim, i) => {
      const task = found[i]?.value;
      const run = task?.runs[claim.runId];
      if (!task || run?.state !== 'running') return [];
      return [
        {
          taskId: claim.taskId,
          runId: claim.runId,
          workerGroup: run.workerGroup ?? claim.workerGroup,
          workerId: run.workerId ?? claim.workerId,
          claimed: claim.claimed,
          task: task.definition,
        },
      ];
    }),
    ...(listed.continuationToken !== undefined && { continuationToken: listed.continuationToken }),
  };
};
