import type { Caller } from '../../caller';
import { conflict, DomainError, notFound, WriteConflict } from '../../errors';
import { taskGroupEvent } from '../../domain/exchanges';
import { requiredScopes } from '../../domain/scopes';
import { isResolved, toStatus } from '../../domain/task-record';
import { iso, ms } from '../../domain/time';
import { cancel } from '../../domain/transitions';
import type { TaskGroup } from '../../ports/task-group-store';
import type { Versioned } from '../../ports/versioned';
import { taskGroupId as taskGroupIdSchema, type PageQuery } from '../../schemas/common';
import type { CancelTaskGroupResponse, ListTaskGroupResponse, TaskGroupResponse } from '../../schemas/task-group';
import type { UseCaseContext } from '../context';
import { publish, settleResolvedRun } from '../shared/effects';
import { modifyTask } from '../shared/modify-task';
import { pageRequest } from '../shared/paging';
import { parseParam } from '../shared/validate';

const loadGroup = async (ctx: UseCaseContext, taskGroupId: string): Promise<Versioned<TaskGroup>> => {
  parseParam(taskGroupIdSchema, taskGroupId, 'taskGroupId');
  const group = await ctx.ports.taskGroups.get(taskGroupId);
  if (!group) throw notFound(`Task group ${taskGroupId} not found`, { taskGroupId });
  return group;
};

const groupResponse = (group: TaskGroup): TaskGroupResponse => ({
  taskGroupId: group.taskGroupId,
  schedulerId: group.schedulerId,
  expires: group.expires,
  ...(group.sealed !== undefined && { sealed: group.sealed }),
});

/** listTaskGroup: the members' definitions and statuses, paged; members whose task is gone are dropped. */
export const listTaskGroup = async (
  ctx: UseCaseContext,
  caller: Caller,
  taskGroupId: string,
  query?: PageQuery,
): Promise<ListTaskGroupResponse> => {
  parseParam(taskGroupIdSchema, taskGroupId, 'taskGroupId');
  caller.authorize(requiredScopes.listTaskGroup({ taskGroupId }));
  const group = await loadGroup(ctx, taskGroupId);
  const page = await ctx.ports.taskGroups.listMembers(taskGroupId, pageRequest(query));
  // Expired memberships are gone to readers before the expiry job deletes them (§5.2).
  const now = ctx.ports.clock.now();
  const live = page.items.filter((member) => ms(member.expires) >= now);
  const found = await Promise.all(live.map((member) => ctx.ports.tasks.get(member.taskId)));
  const tasks = found.flatMap((t) =>
    t && t.value.definition.taskGroupId === taskGroupId && t.value.definition.schedulerId === group.value.schedulerId
      ? [{ status: toStatus(t.value), task: t.value.definition }]
      : [],
  );
  return { taskGroupId, tasks, ...(page.continuationToken && { continuationToken: page.continuationToken }) };
};

/** getTaskGroup: schedulerId, expiry and seal of a group. */
export const getTaskGroup = async (ctx: UseCaseContext, caller: Caller, taskGroupId: string): Promise<TaskGroupResponse> => {
  parseParam(taskGroupIdSchema, taskGroupId, 'taskGroupId');
  caller.authorize(requiredScopes.getTaskGroup({ taskGroupId }));
  return groupResponse((await loadGroup(ctx, taskGroupId)).value);
};

/** sealTaskGroup: no task may join the group afterwards (idempotent; keeps the first seal time). */
export const sealTaskGroup = async (ctx: UseCaseContext, caller: Caller, taskGroupId: string): Promise<TaskGroupResponse> => {
  const initial = await loadGroup(ctx, taskGroupId);
  caller.authorize(requiredScopes.sealTaskGroup({ taskGroupId, schedulerId: initial.value.schedulerId }));
  for (;;) {
    const current = await loadGroup(ctx, taskGroupId);
    if (current.value.sealed !== undefined) {
      await publish(ctx, [taskGroupEvent('task-group-sealed', groupResponse(current.value))]);
      return groupResponse(current.value);
    }
    try {
      await ctx.ports.taskGroups.update({ ...current.value, sealed: iso(ctx.ports.clock.now()) }, current.version);
    } catch (error) {
      if (!(error instanceof WriteConflict)) throw error;
    }
  }
};

/** cancelTaskGroup: cancels every unresolved member of a sealed group. */
export const cancelTaskGroup = async (
  ctx: UseCaseContext,
  caller: Caller,
  taskGroupId: string,
): Promise<CancelTaskGroupResponse> => {
  const group = await loadGroup(ctx, taskGroupId);
  caller.authorize(requiredScopes.cancelTaskGroup({ taskGroupId, schedulerId: group.value.schedulerId }));
  if (group.value.sealed === undefined) {
    throw conflict(`Task group ${taskGroupId} must be sealed before it can be canceled`);
  }
  let taskGroupSize = 0;
  const taskIds: string[] = [];
  let continuationToken: string | undefined;
  do {
    const page = await ctx.ports.taskGroups.listMembers(taskGroupId, { limit: ctx.config.batchSize, continuationToken });
    for (const { taskId } of page.items) {
      const stored = await ctx.ports.tasks.get(taskId);
      if (!stored || stored.value.definition.taskGroupId !== taskGroupId) continue;
      taskGroupSize++;
      if (isResolved(stored.value)) continue;
      if (await cancelMember(ctx, taskId)) taskIds.push(taskId);
    }
    continuationToken = page.continuationToken;
  } while (continuationToken !== undefined);
  return { taskGroupId, taskGroupSize, cancelledCount: taskIds.length, taskIds };
};

const cancelMember = async (ctx: UseCaseContext, taskId: string): Promise<boolean> => {
  try {
    const { after, changed } = await modifyTask(ctx, taskId, (task) => cancel(task, ctx.ports.clock.now()));
    if (!changed) return false;
    await settleResolvedRun(ctx, after, after.runs.length - 1);
    return true;
  } catch (error) {
    // Past its deadline: the deadline resolver resolves it instead.
    if (error instanceof DomainError) return false;
    throw error;
  }
};
