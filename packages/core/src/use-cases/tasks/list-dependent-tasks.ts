import type { Caller } from '../../caller';
import { requiredScopes } from '../../domain/scopes';
import { toStatus } from '../../domain/task-record';
import { ms } from '../../domain/time';
import { taskId as taskIdSchema, type PageQuery } from '../../schemas/common';
import type { ListDependentTasksResponse } from '../../schemas/task-group';
import type { UseCaseContext } from '../context';
import { loadTask } from '../shared/modify-task';
import { pageRequest } from '../shared/paging';
import { parseParam } from '../shared/validate';

/** listDependentTasks: tasks that depend on `taskId`, whether or not their requirement is met. */
export const listDependentTasks = async (
  ctx: UseCaseContext,
  caller: Caller,
  taskId: string,
  query?: PageQuery,
): Promise<ListDependentTasksResponse> => {
  parseParam(taskIdSchema, taskId, 'taskId');
  caller.authorize(requiredScopes.listDependentTasks({ taskId }));
  await loadTask(ctx, taskId);
  const page = await ctx.ports.dependencies.listDependents(taskId, pageRequest(query));
  // Expired edges are gone to readers before the expiry job deletes them (§5.2).
  const now = ctx.ports.clock.now();
  const live = page.items.filter((edge) => ms(edge.expires) >= now);
  const found = await Promise.all(live.map((edge) => ctx.ports.tasks.get(edge.dependentTaskId)));
  const tasks = found.flatMap((t) => (t ? [{ status: toStatus(t.value), task: t.value.definition }] : []));
  return { taskId, tasks, ...(page.continuationToken && { continuationToken: page.continuationToken }) };
};
