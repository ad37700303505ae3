import type { Caller } from '../../caller';
import { requiredScopes } from '../../domain/scopes';
import { toStatus } from '../../domain/task-record';
import { resolve, type Resolution } from '../../domain/transitions';
import { runId as runIdSchema, taskId as taskIdSchema } from '../../schemas/common';
import type { TaskStatusResponse } from '../../schemas/task';
import { taskExceptionRequest } from '../../schemas/work';
import type { UseCaseContext } from '../context';
import { settleResolvedRun } from '../shared/effects';
import { loadVersionedTask, modifyTask } from '../shared/modify-task';
import { parseInput, parseParam } from '../shared/validate';

/**
 * Resolves a running run. Reporting the same outcome again answers 200 and repeats the effects
 * (hint and claim cleanup, resolved notice, message); another outcome is a 409.
 */
const resolveRun = async (
  ctx: UseCaseContext,
  caller: Caller,
  taskId: string,
  runId: number,
  resolution: Resolution,
): Promise<TaskStatusResponse> => {
  parseParam(taskIdSchema, taskId, 'taskId');
  parseParam(runIdSchema, runId, 'runId');
  const stored = await loadVersionedTask(ctx, taskId);
  const run = stored.value.runs[runId];
  // reportCompleted, reportFailed and reportException share one scope expression (resolve-task).
  caller.authorize(requiredScopes.reportCompleted({ taskId, runId, workerGroup: run?.workerGroup, workerId: run?.workerId }));
  const { after } = await modifyTask(ctx, taskId, (task) => resolve(task, runId, resolution, ctx.ports.clock.now()), { current: stored });
  await settleResolvedRun(ctx, after, runId);
  return { status: toStatus(after) };
};

export const reportCompleted = (ctx: UseCaseContext, caller: Caller, taskId: string, runId: number) =>
  resolveRun(ctx, caller, taskId, runId, { state: 'completed' });

export const reportFailed = (ctx: UseCaseContext, caller: Caller, taskId: string, runId: number) =>
  resolveRun(ctx, caller, taskId, runId, { state: 'failed' });

export const reportException = (ctx: UseCaseContext, caller: Caller, taskId: string, runId: number, body: unknown) => {
  const { reason } = parseInput(taskExceptionRequest, body);
  return resolveRun(ctx, caller, taskId, runId, { state: 'exception', reason });
};
