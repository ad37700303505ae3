import { z } from 'zod';
import {
  dateTime,
  priority,
  projectId,
  provisionerId,
  requestedPriority,
  schedulerId,
  scope,
  slugid,
  taskGroupId,
  taskId,
  taskQueueId,
  workerType,
} from './common';

/** Upper bound of `dependencies` (queue-inventory §3: `max-task-dependencies`). */
export const MAX_DEPENDENCIES = 100;
export const MAX_ROUTES = 64;

export const taskMetadata = z.strictObject({
  name: z.string().max(255).describe('Human readable name of the task'),
  description: z.string().max(32768).describe('Description in markdown'),
  owner: z.string().max(255).describe('Owner of the task, usually an e-mail address'),
  source: z
    .string()
    .max(4096)
    .regex(/^https?:\/\//, 'must be an http(s) URL')
    .describe('Link to the source that created the task'),
});

const unique = (values: readonly string[]) => new Set(values).size === values.length;

const taskScopes = z
  .array(scope.refine((s) => !s.endsWith('**'), 'scopes must not end with `**`'))
  .describe('Scopes the task may use; the creator must hold each one');

/** Fields shared by the request and the stored definition. */
const definitionFields = {
  schedulerId,
  projectId,
  taskGroupId,
  dependencies: z
    .array(slugid)
    .max(MAX_DEPENDENCIES)
    .refine(unique, 'dependencies must be unique')
    .describe('Tasks that must resolve before this one is scheduled'),
  requires: z.enum(['all-completed', 'all-resolved']),
  routes: z
    .array(z.string().min(1).max(249))
    .max(MAX_ROUTES)
    .refine(unique, 'routes must be unique')
    .describe('Routes every message about this task is CC-ed to, as route.<route>'),
  retries: z.number().int().min(0).max(49),
  created: dateTime,
  deadline: dateTime,
  expires: dateTime,
  scopes: taskScopes,
  payload: z.record(z.string(), z.unknown()).describe('Task-specific payload, read by the worker only'),
  metadata: taskMetadata,
  tags: z.record(z.string(), z.string().max(4096)),
  extra: z.record(z.string(), z.unknown()),
};

export const createTaskRequest = z
  .strictObject({
    ...definitionFields,
    taskQueueId: taskQueueId.optional(),
    provisionerId: provisionerId.optional(),
    workerType: workerType.optional(),
    schedulerId: schedulerId.default('-'),
    projectId: projectId.default('none'),
    taskGroupId: taskGroupId.optional(),
    dependencies: definitionFields.dependencies.default([]),
    requires: definitionFields.requires.default('all-completed'),
    routes: definitionFields.routes.default([]),
    priority: requestedPriority.default('lowest'),
    retries: definitionFields.retries.default(5),
    expires: dateTime.optional(),
    scopes: taskScopes.default([]),
    tags: definitionFields.tags.default({}),
    extra: definitionFields.extra.default({}),
  })
  .superRefine((task, ctx) => {
    const both = task.provisionerId !== undefined && task.workerType !== undefined;
    if (task.taskQueueId === undefined && !both) {
      ctx.addIssue({
        code: 'custom',
        path: ['taskQueueId'],
        message: 'taskQueueId is required (or both provisionerId and workerType)',
      });
    }
    if (task.taskQueueId !== undefined && (task.provisionerId !== undefined || task.workerType !== undefined)) {
      if (`${task.provisionerId}/${task.workerType}` !== task.taskQueueId) {
        ctx.addIssue({
          code: 'custom',
          path: ['taskQueueId'],
          message: 'taskQueueId must equal <provisionerId>/<workerType> when both are given',
        });
      }
    }
  })
  .describe('Definition of a task to create');
export type CreateTaskRequest = z.input<typeof createTaskRequest>;

/** The stored definition, as `queue.task(taskId)` returns it: every default filled in. */
export const taskDefinition = z
  .strictObject({
    ...definitionFields,
    taskQueueId,
    provisionerId,
    workerType,
    priority,
  })
  .describe('Definition of a task, with every default filled in');
export type TaskDefinition = z.infer<typeof taskDefinition>;

export const RUN_STATES = ['pending', 'running', 'completed', 'failed', 'exception'] as const;
export const TASK_STATES = ['unscheduled', ...RUN_STATES] as const;
export const REASONS_CREATED = ['scheduled', 'retry', 'task-retry', 'rerun', 'exception'] as const;
export const REASONS_RESOLVED = [
  'completed',
  'failed',
  'deadline-exceeded',
  'canceled',
  'superseded',
  'claim-expired',
  'worker-shutdown',
  'malformed-payload',
  'resource-unavailable',
  'internal-error',
  'intermittent-task',
] as const;

export const run = z.strictObject({
  runId: z.number().int().min(0).max(1000),
  state: z.enum(RUN_STATES),
  reasonCreated: z.enum(REASONS_CREATED),
  reasonResolved: z.enum(REASONS_RESOLVED).optional(),
  workerGroup: z.string().optional(),
  workerId: z.string().optional(),
  takenUntil: dateTime.optional(),
  scheduled: dateTime,
  started: dateTime.optional(),
  resolved: dateTime.optional(),
});
export type Run = z.infer<typeof run>;
export type RunState = Run['state'];
export type ReasonResolved = NonNullable<Run['reasonResolved']>;

export const taskStatus = z
  .strictObject({
    taskId,
    provisionerId,
    workerType,
    taskQueueId,
    schedulerId,
    projectId,
    taskGroupId,
    deadline: dateTime,
    expires: dateTime,
    retriesLeft: z.number().int().min(0).max(999),
    state: z.enum(TASK_STATES),
    runs: z.array(run),
  })
  .describe('Status of a task: the state of its last run and every run');
export type TaskStatus = z.infer<typeof taskStatus>;
export type TaskState = TaskStatus['state'];

export const taskStatusResponse = z.strictObject({ status: taskStatus }).describe('Response with a task status');
export type TaskStatusResponse = z.infer<typeof taskStatusResponse>;

/** Input of `tasks` and `statuses`: the task ids to fetch. */
export const tasksRequest = z.strictObject({ taskIds: z.array(taskId).max(1000) });
export type TasksRequest = z.infer<typeof tasksRequest>;

export const tasksResponse = z.strictObject({
  tasks: z.array(z.strictObject({ taskId, task: taskDefinition })),
  continuationToken: z.string().optional(),
});
export type TasksResponse = z.infer<typeof tasksResponse>;

export const tasksStatusesResponse = z.strictObject({
  statuses: z.array(z.strictObject({ taskId, status: taskStatus })),
  continuationToken: z.string().optional(),
});
export type TasksStatusesResponse = z.infer<typeof tasksStatusesResponse>;

/** A task with its status, as the list methods return it. */
export const taskWithStatus = z.strictObject({ status: taskStatus, task: taskDefinition });
export type TaskWithStatus = z.infer<typeof taskWithStatus>;
