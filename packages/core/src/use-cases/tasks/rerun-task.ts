import type { Caller } from '../../caller';
import { requiredScopes } from '../../domain/scopes';
import { toStatus } from '../../domain/task-record';
import { ms } from '../../domain/time';
import { rerun } from '../../domain/transitions';
import { taskId as taskIdSchema } from '../../schemas/common';
import type { TaskStatusResponse } from '../../schemas/task';
import type { UseCaseContext } from '../context';
import { pendingEffects, publish } from '../shared/effects';
import { loadVersionedTask, modifyTask } from '../shared/modify-task';
import { parseParam } from '../shared/validate';

/** rerunTask: a new pending run for a task that is not pending or running (≤ 50 runs). */
export const rerunTask = async (ctx: UseCaseContext, caller: Caller, taskId: string): Promise<TaskStatusResponse> => {
  parseParam(taskIdSchema, taskId, 'taskId');
  const stored = await loadVersionedTask(ctx, taskId);
  const { definition } = stored.value;
  caller.authorize(requiredScopes.rerunTask({ taskId, ...definition }));
  const { timers } = ctx.ports;
  const { after, changed } = await modifyTask(ctx, taskId, (task) => rerun(task, ctx.ports.clock.now()), {
    current: stored,
    // The resolved notice deletes the deadline timer when it completes: remove the notice first
    // (so no handler completes it any more), then re-arm the deadline, then change the task.
    beforeWrite: async (next) => {
      await timers.remove('resolved', taskId);
      await timers.schedule({ kind: 'deadline', taskId, taskGroupId: next.definition.taskGroupId, due: ms(next.definition.deadline) });
    },
  });
  // Unresolved again: the group must not be announced resolved before this run resolves.
  if (changed) await ctx.ports.taskGroups.markActive(definition.taskGroupId, taskId);
  await publish(ctx, await pendingEffects(ctx, after, after.runs.length - 1));
  return { status: toStatus(after) };
};
