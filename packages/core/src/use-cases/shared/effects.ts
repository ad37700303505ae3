import { runEvent, taskEvent } from '../../domain/exchanges';
import type { QueueEvent } from '../../ports/event-publisher';
import { isResolved, type TaskRecord } from '../../domain/task-record';
import type { UseCaseContext } from '../context';

/**
 * Side effects that follow a durable state change. Each is idempotent and derived from the
 * record as it is now, so the idempotent retry of any call repeats them safely.
 */

/** Run `runId` is pending: hint it (after the state, never before), wake claimers, announce. */
export const pendingEffects = async ({ ports }: UseCaseContext, task: TaskRecord, runId: number): Promise<QueueEvent[]> => {
  const run = task.runs[runId];
  if (!run || run.state !== 'pending') return [];
  const { taskQueueId, priority, deadline } = task.definition;
  await ports.pending.add({ taskQueueId, priority, taskId: task.taskId, runId, inserted: run.scheduled, expires: deadline });
  ports.work.notify(taskQueueId);
  return [runEvent('task-pending', task, runId)];
};

const resolutionExchange = { completed: 'task-completed', failed: 'task-failed', exception: 'task-exception' } as const;

/**
 * Run `runId` was resolved: drop its hint; if an automatic retry followed, that run is pending;
 * if the task as a whole is resolved, leave a notice for the dependency resolver. Then announce
 * it, and only then forget the claim: the claim entry is what brings the reaper back to repeat
 * all this when the publish fails (API calls are repeated by the client's retry instead).
 */
export const settleResolvedRun = async (ctx: UseCaseContext, task: TaskRecord, runId: number): Promise<void> => {
  const { ports } = ctx;
  const run = task.runs[runId];
  if (!run || (run.state !== 'completed' && run.state !== 'failed' && run.state !== 'exception')) return;
  // A run that was claimed lost its hint to the claimer; only a run resolved while pending has one.
  if (run.started === undefined) await ports.pending.remove(task.definition.taskQueueId, task.taskId, runId);
  // A deadline resolution is the queue's, not the worker's: announced without worker fields (§9.2).
  const events = [
    run.reasonResolved === 'deadline-exceeded'
      ? taskEvent('task-exception', task, { runId })
      : runEvent(resolutionExchange[run.state], task, runId),
  ];
  if (task.runs[runId + 1]) events.push(...(await pendingEffects(ctx, task, runId + 1)));
  else if (isResolved(task)) await noticeResolved(ctx, task);
  await publish(ctx, events);
  await ports.claims.remove(task.taskId, runId);
};

/** Tells the dependency resolver that `task` resolved (dependents, task-group active set). */
export const noticeResolved = ({ ports }: UseCaseContext, task: TaskRecord): Promise<void> =>
  ports.timers.schedule({
    kind: 'resolved',
    taskId: task.taskId,
    taskGroupId: task.definition.taskGroupId,
    due: ports.clock.now(),
  });

export const publish = async ({ ports }: UseCaseContext, events: readonly QueueEvent[]): Promise<void> => {
  if (events.length > 0) await ports.events.publish(events);
};
