import type { Caller } from '../../caller';
import { requiredScopes } from '../../domain/scopes';
import { lastRun, toStatus } from '../../domain/task-record';
import { cancel } from '../../domain/transitions';
import { taskId as taskIdSchema } from '../../schemas/common';
import type { TaskStatusResponse } from '../../schemas/task';
import type { UseCaseContext } from '../context';
import { settleResolvedRun } from '../shared/effects';
import { loadVersionedTask, modifyTask } from '../shared/modify-task';
import { parseParam } from '../shared/validate';

/** cancelTask: an unresolved task ends `exception`/`canceled`; a resolved one is left alone. */
export const cancelTask = async (ctx: UseCaseContext, caller: Caller, taskId: string): Promise<TaskStatusResponse> => {
  parseParam(taskIdSchema, taskId, 'taskId');
  const stored = await loadVersionedTask(ctx, taskId);
  const { definition } = stored.value;
  caller.authorize(requiredScopes.cancelTask({ taskId, ...definition }));
  const { after } = await modifyTask(ctx, taskId, (task) => cancel(task, ctx.ports.clock.now()), { current: stored });
  const run = lastRun(after);
  if (run?.reasonResolved === 'canceled') await settleResolvedRun(ctx, after, run.runId);
  return { status: toStatus(after) };
};
