import { conflict, WriteConflict } from '../../errors';
import { taskGroupEvent } from '../../domain/exchanges';
import { HOUR, iso, ms } from '../../domain/time';
import type { TaskDefinition } from '../../schemas/task';
import type { UseCaseContext } from '../context';

const GROUP_EXPIRY_SLACK = HOUR;

/**
 * Creates the task group or checks the task may join it: one schedulerId per group until the
 * group expires, and no new members once sealed. Extends the group's life to the task's.
 */
export const ensureTaskGroup = async (ctx: UseCaseContext, definition: TaskDefinition): Promise<void> => {
  const { ports, config } = ctx;
  const { taskGroupId, schedulerId } = definition;
  const expires = iso(ms(definition.expires) + config.taskGroupExpiresExtension);
  for (;;) {
    const current = await ports.taskGroups.get(taskGroupId);
    try {
      if (!current || ms(current.value.expires) < ports.clock.now()) {
        // Absent, or expired but not yet swept: the id is free for any scheduler again.
        const group = { taskGroupId, schedulerId, expires };
        await (current ? ports.taskGroups.update(group, current.version) : ports.taskGroups.create(group));
        return;
      }
      const group = current.value;
      if (group.schedulerId !== schedulerId) {
        throw conflict(`All tasks in task group ${taskGroupId} must have schedulerId ${group.schedulerId}`, {
          taskGroupId,
          schedulerId: group.schedulerId,
        });
      }
      if (group.sealed !== undefined) throw conflict(`Task group ${taskGroupId} is sealed; no task can join it`);
      // Extended with slack, so a decision task creating thousands of tasks (each expiring a
      // little later) rewrites the group record once an hour rather than once a task.
      if (ms(group.expires) < ms(expires)) {
        await ports.taskGroups.update({ ...group, expires: iso(ms(expires) + GROUP_EXPIRY_SLACK) }, current.version);
      }
      return;
    } catch (error) {
      if (!(error instanceof WriteConflict)) throw error;
    }
  }
};

/** After a member resolved: if nothing in the group is unresolved any more, announce it. */
export const settleTaskGroup = async (ctx: UseCaseContext, taskGroupId: string, taskId: string) => {
  const { ports } = ctx;
  await ports.taskGroups.markResolved(taskGroupId, taskId);
  if (await ports.taskGroups.hasActive(taskGroupId)) return [];
  const group = await ports.taskGroups.get(taskGroupId);
  if (!group) return [];
  return [taskGroupEvent('task-group-resolved', { taskGroupId, schedulerId: group.value.schedulerId })];
};
