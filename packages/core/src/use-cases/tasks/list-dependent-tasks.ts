import type { Caller } from '../../caller';
import { requiredScopes } from '../../domain/scopes';
import { toStatus } from '../../domain/task-record';
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
  const found = await Promise.all(page.items.map((edge) => ctx.ports.tasks.get(edge.dependentTaskId)));
  const tasks = found.flatMap((t) => (t ? [{ status: toStatus(t.value), task: t.value.definition }] : []));
  return { taskId, tasks, ...(page.continuationToken && { continuationToken: page.continuationToken }) };
};
