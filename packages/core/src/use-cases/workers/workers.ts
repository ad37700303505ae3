import { z } from 'zod';
import type { Caller } from '../../caller';
import { notFound } from '../../errors';
import { requiredScopes } from '../../domain/scopes';
import { iso, ms } from '../../domain/time';
import type { Worker } from '../../ports/worker-info-store';
import {
  pageQuery,
  provisionerId as provisionerIdSchema,
  workerGroup as workerGroupSchema,
  workerId as workerIdSchema,
  workerType as workerTypeSchema,
  type PageQuery,
} from '../../schemas/common';
import {
  updateWorkerRequest,
  type ListWorkersResponse,
  type WorkerResponse,
  type WorkerSummary,
} from '../../schemas/worker';
import type { UseCaseContext } from '../context';
import { pageRequest } from '../shared/paging';
import { parseInput, parseParam } from '../shared/validate';
import {
  declareScopes,
  givenFields,
  isQuarantined,
  isWorkerLive,
  loadWorkerType,
  newWorker,
  taskQueueIdOf,
  upsertWorker,
  workerView,
} from '../shared/worker-records';

/** Parses the four URL parameters that name a worker (400 InvalidRequestArguments). */
export const parseWorkerParams = (provisionerId: string, workerType: string, workerGroup: string, workerId: string) => {
  parseParam(provisionerIdSchema, provisionerId, 'provisionerId');
  parseParam(workerTypeSchema, workerType, 'workerType');
  parseParam(workerGroupSchema, workerGroup, 'workerGroup');
  parseParam(workerIdSchema, workerId, 'workerId');
};

const listWorkersQuery = pageQuery.extend({
  quarantined: z.enum(['true', 'false']).optional(),
});
/** `?quarantined=true` lists only quarantined workers, `false` only the others. */
export type ListWorkersQuery = PageQuery & { readonly quarantined?: 'true' | 'false' };

const workerSummary = (worker: Worker, now: number): WorkerSummary => {
  const latestTask = worker.recentTasks[worker.recentTasks.length - 1];
  return {
    workerGroup: worker.workerGroup,
    workerId: worker.workerId,
    firstClaim: worker.firstClaim,
    ...(latestTask && { latestTask: { taskId: latestTask.taskId, runId: latestTask.runId } }),
    ...(isQuarantined(worker, now) && { quarantineUntil: worker.quarantineUntil }),
    lastDateActive: worker.lastDateActive,
  };
};

/**
 * listWorkers (GET /provisioners/<p>/worker-types/<wt>/workers): live workers (unexpired or still
 * quarantined), optionally only those (not) quarantined. Filtering happens after paging, so a page
 * may be short, even empty, and still carry a continuationToken.
 */
export const listWorkers = async (
  ctx: UseCaseContext,
  caller: Caller,
  provisionerId: string,
  workerType: string,
  query?: ListWorkersQuery,
): Promise<ListWorkersResponse> => {
  parseParam(provisionerIdSchema, provisionerId, 'provisionerId');
  parseParam(workerTypeSchema, workerType, 'workerType');
  const { quarantined, ...paging } = parseParam(listWorkersQuery, query ?? {}, 'query');
  const page = pageRequest(paging);
  caller.authorize(requiredScopes.listWorkers({ provisionerId, workerType }));
  const now = ctx.ports.clock.now();
  const listed = await ctx.ports.workerInfo.listWorkers(taskQueueIdOf(provisionerId, workerType), page);
  const wanted = (worker: Worker) =>
    isWorkerLive(worker, now) && (quarantined === undefined || isQuarantined(worker, now) === (quarantined === 'true'));
  return {
    workers: listed.items.filter(wanted).map((worker) => workerSummary(worker, now)),
    ...(listed.continuationToken !== undefined && { continuationToken: listed.continuationToken }),
  };
};

/**
 * getWorker (GET /provisioners/<p>/worker-types/<wt>/workers/<workerGroup>/<workerId>): the worker
 * with its last 20 runs and the actions of context `worker`; 404 naming the provisioner, worker
 * type or worker that is absent or expired.
 */
export const getWorker = async (
  ctx: UseCaseContext,
  caller: Caller,
  provisionerId: string,
  workerType: string,
  workerGroup: string,
  workerId: string,
): Promise<WorkerResponse> => {
  parseWorkerParams(provisionerId, workerType, workerGroup, workerId);
  caller.authorize(requiredScopes.getWorker({ provisionerId, workerType, workerGroup, workerId }));
  const taskQueueId = taskQueueIdOf(provisionerId, workerType);
  const [{ provisioner }, found] = await Promise.all([
    loadWorkerType(ctx, provisionerId, workerType),
    ctx.ports.workerInfo.getWorker(taskQueueId, workerGroup, workerId),
  ]);
  const now = ctx.ports.clock.now();
  if (!found || !isWorkerLive(found.value, now)) {
    throw notFound(`Worker ${workerGroup}/${workerId} of worker type ${taskQueueId} not found`, {
      provisionerId,
      workerType,
      workerGroup,
      workerId,
    });
  }
  return workerView(found.value, provisioner, now);
};

const WORKER_PROPERTIES = Object.keys(updateWorkerRequest.shape);

/**
 * declareWorker (PUT /provisioners/<p>/worker-types/<wt>/<workerGroup>/<workerId>): creates the
 * worker (expires in 1 day unless given) or sets its `expires`; creates the worker type and
 * provisioner if absent and keeps them alive at least as long as the worker. Quarantine is not
 * declarable (the body schema refuses `quarantineUntil`; use quarantineWorker).
 */
export const declareWorker = async (
  ctx: UseCaseContext,
  caller: Caller,
  provisionerId: string,
  workerType: string,
  workerGroup: string,
  workerId: string,
  body: unknown,
): Promise<WorkerResponse> => {
  parseWorkerParams(provisionerId, workerType, workerGroup, workerId);
  const given = givenFields(parseInput(updateWorkerRequest, body));
  caller.authorize(
    declareScopes(given, WORKER_PROPERTIES, (b) =>
      requiredScopes.declareWorker({ provisionerId, workerType, workerGroup, workerId, body: b }),
    ),
  );
  const taskQueueId = taskQueueIdOf(provisionerId, workerType);
  const expires = given.expires === undefined ? undefined : iso(ms(given.expires));
  const { worker, provisioner } = await upsertWorker(ctx, taskQueueId, workerGroup, workerId, (live, now) => {
    const current = live ?? newWorker(taskQueueId, workerGroup, workerId, now);
    return expires === undefined || expires === current.expires ? current : { ...current, expires };
  });
  return workerView(worker, provisioner, ctx.ports.clock.now());
};
