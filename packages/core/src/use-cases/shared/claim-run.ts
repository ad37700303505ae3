import { DomainError } from '../../errors';
import { runEvent } from '../../domain/exchanges';
import { taskCredentialRequest } from '../../domain/task-credentials';
import { toStatus, type TaskRecord } from '../../domain/task-record';
import { iso, ms } from '../../domain/time';
import { claim, type WorkerRef } from '../../domain/transitions';
import type { TaskClaim } from '../../schemas/work';
import type { UseCaseContext } from '../context';
import { modifyTask } from './modify-task';

/** The claim entry (the claim-expiry timer) that matches a running run of the record. */
const claimEntry = (task: TaskRecord, runId: number) => {
  const run = task.runs[runId];
  if (!run || run.state !== 'running') return undefined;
  return {
    taskQueueId: task.definition.taskQueueId,
    taskId: task.taskId,
    runId,
    workerGroup: run.workerGroup ?? '',
    workerId: run.workerId ?? '',
    claimed: run.started ?? run.scheduled,
    takenUntil: run.takenUntil ?? run.scheduled,
  };
};

/** Makes the claim entry of (taskId, runId) agree with the record: put it back or remove it. */
export const repairClaimEntry = async ({ ports }: UseCaseContext, taskId: string, runId: number): Promise<void> => {
  const current = await ports.tasks.get(taskId);
  const entry = current && claimEntry(current.value, runId);
  await (entry ? ports.claims.put(entry) : ports.claims.remove(taskId, runId));
};

/**
 * Claims run `runId` for `worker`. The claim entry is written before the record changes (a crash
 * leaves an entry the reaper discards, never a running run nothing expires). Returns undefined
 * when the run is no longer claimable: the hint was stale or another claimer won.
 */
export const claimRun = async (
  ctx: UseCaseContext,
  taskId: string,
  runId: number,
  worker: WorkerRef,
): Promise<TaskClaim | undefined> => {
  const { ports, config } = ctx;
  const now = ports.clock.now();
  const takenUntil = now + config.claimTimeout;
  let after: TaskRecord;
  try {
    ({ after } = await modifyTask(
      ctx,
      taskId,
      (task) => claim(task, runId, worker, takenUntil, now),
      { beforeWrite: async (next) => ports.claims.put(claimEntry(next, runId)!) },
    ));
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    await repairClaimEntry(ctx, taskId, runId);
    return undefined;
  }
  return claimed(ctx, after, runId, worker, takenUntil);
};

/** The answer to a successful claim: fresh credentials, and `task-running` announced. */
export const claimed = async (
  ctx: UseCaseContext,
  task: TaskRecord,
  runId: number,
  worker: WorkerRef,
  takenUntil: number,
): Promise<TaskClaim> => {
  const { ports } = ctx;
  const credentials = await ports.credentials.issue(taskCredentialRequest(task, runId, worker, takenUntil, ports.clock.now()));
  const takenUntilIso = iso(takenUntil);
  await ports.events.publish([runEvent('task-running', task, runId, { takenUntil: takenUntilIso })]);
  return {
    status: toStatus(task),
    runId,
    workerGroup: worker.workerGroup,
    workerId: worker.workerId,
    takenUntil: takenUntilIso,
    task: task.definition,
    credentials,
  };
};

export const runTakenUntil = (task: TaskRecord, runId: number): number => ms(task.runs[runId]?.takenUntil ?? iso(0));
