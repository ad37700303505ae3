import { conflict, WriteConflict } from '../../errors';
import { taskGroupEvent } from '../../domain/exchanges';
import { HOUR, iso, ms } from '../../domain/time';
import type { TaskGroup } from '../../ports/task-group-store';
import type { Versioned } from '../../ports/versioned';
import type { TaskDefinition } from '../../schemas/task';
import type { UseCaseContext } from '../context';

const GROUP_EXPIRY_SLACK = HOUR;

/** Absent, or expired but not yet swept: the id is free for any scheduler again. */
const isFree = (ctx: UseCaseContext, group: Versioned<TaskGroup> | undefined) =>
  !group || ms(group.value.expires) < ctx.ports.clock.now();

/**
 * Reads the task's group and checks the task may join it: one schedulerId per group until the
 * group expires, and no new members once sealed. Writes nothing, so a refusal leaves nothing
 * behind. Answers the group as read, for `joinTaskGroup`.
 */
export const checkTaskGroup = async (ctx: UseCaseContext, definition: TaskDefinition): Promise<Versioned<TaskGroup> | undefined> => {
  const { taskGroupId, schedulerId } = definition;
  const current = await ctx.ports.taskGroups.get(taskGroupId);
  if (isFree(ctx, current)) return current;
  const group = current!.value;
  if (group.schedulerId !== schedulerId) {
    throw conflict(`All tasks in task group ${taskGroupId} must have schedulerId ${group.schedulerId}`, {
      taskGroupId,
      schedulerId: group.schedulerId,
    });
  }
  if (group.sealed !== undefined) throw conflict(`Task group ${taskGroupId} is sealed; no task can join it`);
  return current;
};

/**
 * Joins the task to the group `checkTaskGroup` read (membership and active mark), creating the
 * group or extending its life to the task's, in one all-or-nothing `join`; when the group changed
 * meanwhile, reads and checks it again. Answers false, having written nothing, when the task is a
 * member already (a repeated createTask).
 */
export const joinTaskGroup = async (
  ctx: UseCaseContext,
  definition: TaskDefinition,
  taskId: string,
  checked: Versioned<TaskGroup> | undefined,
): Promise<boolean> => {
  const { ports, config } = ctx;
  const { taskGroupId, schedulerId } = definition;
  const expires = iso(ms(definition.expires) + config.taskGroupExpiresExtension);
  const member = { taskGroupId, taskId, expires: definition.expires };
  for (let current = checked; ; current = await checkTaskGroup(ctx, definition)) {
    try {
      if (isFree(ctx, current)) {
        return await ports.taskGroups.join(member, { value: { taskGroupId, schedulerId, expires }, version: current?.version ?? null });
      }
      const { value: group, version } = current!;
      // Extended with slack, so a decision task creating thousands of tasks (each expiring a
      // little later) rewrites the group record once an hour rather than once a task.
      if (ms(group.expires) < ms(expires)) {
        return await ports.taskGroups.join(member, { value: { ...group, expires: iso(ms(expires) + GROUP_EXPIRY_SLACK) }, version });
      }
      return await ports.taskGroups.join(member);
    } catch (error) {
      if (!(error instanceof WriteConflict)) throw error;
    }
  }
};

/** After a member resolved: if nothing in the group is unresolved any more, announce it. */
export const settleTaskGroup = async (ctx: UseCaseContext, taskGroupId: string, taskId: string) => {
  const activity = await ctx.ports.taskGroups.resolveMember(taskGroupId, taskId);
  if (activity.active || !activity.group) return [];
  return [taskGroupEvent('task-group-resolved', { taskGroupId, schedulerId: activity.group.schedulerId })];
};
