import { z } from 'zod';
import { continuationToken, dateTime, priority, schedulerId, taskGroupId, taskId } from './common';
import { taskWithStatus } from './task';

/** Response of `listTaskGroup`: one page of the group's members. */
export const listTaskGroupResponse = z
  .strictObject({
    taskGroupId,
    tasks: z.array(taskWithStatus).describe('Members of the task group on this page, each with its status'),
    continuationToken: continuationToken.optional(),
  })
  .describe('One page of the tasks of a task group; fetch the next page while `continuationToken` is present');
export type ListTaskGroupResponse = z.infer<typeof listTaskGroupResponse>;

/** Response of `getTaskGroup` and `sealTaskGroup`. */
export const taskGroupResponse = z
  .strictObject({
    taskGroupId,
    schedulerId,
    expires: dateTime.describe('When the task group (and its schedulerId pin) expires'),
    sealed: dateTime
      .optional()
      .describe('When the task group was sealed; absent while new tasks may still join it'),
  })
  .describe('A task group: the scheduler it is pinned to, its expiry and whether it is sealed');
export type TaskGroupResponse = z.infer<typeof taskGroupResponse>;

/** Response of `cancelTaskGroup` (only sealed groups can be cancelled). */
export const cancelTaskGroupResponse = z
  .strictObject({
    taskGroupId,
    taskGroupSize: z.number().int().min(0).describe('Number of tasks in the task group'),
    cancelledCount: z.number().int().min(0).describe('Number of tasks cancelled by this call'),
    taskIds: z.array(taskId).describe('Tasks cancelled by this call'),
  })
  .describe('Result of cancelling every unresolved task of a sealed task group');
export type CancelTaskGroupResponse = z.infer<typeof cancelTaskGroupResponse>;

/** Response of `listDependentTasks`. */
export const listDependentTasksResponse = z
  .strictObject({
    taskId: taskId.describe('The task whose dependents are listed'),
    tasks: z.array(taskWithStatus).describe('Tasks that depend on `taskId`, each with its status'),
    continuationToken: continuationToken.optional(),
  })
  .describe('One page of the tasks depending on a task; fetch the next page while `continuationToken` is present');
export type ListDependentTasksResponse = z.infer<typeof listDependentTasksResponse>;

/** Input of `changeTaskPriority`; `normal` is refused here (it is accepted only on create). */
export const changeTaskPriorityRequest = z
  .strictObject({
    newPriority: priority.describe('The new priority of the task; `normal` is not accepted'),
  })
  .describe('Request to change the priority of an unresolved task');
export type ChangeTaskPriorityRequest = z.infer<typeof changeTaskPriorityRequest>;
