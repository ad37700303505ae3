import { z } from 'zod';
import { dateTime, priority, runId, schedulerId, taskGroupId, workerGroup, workerId } from './common';
import { artifactItem } from './artifact';
import { taskStatus } from './task';

/** Every message carries `version: 1`. */
export const messageVersion = z.literal(1).describe('Message version; always 1');

/** Task messages carry only the tags of the task, so consumers can filter without fetching it. */
export const messageTask = z
  .strictObject({
    tags: z.record(z.string(), z.string().max(4096)).describe('Tags of the task'),
  })
  .describe('Subset of the task definition sent with every task message');
export type MessageTask = z.infer<typeof messageTask>;

export const taskDefinedMessage = z
  .strictObject({ version: messageVersion, status: taskStatus, task: messageTask })
  .describe('A task was defined (created); published before any task-pending for it');
export type TaskDefinedMessage = z.infer<typeof taskDefinedMessage>;

export const taskPendingMessage = z
  .strictObject({
    version: messageVersion,
    status: taskStatus,
    runId: runId.describe('The run that became pending'),
    task: messageTask,
  })
  .describe('A run became pending and may be claimed');
export type TaskPendingMessage = z.infer<typeof taskPendingMessage>;

export const taskRunningMessage = z
  .strictObject({
    version: messageVersion,
    status: taskStatus,
    runId: runId.describe('The run that was claimed'),
    workerGroup,
    workerId,
    takenUntil: dateTime.describe('The claim expires at this time unless the run is reclaimed'),
    task: messageTask,
  })
  .describe('A run was claimed by a worker');
export type TaskRunningMessage = z.infer<typeof taskRunningMessage>;

export const artifactCreatedMessage = z
  .strictObject({
    version: messageVersion,
    status: taskStatus,
    runId: runId.describe('The run the artifact belongs to'),
    workerGroup,
    workerId,
    artifact: artifactItem.describe('The artifact that was created'),
    task: messageTask,
  })
  .describe('An artifact was created and its content is available');
export type ArtifactCreatedMessage = z.infer<typeof artifactCreatedMessage>;

export const taskCompletedMessage = z
  .strictObject({
    version: messageVersion,
    status: taskStatus,
    runId: runId.describe('The run that completed'),
    workerGroup,
    workerId,
    task: messageTask,
  })
  .describe('A run was reported completed');
export type TaskCompletedMessage = z.infer<typeof taskCompletedMessage>;

export const taskFailedMessage = z
  .strictObject({
    version: messageVersion,
    status: taskStatus,
    runId: runId.optional().describe('The run that failed'),
    workerGroup: workerGroup.optional(),
    workerId: workerId.optional(),
    task: messageTask,
  })
  .describe('A run was reported failed');
export type TaskFailedMessage = z.infer<typeof taskFailedMessage>;

export const taskExceptionMessage = z
  .strictObject({
    version: messageVersion,
    status: taskStatus,
    runId: runId.optional().describe('The run resolved as exception'),
    workerGroup: workerGroup.optional().describe('Absent when the run was never claimed'),
    workerId: workerId.optional().describe('Absent when the run was never claimed'),
    task: messageTask,
  })
  .describe('A run was resolved as exception and will not be retried automatically');
export type TaskExceptionMessage = z.infer<typeof taskExceptionMessage>;

/** Body of `task-group-resolved` and `task-group-sealed`. */
export const taskGroupChangedMessage = z
  .strictObject({
    version: messageVersion,
    taskGroupId,
    schedulerId,
    expires: dateTime.optional().describe('When the task group expires'),
  })
  .describe('A task group was resolved (no unresolved tasks left) or sealed');
export type TaskGroupChangedMessage = z.infer<typeof taskGroupChangedMessage>;

export const taskPriorityChangedMessage = z
  .strictObject({
    version: messageVersion,
    status: taskStatus,
    task: messageTask,
    newPriority: priority.describe('The new priority of the task'),
  })
  .describe('The priority of a task was changed');
export type TaskPriorityChangedMessage = z.infer<typeof taskPriorityChangedMessage>;

/** Message body schema of each exchange (exchange name without the `exchange/<namespace>/v1/` prefix). */
export const exchangeMessageSchemas = {
  'task-defined': taskDefinedMessage,
  'task-pending': taskPendingMessage,
  'task-running': taskRunningMessage,
  'artifact-created': artifactCreatedMessage,
  'task-completed': taskCompletedMessage,
  'task-failed': taskFailedMessage,
  'task-exception': taskExceptionMessage,
  'task-group-resolved': taskGroupChangedMessage,
  'task-group-sealed': taskGroupChangedMessage,
  'task-priority-changed': taskPriorityChangedMessage,
} as const;
export type ExchangeName = keyof typeof exchangeMessageSchemas;
