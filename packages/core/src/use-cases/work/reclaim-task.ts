import type { Caller } from '../../caller';
import { requiredScopes } from '../../domain/scopes';
import { taskCredentialRequest } from '../../domain/task-credentials';
import { toStatus } from '../../domain/task-record';
import { iso } from '../../domain/time';
import { reclaim } from '../../domain/transitions';
import { runId as runIdSchema, taskId as taskIdSchema } from '../../schemas/common';
import type { TaskReclaimResponse } from '../../schemas/work';
import type { UseCaseContext } from '../context';
import { loadVersionedTask, modifyTask } from '../shared/modify-task';
import { parseParam } from '../shared/validate';

/**
 * reclaimTask: extends the claim of a running run and hands out fresh credentials. The claim
 * entry (expiry timer) moves first, so a crash can only delay an expiry, never lose one; a 409
 * tells the worker to stop (resolved, canceled, or past the deadline).
 */
export const reclaimTask = async (
  ctx: UseCaseContext,
  caller: Caller,
  taskId: string,
  runId: number,
): Promise<TaskReclaimResponse> => {
  parseParam(taskIdSchema, taskId, 'taskId');
  parseParam(runIdSchema, runId, 'runId');
  const { ports, config } = ctx;
  const stored = await loadVersionedTask(ctx, taskId);
  const run = stored.value.runs[runId];
  caller.authorize(requiredScopes.reclaimTask({ taskId, runId, workerGroup: run?.workerGroup, workerId: run?.workerId }));
  const now = ports.clock.now();
  const takenUntil = now + config.claimTimeout;
  const { after } = await modifyTask(
    ctx,
    taskId,
    (task) => reclaim(task, runId, takenUntil, now),
    {
      current: stored,
      beforeWrite: async (next) => {
        const nextRun = next.runs[runId]!;
        await ports.claims.put({
          taskQueueId: next.definition.taskQueueId,
          taskId,
          runId,
          workerGroup: nextRun.workerGroup ?? '',
          workerId: nextRun.workerId ?? '',
          claimed: nextRun.started ?? nextRun.scheduled,
          takenUntil: iso(takenUntil),
        });
      },
    },
  );
  const current = after.runs[runId]!;
  const worker = { workerGroup: current.workerGroup ?? '', workerId: current.workerId ?? '' };
  const credentials = await ports.credentials.issue(taskCredentialRequest(after, runId, worker, takenUntil, now));
  return { status: toStatus(after), runId, ...worker, takenUntil: current.takenUntil ?? iso(takenUntil), credentials };
};
