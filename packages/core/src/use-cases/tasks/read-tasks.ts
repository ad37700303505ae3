import type { Caller } from '../../caller';
import { requiredScopes } from '../../domain/scopes';
import { toStatus } from '../../domain/task-record';
import { taskId as taskIdSchema, type PageQuery } from '../../schemas/common';
import {
  tasksRequest,
  type TaskDefinition,
  type TasksResponse,
  type TasksStatusesResponse,
  type TaskStatusResponse,
} from '../../schemas/task';
import type { UseCaseContext } from '../context';
import { loadTask } from '../shared/modify-task';
import { offsetPage, pageRequest } from '../shared/paging';
import { parseInput, parseParam } from '../shared/validate';

/** task (GET /task/<taskId>): the stored definition. */
export const task = async (ctx: UseCaseContext, caller: Caller, taskId: string): Promise<TaskDefinition> => {
  parseParam(taskIdSchema, taskId, 'taskId');
  caller.authorize(requiredScopes.task({ taskId }));
  return (await loadTask(ctx, taskId)).definition;
};

/** status (GET /task/<taskId>/status). */
export const status = async (ctx: UseCaseContext, caller: Caller, taskId: string): Promise<TaskStatusResponse> => {
  parseParam(taskIdSchema, taskId, 'taskId');
  caller.authorize(requiredScopes.status({ taskId }));
  return { status: toStatus(await loadTask(ctx, taskId)) };
};

/** tasks (POST /tasks): the definitions of the given tasks that exist, paged. */
export const tasks = async (ctx: UseCaseContext, caller: Caller, body: unknown, query?: PageQuery): Promise<TasksResponse> => {
  const { taskIds } = parseInput(tasksRequest, body);
  caller.authorize(requiredScopes.tasks({ taskIds }));
  const page = offsetPage(taskIds, pageRequest(query));
  const found = await Promise.all(page.items.map((id) => ctx.ports.tasks.get(id)));
  return {
    tasks: found.flatMap((t) => (t ? [{ taskId: t.value.taskId, task: t.value.definition }] : [])),
    ...(page.continuationToken && { continuationToken: page.continuationToken }),
  };
};

/** statuses (POST /tasks/status): the statuses of the given tasks that exist, paged. */
export const statuses = async (
  ctx: UseCaseContext,
  caller: Caller,
  body: unknown,
  query?: PageQuery,
): Promise<TasksStatusesResponse> => {
  const { taskIds } = parseInput(tasksRequest, body);
  caller.authorize(requiredScopes.statuses({ taskIds }));
  const page = offsetPage(taskIds, pageRequest(query));
  const found = await Promise.all(page.items.map((id) => ctx.ports.tasks.get(id)));
  return {
    statuses: found.flatMap((t) => (t ? [{ taskId: t.value.taskId, status: toStatus(t.value) }] : [])),
    ...(page.continuationToken && { continuationToken: page.continuationToken }),
  };
};
