import type { Caller } from '../../caller';
import { taskEvent } from '../../domain/exchanges';
import { requiredScopes } from '../../domain/scopes';
import { lastRun, toStatus } from '../../domain/task-record';
import { changePriority } from '../../domain/transitions';
import { taskId as taskIdSchema } from '../../schemas/common';
import { changeTaskPriorityRequest } from '../../schemas/task-group';
import type { TaskStatusResponse } from '../../schemas/task';
import type { UseCaseContext } from '../context';
import { publish } from '../shared/effects';
import { loadTask, modifyTask } from '../shared/modify-task';
import { parseInput, parseParam } from '../shared/validate';

/** changeTaskPriority: an unresolved task (and its pending hint) moves to another priority. */
export const changeTaskPriority = async (
  ctx: UseCaseContext,
  caller: Caller,
  taskId: string,
  body: unknown,
): Promise<TaskStatusResponse> => {
  parseParam(taskIdSchema, taskId, 'taskId');
  const { newPriority } = parseInput(changeTaskPriorityRequest, body);
  const { definition } = await loadTask(ctx, taskId);
  caller.authorize(requiredScopes.changeTaskPriority({ taskId, taskQueueId: definition.taskQueueId }));
  const { after } = await modifyTask(ctx, taskId, (t) => changePriority(t, newPriority, ctx.ports.clock.now()));
  const run = lastRun(after);
  if (run?.state === 'pending') {
    const { taskQueueId, deadline } = after.definition;
    await ctx.ports.pending.add({ taskQueueId, priority: newPriority, taskId, runId: run.runId, inserted: run.scheduled, expires: deadline });
  }
  await publish(ctx, [taskEvent('task-priority-changed', after, {}, { newPriority })]);
  return { status: toStatus(after) };
};
