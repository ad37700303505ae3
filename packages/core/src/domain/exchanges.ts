import type { QueueEvent } from '../ports/event-publisher';
import type { TaskStatus } from '../schemas/task';
import type { Artifact } from '../ports/artifact-store';
import { toStatus, type TaskRecord } from './task-record';

/**
 * The exchange table (queue-inventory §7): each exchange's routing-key words and whether a key is
 * built from a task status or a task group. Adapters prefix `exchange/<namespace>/v1/`.
 */
export const EXCHANGES = {
  'task-defined': { kind: 'task', schema: 'task-defined-message', title: 'Task Defined Messages' },
  'task-pending': { kind: 'task', schema: 'task-pending-message', title: 'Task Pending Messages' },
  'task-running': { kind: 'task', schema: 'task-running-message', title: 'Task Running Messages' },
  'artifact-created': { kind: 'task', schema: 'artifact-created-message', title: 'Artifact Creation Messages' },
  'task-completed': { kind: 'task', schema: 'task-completed-message', title: 'Task Completed Messages' },
  'task-failed': { kind: 'task', schema: 'task-failed-message', title: 'Task Failed Messages' },
  'task-exception': { kind: 'task', schema: 'task-exception-message', title: 'Task Exception Messages' },
  'task-priority-changed': { kind: 'task', schema: 'task-priority-changed-message', title: 'Task Priority Changed Messages' },
  'task-group-resolved': { kind: 'task-group', schema: 'task-group-changed-message', title: 'Task Group Resolved Messages' },
  'task-group-sealed': { kind: 'task-group', schema: 'task-group-changed-message', title: 'Task Group Sealed Messages' },
} as const;
export type ExchangeName = keyof typeof EXCHANGES;

/** Routing-key words of task exchanges, in order; `reserved` is the multi-word `#` slot. */
export const TASK_ROUTING_KEY = [
  'routingKeyKind',
  'taskId',
  'runId',
  'workerGroup',
  'workerId',
  'provisionerId',
  'workerType',
  'schedulerId',
  'taskGroupId',
  'reserved',
] as const;
export const TASK_GROUP_ROUTING_KEY = ['routingKeyKind', 'taskGroupId', 'schedulerId', 'reserved'] as const;

const word = (value: string | number | undefined): string => (value === undefined ? '_' : String(value));

export interface RunRef {
  readonly runId?: number;
  readonly workerGroup?: string;
  readonly workerId?: string;
}

/** Built with `join`, which makes one flat string (a `+` chain would keep a rope per message). */
export const taskRoutingKey = (status: TaskStatus, run: RunRef): string =>
  [
    'primary',
    status.taskId,
    word(run.runId),
    word(run.workerGroup),
    word(run.workerId),
    status.provisionerId,
    status.workerType,
    status.schedulerId,
    status.taskGroupId,
    '_',
  ].join('.');

const NO_ROUTES: readonly string[] = Object.freeze([]);
const routes = ({ definition }: TaskRecord) =>
  definition.routes.length === 0 ? NO_ROUTES : definition.routes.map((route) => `route.${route}`);

/** A message about one task: body `{version, status, task: {tags}, ...extra}`. */
export const taskEvent = (
  exchange: Exclude<ExchangeName, 'task-group-resolved' | 'task-group-sealed'>,
  task: TaskRecord,
  run: RunRef,
  extra: Readonly<Record<string, unknown>> = {},
): QueueEvent => {
  const status = toStatus(task);
  return {
    exchange,
    routingKey: taskRoutingKey(status, run),
    cc: routes(task),
    payload: { version: 1, status, ...run, ...extra, task: { tags: task.definition.tags } },
  };
};

/** A message about the run `runId`, naming its worker when it has one. */
export const runEvent = (
  exchange: Exclude<ExchangeName, 'task-group-resolved' | 'task-group-sealed' | 'task-defined'>,
  task: TaskRecord,
  runId: number,
  extra: Readonly<Record<string, unknown>> = {},
): QueueEvent => {
  const run = task.runs[runId];
  const ref: RunRef = run?.workerGroup === undefined ? { runId } : { runId, workerGroup: run.workerGroup, workerId: run.workerId };
  return taskEvent(exchange, task, ref, extra);
};

export const taskGroupEvent = (
  exchange: 'task-group-resolved' | 'task-group-sealed',
  group: { taskGroupId: string; schedulerId: string; expires?: string },
): QueueEvent => ({
  exchange,
  routingKey: ['primary', group.taskGroupId, group.schedulerId, '_'].join('.'),
  cc: [],
  payload: { version: 1, ...group },
});

export const artifactEvent = (task: TaskRecord, artifact: Artifact): QueueEvent =>
  runEvent('artifact-created', task, artifact.runId, {
    artifact: {
      storageType: artifact.storageType,
      name: artifact.name,
      expires: artifact.expires,
      contentType: artifact.contentType,
    },
  });
