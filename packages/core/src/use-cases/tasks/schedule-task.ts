import type { Caller } from '../../caller';
import { requiredScopes } from '../../domain/scopes';
import { toStatus } from '../../domain/task-record';
import { schedule } from '../../domain/transitions';
import { taskId as taskIdSchema } from '../../schemas/common';
import type { TaskStatusResponse } from '../../schemas/task';
import type { UseCaseContext } from '../context';
import { pendingEffects, publish } from '../shared/effects';
import { loadVersionedTask, modifyTask } from '../shared/modify-task';
import { parseParam } from '../shared/validate';

/** scheduleTask: run 0 becomes pending whatever the dependencies say; no-op once runs exist. */
export const scheduleTask = async (ctx: UseCaseContext, caller: Caller, taskId: string): Promise<TaskStatusResponse> => {
  parseParam(taskIdSchema, taskId, 'taskId');
  const stored = await loadVersionedTask(ctx, taskId);
  const { definition } = stored.value;
  caller.authorize(requiredScopes.scheduleTask({ taskId, ...definition }));
  const { after } = await modifyTask(ctx, taskId, (task) => schedule(task, ctx.ports.clock.now()), { current: stored });
  await publish(ctx, await pendingEffects(ctx, after, 0));
  return { status: toStatus(after) };
};
