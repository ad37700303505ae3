import type { Caller } from '../../caller';
import { conflict, notFound } from '../../errors';
import { requiredScopes } from '../../domain/scopes';
import { ms } from '../../domain/time';
import { runId as runIdSchema, taskId as taskIdSchema } from '../../schemas/common';
import { taskClaimRequest, type TaskClaimResponse } from '../../schemas/work';
import type { UseCaseContext } from '../context';
import { claimed, claimRun, runTakenUntil } from '../shared/claim-run';
import { loadTask } from '../shared/modify-task';
import { parseInput, parseParam } from '../shared/validate';
import { recordRecentTasks, recordWorkerSeen } from '../shared/worker-seen';

/** claimTask (deprecated): claims one named run; repeating it by the same worker answers again. */
export const claimTask = async (
  ctx: UseCaseContext,
  caller: Caller,
  taskId: string,
  runId: number,
  body: unknown,
): Promise<TaskClaimResponse> => {
  parseParam(taskIdSchema, taskId, 'taskId');
  parseParam(runIdSchema, runId, 'runId');
  const worker = parseInput(taskClaimRequest, body);
  const task = await loadTask(ctx, taskId);
  const { taskQueueId } = task.definition;
  caller.authorize(requiredScopes.claimTask({ taskQueueId, ...worker }));
  const now = ctx.ports.clock.now();
  if (ms(task.definition.deadline) <= now) throw conflict(`Task ${taskId} is past its deadline`);
  const seen = await recordWorkerSeen(ctx, taskQueueId, worker.workerGroup, worker.workerId);
  if (ms(seen.value.quarantineUntil) > now) throw conflict(`Worker ${worker.workerGroup}/${worker.workerId} is quarantined`);

  const run = task.runs[runId];
  if (!run) throw notFound(`Run ${runId} not found on task ${taskId}`);
  const sameWorker = run.workerGroup === worker.workerGroup && run.workerId === worker.workerId;
  if (run.state === 'running' && sameWorker && runId === task.runs.length - 1) {
    return claimed(ctx, task, runId, worker, runTakenUntil(task, runId));
  }
  const claim = await claimRun(ctx, taskId, runId, worker);
  if (!claim) throw conflict(`Run ${runId} of task ${taskId} was already claimed by another worker or is not pending`);
  await ctx.ports.pending.remove(taskQueueId, taskId, runId);
  await recordRecentTasks(ctx, seen, [{ taskId, runId }]);
  return claim;
};
