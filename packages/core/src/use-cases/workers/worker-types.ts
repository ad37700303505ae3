import type { Caller } from '../../caller';
import { requiredScopes } from '../../domain/scopes';
import { iso, ms } from '../../domain/time';
import type { Provisioner, TaskQueueInfo } from '../../ports/worker-info-store';
import {
  provisionerId as provisionerIdSchema,
  workerType as workerTypeSchema,
  type PageQuery,
} from '../../schemas/common';
import {
  updateWorkerTypeRequest,
  type ListWorkerTypesResponse,
  type WorkerTypeResponse,
  type WorkerTypeSummary,
} from '../../schemas/worker';
import type { UseCaseContext } from '../context';
import { pageRequest } from '../shared/paging';
import { parseInput, parseParam } from '../shared/validate';
import {
  actionsFor,
  declareScopes,
  DECLARED_POOL_LIFETIME,
  ensureProvisioner,
  givenFields,
  isLive,
  loadWorkerType,
  splitTaskQueueId,
  taskQueueIdOf,
  upsertTaskQueue,
} from '../shared/worker-records';

/** A worker type is the task queue `<provisionerId>/<workerType>`. */
const workerTypeSummary = (taskQueue: TaskQueueInfo): WorkerTypeSummary => {
  const { provisionerId, workerType } = splitTaskQueueId(taskQueue.taskQueueId);
  return {
    workerType,
    provisionerId,
    expires: taskQueue.expires,
    lastDateActive: taskQueue.lastDateActive,
    description: taskQueue.description,
    stability: taskQueue.stability,
  };
};

/** With the provisioner's actions of context `worker-type`. */
const workerTypeView = (taskQueue: TaskQueueInfo, provisioner: Provisioner): WorkerTypeResponse => ({
  ...workerTypeSummary(taskQueue),
  actions: actionsFor(provisioner, 'worker-type'),
});

/**
 * listWorkerTypes (GET /provisioners/<provisionerId>/worker-types): the provisioner's live task
 * queues, without actions. An unknown provisioner has none (an empty list, not a 404).
 */
export const listWorkerTypes = async (
  ctx: UseCaseContext,
  caller: Caller,
  provisionerId: string,
  query?: PageQuery,
): Promise<ListWorkerTypesResponse> => {
  parseParam(provisionerIdSchema, provisionerId, 'provisionerId');
  const page = pageRequest(query);
  caller.authorize(requiredScopes.listWorkerTypes({ provisionerId }));
  const now = ctx.ports.clock.now();
  const listed = await ctx.ports.workerInfo.listTaskQueues(page, provisionerId);
  return {
    workerTypes: listed.items.filter((q) => isLive(q, now)).map(workerTypeSummary),
    ...(listed.continuationToken !== undefined && { continuationToken: listed.continuationToken }),
  };
};

/** getWorkerType (GET /provisioners/<p>/worker-types/<wt>): 404 unless provisioner and worker type are live. */
export const getWorkerType = async (
  ctx: UseCaseContext,
  caller: Caller,
  provisionerId: string,
  workerType: string,
): Promise<WorkerTypeResponse> => {
  parseParam(provisionerIdSchema, provisionerId, 'provisionerId');
  parseParam(workerTypeSchema, workerType, 'workerType');
  caller.authorize(requiredScopes.getWorkerType({ provisionerId, workerType }));
  const { provisioner, taskQueue } = await loadWorkerType(ctx, provisionerId, workerType);
  return workerTypeView(taskQueue, provisioner);
};

const WORKER_TYPE_PROPERTIES = Object.keys(updateWorkerTypeRequest.shape);

/**
 * declareWorkerType (PUT /provisioners/<p>/worker-types/<wt>): creates the worker type with
 * defaults (expires in 5 days) or overwrites the properties given; creates the provisioner if
 * absent and keeps it alive at least as long as the worker type.
 */
export const declareWorkerType = async (
  ctx: UseCaseContext,
  caller: Caller,
  provisionerId: string,
  workerType: string,
  body: unknown,
): Promise<WorkerTypeResponse> => {
  parseParam(provisionerIdSchema, provisionerId, 'provisionerId');
  parseParam(workerTypeSchema, workerType, 'workerType');
  const given = givenFields(parseInput(updateWorkerTypeRequest, body));
  caller.authorize(
    declareScopes(given, WORKER_TYPE_PROPERTIES, (b) =>
      requiredScopes.declareWorkerType({ provisionerId, workerType, body: b }),
    ),
  );
  const taskQueueId = taskQueueIdOf(provisionerId, workerType);
  const { expires, ...rest } = given;
  const fields = { ...rest, ...(expires !== undefined && { expires: iso(ms(expires)) }) };
  let provisioner: Provisioner | undefined;
  const saved = await upsertTaskQueue(
    ctx,
    taskQueueId,
    (live, now) => {
      if (live && Object.keys(fields).length === 0) return live;
      return {
        ...(live ?? {
          taskQueueId,
          expires: iso(now + DECLARED_POOL_LIFETIME),
          lastDateActive: iso(now),
          description: '',
          stability: 'experimental',
        }),
        ...fields,
      };
    },
    async (next) => {
      // The parent first: a crash may leave a provisioner without this worker type, never the reverse.
      provisioner = await ensureProvisioner(ctx, provisionerId, ms(next.expires));
    },
  );
  return workerTypeView(saved, provisioner as Provisioner);
};
