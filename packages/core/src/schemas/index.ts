import { z } from 'zod';
import {
  artifactContentResponse,
  artifactResponse,
  finishArtifactRequest,
  getArtifactResponse,
  listArtifactsResponse,
  postArtifactRequest,
  postArtifactResponse,
} from './artifact';
import {
  artifactCreatedMessage,
  taskCompletedMessage,
  taskDefinedMessage,
  taskExceptionMessage,
  taskFailedMessage,
  taskGroupChangedMessage,
  taskPendingMessage,
  taskPriorityChangedMessage,
  taskRunningMessage,
} from './messages';
import {
  createTaskRequest,
  taskDefinition,
  taskStatus,
  taskStatusResponse,
  tasksRequest,
  tasksResponse,
  tasksStatusesResponse,
} from './task';
import {
  cancelTaskGroupResponse,
  changeTaskPriorityRequest,
  listDependentTasksResponse,
  listTaskGroupResponse,
  taskGroupResponse,
} from './task-group';
import {
  claimWorkRequest,
  claimWorkResponse,
  taskClaimRequest,
  taskClaimResponse,
  taskCredentials,
  taskExceptionRequest,
  taskReclaimResponse,
} from './work';
import {
  listClaimedTasksResponse,
  listPendingTasksResponse,
  listProvisionersResponse,
  listTaskQueuesResponse,
  listWorkersResponse,
  listWorkerTypesResponse,
  pendingTasksResponse,
  provisionerResponse,
  quarantineWorkerRequest,
  taskQueueCountsResponse,
  taskQueueResponse,
  updateProvisionerRequest,
  updateWorkerRequest,
  updateWorkerTypeRequest,
  workerResponse,
  workerTypeResponse,
} from './worker';

export * from './common';
export * from './task';
export * from './task-group';
export * from './work';
export * from './artifact';
export * from './worker';
export * from './messages';

/**
 * How a wire schema is checked: requests as `input` (defaults stay optional for the caller),
 * responses and messages as `output` (what we send, every default filled in).
 */
export type WireIo = 'input' | 'output';
export interface WireSchema {
  readonly schema: z.ZodType;
  readonly io: WireIo;
}

const input = <S extends z.ZodType>(schema: S) => ({ schema, io: 'input' as const });
const output = <S extends z.ZodType>(schema: S) => ({ schema, io: 'output' as const });

/**
 * Every schema published under `schemas/v1/`, keyed by its JSON Schema id without `.json#`.
 * The names are Taskcluster's (`v1/<id>.json#` in the API reference), so clients that know the
 * upstream ids find the same shapes here.
 */
export const wireSchemas = {
  // tasks
  'v1/task': output(taskDefinition),
  'v1/task-status': output(taskStatus),
  'v1/create-task-request': input(createTaskRequest),
  'v1/task-status-response': output(taskStatusResponse),
  'v1/tasks-request': input(tasksRequest),
  'v1/tasks-response': output(tasksResponse),
  'v1/tasks-statuses-response': output(tasksStatusesResponse),
  'v1/list-dependent-tasks-response': output(listDependentTasksResponse),
  'v1/change-task-priority-request': input(changeTaskPriorityRequest),
  // task groups
  'v1/list-task-group-response': output(listTaskGroupResponse),
  'v1/task-group-response': output(taskGroupResponse),
  'v1/cancel-task-group-response': output(cancelTaskGroupResponse),
  // worker interface
  'v1/claim-work-request': input(claimWorkRequest),
  'v1/claim-work-response': output(claimWorkResponse),
  'v1/task-claim-request': input(taskClaimRequest),
  'v1/task-claim-response': output(taskClaimResponse),
  'v1/task-reclaim-response': output(taskReclaimResponse),
  'v1/task-credentials': output(taskCredentials),
  'v1/task-exception-request': input(taskExceptionRequest),
  // artifacts
  'v1/post-artifact-request': input(postArtifactRequest),
  'v1/post-artifact-response': output(postArtifactResponse),
  'v1/finish-artifact-request': input(finishArtifactRequest),
  'v1/get-artifact-response': output(getArtifactResponse),
  'v1/artifact-content-response': output(artifactContentResponse),
  'v1/artifact-response': output(artifactResponse),
  'v1/list-artifacts-response': output(listArtifactsResponse),
  // provisioners, worker types, task queues, workers
  'v1/provisioner-response': output(provisionerResponse),
  'v1/list-provisioners-response': output(listProvisionersResponse),
  'v1/update-provisioner-request': input(updateProvisionerRequest),
  'v1/workertype-response': output(workerTypeResponse),
  'v1/list-workertypes-response': output(listWorkerTypesResponse),
  'v1/update-workertype-request': input(updateWorkerTypeRequest),
  'v1/taskqueue-response': output(taskQueueResponse),
  'v1/list-taskqueues-response': output(listTaskQueuesResponse),
  'v1/worker-response': output(workerResponse),
  'v1/list-workers-response': output(listWorkersResponse),
  'v1/quarantine-worker-request': input(quarantineWorkerRequest),
  'v1/update-worker-request': input(updateWorkerRequest),
  'v1/pending-tasks-response': output(pendingTasksResponse),
  'v1/task-queue-counts-response': output(taskQueueCountsResponse),
  'v1/list-pending-tasks-response': output(listPendingTasksResponse),
  'v1/list-claimed-tasks-response': output(listClaimedTasksResponse),
  // exchanges
  'v1/task-defined-message': output(taskDefinedMessage),
  'v1/task-pending-message': output(taskPendingMessage),
  'v1/task-running-message': output(taskRunningMessage),
  'v1/artifact-created-message': output(artifactCreatedMessage),
  'v1/task-completed-message': output(taskCompletedMessage),
  'v1/task-failed-message': output(taskFailedMessage),
  'v1/task-exception-message': output(taskExceptionMessage),
  'v1/task-group-changed-message': output(taskGroupChangedMessage),
  'v1/task-priority-changed-message': output(taskPriorityChangedMessage),
} as const satisfies Record<string, WireSchema>;
export type WireSchemaName = keyof typeof wireSchemas;

/** `v1/list-task-group-response` → `List Task Group Response`. */
const titleOf = (name: string) =>
  (name.split('/').pop() ?? name)
    .split('-')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');

/**
 * The JSON Schemas of every wire schema, keyed by name, sorted by name, each with `$id`
 * `<name>.json#`. Deterministic, so the committed `schemas/v1/*.json` can be compared byte for byte.
 */
export function toJsonSchemas(): Record<string, object> {
  const result: Record<string, object> = {};
  const names = (Object.keys(wireSchemas) as WireSchemaName[]).sort();
  for (const name of names) {
    const { schema, io } = wireSchemas[name];
    const { $schema, $id: _id, title: _title, description, ...rest } = z.toJSONSchema(schema, {
      io,
      target: 'draft-2020-12',
      unrepresentable: 'any',
    });
    const title = titleOf(name);
    result[name] = {
      $schema,
      $id: `${name}.json#`,
      title,
      description: description ?? title,
      ...rest,
    };
  }
  return result;
}
