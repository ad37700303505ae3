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

/** Bound on the per-process memory of groups known to exist. */
const MEMO_LIMIT = 100_000;

/** The group as createTask found it before writing anything: read (and checked), or not read. */
export type CheckedTaskGroup = { readonly read: false } | { readonly read: true; readonly current?: Versioned<TaskGroup> };

const check = (ctx: UseCaseContext, definition: TaskDefinition, current: Versioned<TaskGroup> | undefined) => {
  if (isFree(ctx, current)) return;
  const { taskGroupId, schedulerId } = definition;
  const group = current!.value;
  if (group.schedulerId !== schedulerId) {
    throw conflict(`All tasks in task group ${taskGroupId} must have schedulerId ${group.schedulerId}`, {
      taskGroupId,
      schedulerId: group.schedulerId,
    });
  }
  if (group.sealed !== undefined) throw conflict(`Task group ${taskGroupId} is sealed; no task can join it`);
};

const readAndCheck = async (ctx: UseCaseContext, definition: TaskDefinition): Promise<Versioned<TaskGroup> | undefined> => {
  const current = await ctx.ports.taskGroups.get(definition.taskGroupId);
  check(ctx, definition, current);
  return current;
};

/**
 * Checks the task may join its group, before anything is written: one schedulerId per group
 * until the group expires, and no new members once sealed. A group this process has seen (it
 * exists until its expiry, which only grows) is read and checked now; any other is not read: it
 * is tried as a new group, which saves a read for every task that starts a group, and is read
 * and checked by `joinTaskGroup` only when it exists after all.
 */
export const checkTaskGroup = async (ctx: UseCaseContext, definition: TaskDefinition): Promise<CheckedTaskGroup> => {
  if ((ctx.memo.taskGroupsSeen.get(definition.taskGroupId) ?? 0) <= ctx.ports.clock.now()) return { read: false };
  return { read: true, current: await readAndCheck(ctx, definition) };
};

/**
 * Joins the task to its group (membership and active mark), creating the group or extending its
 * life to the task's, in one all-or-nothing `join`; when the group is not as `checkTaskGroup`
 * found it, reads and checks it (a refusal now leaves the deadline timer createTask wrote, which
 * finds no member to settle) and tries again. Answers false, having written nothing, when the
 * task is a member already (a repeated createTask).
 */
export const joinTaskGroup = async (ctx: UseCaseContext, definition: TaskDefinition, taskId: string, checked: CheckedTaskGroup): Promise<boolean> => {
  const { ports, config, memo } = ctx;
  const { taskGroupId, schedulerId } = definition;
  const expires = iso(ms(definition.expires) + config.taskGroupExpiresExtension);
  const member = { taskGroupId, taskId, expires: definition.expires };
  const seen = (until: string) => {
    if (memo.taskGroupsSeen.size > MEMO_LIMIT) memo.taskGroupsSeen.clear();
    memo.taskGroupsSeen.set(taskGroupId, ms(until));
  };
  for (let current = checked.read ? checked.current : undefined; ; current = await readAndCheck(ctx, definition)) {
    try {
      if (isFree(ctx, current)) {
        const joined = await ports.taskGroups.join(member, { value: { taskGroupId, schedulerId, expires }, version: current?.version ?? null });
        seen(expires);
        return joined;
      }
      const { value: group, version } = current!;
      seen(group.expires);
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
