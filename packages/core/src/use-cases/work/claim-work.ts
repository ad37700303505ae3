import type { Caller } from '../../caller';
import { requiredScopes } from '../../domain/scopes';
import { ms } from '../../domain/time';
import type { WorkerRef } from '../../domain/transitions';
import type { AbortSignalLike } from '../../ports/clock';
import { taskQueueId as taskQueueIdSchema } from '../../schemas/common';
import { claimWorkRequest, type ClaimWorkResponse, type TaskClaim } from '../../schemas/work';
import type { UseCaseContext } from '../context';
import { claimRun } from '../shared/claim-run';
import { parseInput, parseParam } from '../shared/validate';
import { waitForWork } from '../shared/wait-for-work';
import { recordRecentTasks, recordWorkerSeen } from '../shared/worker-seen';

export interface ClaimWorkOptions {
  /** Ends the long poll early (the client went away, or the server is shutting down). */
  readonly signal?: AbortSignalLike;
  /** How long to wait for work when none is pending; defaults to `config.claimWorkWait`. */
  readonly wait?: number;
}

/**
 * claimWork: claims up to `tasks` pending runs of the task queue, highest priority first,
 * answering as soon as one is claimed, or with no tasks when the long poll ends.
 */
export const claimWork = async (
  ctx: UseCaseContext,
  caller: Caller,
  taskQueueId: string,
  body: unknown,
  options: ClaimWorkOptions = {},
): Promise<ClaimWorkResponse> => {
  parseParam(taskQueueIdSchema, taskQueueId, 'taskQueueId');
  const { workerGroup, workerId, tasks: count } = parseInput(claimWorkRequest, body);
  caller.authorize(requiredScopes.claimWork({ taskQueueId, workerGroup, workerId }));
  const { clock } = ctx.ports;
  const until = clock.now() + (options.wait ?? ctx.config.claimWorkWait);
  const seen = await recordWorkerSeen(ctx, taskQueueId, workerGroup, workerId);
  if (ms(seen.value.quarantineUntil) > clock.now()) {
    // A quarantined worker waits out the poll, so it does not spin against the queue.
    await waitUntil(ctx, until, options.signal);
    return { tasks: [] };
  }
  for (;;) {
    const claims = await claimAvailable(ctx, taskQueueId, { workerGroup, workerId }, count);
    if (claims.length > 0) {
      await recordRecentTasks(ctx, seen, claims.map((c) => ({ taskId: c.status.taskId, runId: c.runId })));
      return { tasks: claims };
    }
    const left = until - clock.now();
    if (left <= 0 || options.signal?.aborted) return { tasks: [] };
    await waitForWork(ctx, taskQueueId, Math.min(left, ctx.config.claimWorkPollInterval), options.signal);
  }
};

/** Leases hints and claims their runs until `count` are claimed or no hint is left. */
const claimAvailable = async (
  ctx: UseCaseContext,
  taskQueueId: string,
  worker: WorkerRef,
  count: number,
): Promise<TaskClaim[]> => {
  const { pending, clock } = ctx.ports;
  const claims: TaskClaim[] = [];
  while (claims.length < count) {
    const now = clock.now();
    const hints = await pending.lease(taskQueueId, count - claims.length, now, now + ctx.config.leaseDuration);
    if (hints.length === 0) break;
    const results = await Promise.allSettled(
      hints.map(async (hint) => {
        try {
          const result = await claimRun(ctx, hint.taskId, hint.runId, worker);
          // Claimed, stale or lost to another claimer: this hint is spent either way.
          await pending.remove(hint.taskQueueId, hint.taskId, hint.runId);
          return result;
        } catch (error) {
          await pending.release(hint);
          throw error;
        }
      }),
    );
    for (const result of results) if (result.status === 'fulfilled' && result.value) claims.push(result.value);
    // Runs already claimed must reach the worker; an error only surfaces when nothing was claimed.
    const failure = results.find((result) => result.status === 'rejected');
    if (failure && claims.length === 0) throw failure.reason;
    if (failure) break;
  }
  return claims;
};

const waitUntil = async ({ ports }: UseCaseContext, until: number, signal?: AbortSignalLike) => {
  const left = until - ports.clock.now();
  if (left > 0 && !signal?.aborted) await ports.clock.sleep(left, signal);
};
