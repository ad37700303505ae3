import { z } from 'zod';
import {
  continuationToken,
  dateTime,
  provisionerId,
  runId,
  taskId,
  taskQueueId,
  workerGroup,
  workerId,
  workerType,
} from './common';
import { taskDefinition } from './task';

export const STABILITY_VALUES = ['experimental', 'stable', 'deprecated'] as const;
export const stability = z.enum(STABILITY_VALUES).describe('How stable the worker pool is meant to be');
export type Stability = z.infer<typeof stability>;

const description = z.string().describe('Description in markdown');
const expires = dateTime.describe('When this record expires unless it is seen or declared again');
const lastDateActive = dateTime.describe('Last time a worker of this pool was seen (updated at most every 6 hours)');

export const ACTION_CONTEXTS = ['provisioner', 'worker-type', 'worker'] as const;
export const ACTION_METHODS = ['POST', 'PUT', 'DELETE', 'PATCH'] as const;

/** An action a UI can offer; `<provisionerId>`, `<workerType>`, `<workerGroup>`, `<workerId>` are substituted into `url`. */
export const provisionerAction = z
  .strictObject({
    name: z.string().describe('Name of the action; automation should match on it'),
    title: z.string().describe('Title shown in a UI'),
    context: z.enum(ACTION_CONTEXTS).describe('Level the action applies to'),
    url: z.string().describe('URL template called with the user credentials'),
    method: z.enum(ACTION_METHODS).describe('HTTP method of the call'),
    description: z.string().describe('What the action does, in markdown'),
  })
  .describe('An action offered by a provisioner');
export type ProvisionerAction = z.infer<typeof provisionerAction>;

const actions = z.array(provisionerAction).describe('Actions offered at this level');

// --- provisioners -----------------------------------------------------------------------------

export const provisionerResponse = z
  .strictObject({
    provisionerId,
    stability,
    description,
    expires,
    lastDateActive,
    actions,
  })
  .describe('A provisioner with all of its actions');
export type ProvisionerResponse = z.infer<typeof provisionerResponse>;

export const listProvisionersResponse = z
  .strictObject({
    provisioners: z.array(provisionerResponse),
    continuationToken: continuationToken.optional(),
  })
  .describe('One page of provisioners; fetch the next page while `continuationToken` is present');
export type ListProvisionersResponse = z.infer<typeof listProvisionersResponse>;

/** Input of `declareProvisioner`; each key given needs `queue:declare-provisioner:<provisionerId>#<key>`. */
export const updateProvisionerRequest = z
  .strictObject({
    stability: stability.optional(),
    description: description.optional(),
    expires: expires.optional(),
    actions: actions.optional(),
  })
  .describe('Properties of a provisioner to set; absent properties are left unchanged');
export type UpdateProvisionerRequest = z.infer<typeof updateProvisionerRequest>;

// --- worker types -----------------------------------------------------------------------------

const workerTypeFields = {
  workerType,
  provisionerId,
  expires,
  lastDateActive,
  description,
  stability,
};

/** A worker type as listed (without actions). */
export const workerTypeSummary = z.strictObject(workerTypeFields);
export type WorkerTypeSummary = z.infer<typeof workerTypeSummary>;

export const workerTypeResponse = z
  .strictObject({ ...workerTypeFields, actions })
  .describe('A worker type with the actions of context `worker-type`');
export type WorkerTypeResponse = z.infer<typeof workerTypeResponse>;

export const listWorkerTypesResponse = z
  .strictObject({
    workerTypes: z.array(workerTypeSummary),
    continuationToken: continuationToken.optional(),
  })
  .describe('One page of worker types of a provisioner; fetch the next page while `continuationToken` is present');
export type ListWorkerTypesResponse = z.infer<typeof listWorkerTypesResponse>;

/** Input of `declareWorkerType`; each key given needs `queue:declare-worker-type:<p>/<wt>#<key>`. */
export const updateWorkerTypeRequest = z
  .strictObject({
    stability: stability.optional(),
    description: description.optional(),
    expires: expires.optional(),
  })
  .describe('Properties of a worker type to set; absent properties are left unchanged');
export type UpdateWorkerTypeRequest = z.infer<typeof updateWorkerTypeRequest>;

// --- task queues ------------------------------------------------------------------------------

export const taskQueueResponse = z
  .strictObject({
    taskQueueId,
    expires,
    lastDateActive,
    description,
    stability,
  })
  .describe('A task queue: the pool of workers that claims tasks of one <provisionerId>/<workerType>');
export type TaskQueueResponse = z.infer<typeof taskQueueResponse>;

export const listTaskQueuesResponse = z
  .strictObject({
    taskQueues: z.array(taskQueueResponse),
    continuationToken: continuationToken.optional(),
  })
  .describe('One page of task queues; fetch the next page while `continuationToken` is present');
export type ListTaskQueuesResponse = z.infer<typeof listTaskQueuesResponse>;

// --- workers ----------------------------------------------------------------------------------

export const recentTask = z
  .strictObject({ taskId, runId })
  .describe('A run recently claimed by the worker');
export type RecentTask = z.infer<typeof recentTask>;

export const MAX_QUARANTINE_INFO_LENGTH = 4000;

export const quarantineDetail = z
  .strictObject({
    clientId: z.string().describe('Client that changed the quarantine'),
    updatedAt: dateTime.describe('When the quarantine was changed'),
    quarantineUntil: dateTime.describe('The quarantine end that was set'),
    quarantineInfo: z.string().max(MAX_QUARANTINE_INFO_LENGTH).describe('Why the quarantine was changed'),
  })
  .describe('One change of the quarantine of a worker');
export type QuarantineDetail = z.infer<typeof quarantineDetail>;

const firstClaim = dateTime.describe('When the worker was first seen');
const quarantineUntil = dateTime.describe('The worker claims no tasks until this time');

export const workerResponse = z
  .strictObject({
    provisionerId,
    workerType,
    workerGroup,
    workerId,
    recentTasks: z.array(recentTask).describe('Last runs claimed by the worker, oldest first (at most 20)'),
    expires,
    firstClaim,
    lastDateActive: lastDateActive.optional(),
    quarantineUntil: quarantineUntil.optional(),
    quarantineDetails: z.array(quarantineDetail).optional().describe('History of quarantine changes'),
    actions,
  })
  .describe('A worker with its recent runs, quarantine and the actions of context `worker`');
export type WorkerResponse = z.infer<typeof workerResponse>;

/** A worker as listed. */
export const workerSummary = z.strictObject({
  workerGroup,
  workerId,
  firstClaim,
  latestTask: recentTask.optional().describe('The last run claimed by the worker'),
  quarantineUntil: quarantineUntil.optional().describe('Set only while the worker is quarantined'),
  lastDateActive: lastDateActive.optional(),
});
export type WorkerSummary = z.infer<typeof workerSummary>;

export const listWorkersResponse = z
  .strictObject({
    workers: z.array(workerSummary),
    continuationToken: continuationToken.optional(),
  })
  .describe('One page of workers of a worker type; fetch the next page while `continuationToken` is present');
export type ListWorkersResponse = z.infer<typeof listWorkersResponse>;

/** Input of `quarantineWorker`; a past `quarantineUntil` lifts the quarantine. */
export const quarantineWorkerRequest = z
  .strictObject({
    quarantineUntil: dateTime.describe('The worker claims no tasks until this time; a past time lifts the quarantine'),
    quarantineInfo: z
      .string()
      .max(MAX_QUARANTINE_INFO_LENGTH)
      .optional()
      .describe('Why the worker is quarantined; recorded in the quarantine details'),
  })
  .describe('Request to quarantine a worker, or to lift its quarantine');
export type QuarantineWorkerRequest = z.infer<typeof quarantineWorkerRequest>;

/** Input of `declareWorker`: only `expires` (quarantine goes through `quarantineWorker`). */
export const updateWorkerRequest = z
  .strictObject({ expires: expires.optional() })
  .describe('Properties of a worker to set; only `expires` may be declared');
export type UpdateWorkerRequest = z.infer<typeof updateWorkerRequest>;

// --- queue counts and listings ----------------------------------------------------------------

const taskCount = z.number().int().min(0);

export const pendingTasksResponse = z
  .strictObject({
    provisionerId,
    workerType,
    taskQueueId,
    pendingTasks: taskCount.describe('Approximate number of pending runs in the task queue'),
  })
  .describe('Approximate number of pending runs of a task queue');
export type PendingTasksResponse = z.infer<typeof pendingTasksResponse>;

export const taskQueueCountsResponse = z
  .strictObject({
    taskQueueId,
    pendingTasks: taskCount.describe('Approximate number of pending runs in the task queue'),
    claimedTasks: taskCount.describe('Approximate number of claimed (running) runs of the task queue'),
  })
  .describe('Approximate numbers of pending and claimed runs of a task queue');
export type TaskQueueCountsResponse = z.infer<typeof taskQueueCountsResponse>;

export const pendingTask = z.strictObject({
  taskId,
  runId,
  inserted: dateTime.describe('When the run was put into the pending queue'),
  task: taskDefinition,
});
export type PendingTask = z.infer<typeof pendingTask>;

export const listPendingTasksResponse = z
  .strictObject({
    tasks: z.array(pendingTask).describe('Pending runs, in the order they would be claimed'),
    continuationToken: continuationToken.optional(),
  })
  .describe('One page of the pending runs of a task queue; fetch the next page while `continuationToken` is present');
export type ListPendingTasksResponse = z.infer<typeof listPendingTasksResponse>;

export const claimedTask = z.strictObject({
  taskId,
  runId,
  workerGroup,
  workerId,
  claimed: dateTime.describe('When the run was claimed'),
  task: taskDefinition,
});
export type ClaimedTask = z.infer<typeof claimedTask>;

export const listClaimedTasksResponse = z
  .strictObject({
    tasks: z.array(claimedTask).describe('Claimed runs and the workers holding them'),
    continuationToken: continuationToken.optional(),
  })
  .describe('One page of the claimed runs of a task queue; fetch the next page while `continuationToken` is present');
export type ListClaimedTasksResponse = z.infer<typeof listClaimedTasksResponse>;
