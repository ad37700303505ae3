import { removeGivenScopes, satisfiesExpression, validScope } from 'taskcluster-lib-scopes';
import { inputError } from '../errors';
import { normalisePriority, prioritiesAtOrAbove, type PriorityInput } from './priorities';

/**
 * Scope expressions and the scopes each queue operation requires (queue-api-reference §3.12, §6;
 * queue-inventory §5.3, §5.4, §8.2, §8.4, §11.2, §17). Modern expressions throughout; legacy
 * alternatives are kept where v87-era workers and schedulers still rely on them.
 */
export type ScopeExpression = string | { AllOf: ScopeExpression[] } | { AnyOf: ScopeExpression[] };

/** Held `s` satisfies required `r` if `s === r`, or `s` ends in `*` and `r` starts with `s` minus the `*`. */
export const satisfies = (scopes: readonly string[], expr: ScopeExpression): boolean =>
  satisfiesExpression(scopes, expr);

/** What is still missing from `expr` given `scopes` (for error messages); undefined when satisfied. */
export const unsatisfied = (scopes: readonly string[], expr: ScopeExpression): ScopeExpression | undefined =>
  removeGivenScopes(scopes, expr) ?? undefined;

/** Scopes are printable ASCII (0x20-0x7e), nothing else. */
export const isValidScope = (s: unknown): s is string => validScope(s);

/** Plain-text rendering for messages: `AllOf[a, AnyOf[b, c]]`. */
export const formatExpression = (expr: ScopeExpression): string => {
  if (typeof expr === 'string') return expr;
  if ('AllOf' in expr) return `AllOf[${expr.AllOf.map(formatExpression).join(', ')}]`;
  return `AnyOf[${expr.AnyOf.map(formatExpression).join(', ')}]`;
};

const allOf = (...items: ScopeExpression[]): ScopeExpression => ({ AllOf: items });
const anyOf = (...items: ScopeExpression[]): ScopeExpression => ({ AnyOf: items });

type RunId = number | string;

/** A task queue given either way a task may name it (queue-inventory §17 "Identifiers"). */
export interface TaskQueueFields {
  readonly taskQueueId?: string;
  readonly provisionerId?: string;
  readonly workerType?: string;
}

/** The task-definition fields createTask/defineTask scopes depend on; absent ones take the task defaults. */
export interface TaskScopeFields extends TaskQueueFields {
  readonly scopes?: readonly string[];
  readonly routes?: readonly string[];
  readonly projectId?: string;
  readonly schedulerId?: string;
  readonly priority?: PriorityInput;
  readonly taskGroupId?: string;
}

/**
 * Resolve both spellings of a queue. Authorization of createTask runs before the task is
 * patched and validated, so a disagreement must be rejected here rather than authorizing
 * against one of the two.
 */
export const resolveTaskQueue = (q: TaskQueueFields) => {
  const fromParts = q.provisionerId !== undefined && q.workerType !== undefined
    ? `${q.provisionerId}/${q.workerType}`
    : undefined;
  if (q.taskQueueId !== undefined && fromParts !== undefined && q.taskQueueId !== fromParts) {
    throw inputError('taskQueueId must equal <provisionerId>/<workerType> when both are given', {
      taskQueueId: q.taskQueueId,
      provisionerId: q.provisionerId,
      workerType: q.workerType,
    });
  }
  const taskQueueId = q.taskQueueId ?? fromParts;
  if (taskQueueId === undefined) throw inputError('a task needs taskQueueId or provisionerId and workerType');
  // provisionerIds cannot contain '/', so the first slash separates the two parts.
  const slash = taskQueueId.indexOf('/');
  return {
    taskQueueId,
    provisionerId: slash < 0 ? taskQueueId : taskQueueId.slice(0, slash),
    workerType: slash < 0 ? '' : taskQueueId.slice(slash + 1),
  };
};

/** Bound on the remembered (priority, task queue) alternatives; a deployment has few queues. */
const MAX_REMEMBERED_QUEUES = 1000;
const rememberedAlternatives = new Map<PriorityInput, Map<string, ScopeExpression>>();

/**
 * `queue:create-task:<p>:<taskQueueId>` for every priority at or above `priority`. The same few
 * pairs recur on every createTask, so each is built once and kept, frozen.
 */
const priorityAlternatives = (priority: PriorityInput, taskQueueId: string): ScopeExpression => {
  let byQueue = rememberedAlternatives.get(priority);
  if (!byQueue) rememberedAlternatives.set(priority, (byQueue = new Map()));
  let expression = byQueue.get(taskQueueId);
  if (expression === undefined) {
    if (byQueue.size >= MAX_REMEMBERED_QUEUES) byQueue.clear();
    const alternatives = Object.freeze(prioritiesAtOrAbove(priority).map((p) => `queue:create-task:${p}:${taskQueueId}`));
    expression = Object.freeze({ AnyOf: alternatives as ScopeExpression[] });
    byQueue.set(taskQueueId, expression);
  }
  return expression;
};

/**
 * createTask and defineTask share everything except the legacy alternative, which only counts
 * for lowest-priority tasks (inventory §5.3: legacy scopes carry neither priority nor scheduler).
 * The legacy branch predates schedulerId and projectId scopes, so it stands in for both.
 */
const taskCreation = (
  taskId: string,
  task: TaskScopeFields,
  legacy: (ids: { provisionerId: string; workerType: string; schedulerId: string; taskGroupId: string }) => ScopeExpression,
): ScopeExpression => {
  const { taskQueueId, provisionerId, workerType } = resolveTaskQueue(task);
  // Defaults of the task schema (inventory §3, §17): scopes computed before patching must use them.
  const schedulerId = task.schedulerId ?? '-';
  const projectId = task.projectId ?? 'none';
  const taskGroupId = task.taskGroupId ?? taskId;
  const priority = task.priority ?? 'lowest';
  const modern = [
    `queue:create-task:project:${projectId}`,
    `queue:scheduler-id:${schedulerId}`,
    priorityAlternatives(priority, taskQueueId),
  ];
  const common = [...(task.scopes ?? []), ...(task.routes ?? []).map((r) => `queue:route:${r}`)];
  if (normalisePriority(priority) !== 'lowest') return allOf(...common, ...modern);
  return allOf(...common, anyOf(allOf(...modern), legacy({ provisionerId, workerType, schedulerId, taskGroupId })));
};

/** Scheduler-side task actions: per-task scope, per-project scope, or the scheduler's role. */
const schedulerAction =
  (action: 'schedule-task' | 'rerun-task' | 'cancel-task') =>
  ({ taskId, schedulerId, taskGroupId, projectId }: TaskRef): ScopeExpression =>
    anyOf(
      `queue:${action}:${schedulerId}/${taskGroupId}/${taskId}`,
      `queue:${action}-in-project:${projectId}`,
      allOf(`queue:${action}`, `assume:scheduler-id:${schedulerId}/${taskGroupId}`),
    );

/**
 * Worker-side run actions: the per-run scope (from the temporary credentials) or, for old
 * workers, the generic scope plus the worker's role. Without a worker (run never claimed)
 * only the per-run scope can apply.
 */
const runAction = (modern: string, generic: string, worker: Partial<WorkerRef>): ScopeExpression =>
  worker.workerGroup === undefined || worker.workerId === undefined
    ? modern
    : anyOf(modern, allOf(generic, `assume:worker-id:${worker.workerGroup}/${worker.workerId}`));

const getArtifacts = ({ names }: { names: readonly string[] }): ScopeExpression =>
  allOf(...names.map((n) => `queue:get-artifact:${n}`));

/** One scope per body property, so a declare call may be limited to some fields. */
const perProperty = (prefix: string, body: Readonly<Record<string, unknown>>): ScopeExpression =>
  allOf(...Object.keys(body).map((k) => `${prefix}#${k}`));

interface TaskRef {
  readonly taskId: string;
  readonly schedulerId: string;
  readonly taskGroupId: string;
  readonly projectId: string;
}
interface RunRef {
  readonly taskId: string;
  readonly runId: RunId;
}
interface WorkerRef {
  readonly workerGroup: string;
  readonly workerId: string;
}
type WorkerTypeRef = { readonly provisionerId: string; readonly workerType: string };
type WorkerFullRef = WorkerTypeRef & WorkerRef;
type Body = { readonly body: Readonly<Record<string, unknown>> };
const workerPath = (w: WorkerFullRef) => `${w.provisionerId}/${w.workerType}/${w.workerGroup}/${w.workerId}`;

/**
 * The scope expression of every queue operation, keyed by client method name. Parameters are
 * URL parameters and, where upstream authorizes inside the handler, values from the body or
 * the stored task/run/group.
 */
export const requiredScopes = {
  // Reading tasks and groups: every read needs a scope (inventory §17).
  task: ({ taskId }: { taskId: string }): ScopeExpression => `queue:get-task:${taskId}`,
  tasks: ({ taskIds }: { taskIds: readonly string[] }): ScopeExpression =>
    allOf(...taskIds.map((id) => `queue:get-task:${id}`)),
  statuses: ({ taskIds }: { taskIds: readonly string[] }): ScopeExpression =>
    allOf(...taskIds.map((id) => `queue:status:${id}`)),
  status: ({ taskId }: { taskId: string }): ScopeExpression => `queue:status:${taskId}`,
  listTaskGroup: ({ taskGroupId }: { taskGroupId: string }): ScopeExpression =>
    `queue:list-task-group:${taskGroupId}`,
  getTaskGroup: ({ taskGroupId }: { taskGroupId: string }): ScopeExpression =>
    `queue:list-task-group:${taskGroupId}`,
  // schedulerId comes from the stored task group.
  cancelTaskGroup: ({ schedulerId, taskGroupId }: { schedulerId: string; taskGroupId: string }): ScopeExpression =>
    `queue:cancel-task-group:${schedulerId}/${taskGroupId}`,
  sealTaskGroup: ({ schedulerId, taskGroupId }: { schedulerId: string; taskGroupId: string }): ScopeExpression =>
    `queue:seal-task-group:${schedulerId}/${taskGroupId}`,
  listDependentTasks: ({ taskId }: { taskId: string }): ScopeExpression => `queue:list-dependent-tasks:${taskId}`,

  // Creating and managing tasks (inventory §5.3, §17).
  createTask: ({ taskId, task }: { taskId: string; task: TaskScopeFields }): ScopeExpression =>
    taskCreation(taskId, task, ({ provisionerId, workerType, schedulerId, taskGroupId }) =>
      anyOf(
        `queue:create-task:${provisionerId}/${workerType}`,
        allOf(
          `queue:define-task:${provisionerId}/${workerType}`,
          `queue:task-group-id:${schedulerId}/${taskGroupId}`,
          `queue:schedule-task:${schedulerId}/${taskGroupId}/${taskId}`,
        ),
      ),
    ),
  defineTask: ({ taskId, task }: { taskId: string; task: TaskScopeFields }): ScopeExpression =>
    taskCreation(taskId, task, ({ provisionerId, workerType, schedulerId, taskGroupId }) =>
      anyOf(
        `queue:define-task:${provisionerId}/${workerType}`,
        `queue:create-task:${provisionerId}/${workerType}`,
        allOf(`queue:define-task:${provisionerId}/${workerType}`, `queue:task-group-id:${schedulerId}/${taskGroupId}`),
      ),
    ),
  // Values from the stored task.
  scheduleTask: schedulerAction('schedule-task'),
  rerunTask: schedulerAction('rerun-task'),
  cancelTask: schedulerAction('cancel-task'),
  changeTaskPriority: ({ taskId, taskQueueId }: { taskId: string; taskQueueId: string }): ScopeExpression =>
    anyOf(`queue:change-task-priority:${taskId}`, `queue:change-task-priority-in-queue:${taskQueueId}`),

  // Worker interface (inventory §5.4); workerGroup/workerId from the body or the stored run.
  claimWork: ({ taskQueueId, workerGroup, workerId }: { taskQueueId: string } & WorkerRef): ScopeExpression =>
    allOf(`queue:claim-work:${taskQueueId}`, `queue:worker-id:${workerGroup}/${workerId}`),
  claimTask: (p: TaskQueueFields & WorkerRef): ScopeExpression => {
    const { provisionerId, workerType } = resolveTaskQueue(p);
    return anyOf(
      allOf(`queue:claim-task:${provisionerId}/${workerType}`, `queue:worker-id:${p.workerGroup}/${p.workerId}`),
      allOf(
        'queue:claim-task',
        `assume:worker-type:${provisionerId}/${workerType}`,
        `assume:worker-id:${p.workerGroup}/${p.workerId}`,
      ),
    );
  },
  reclaimTask: ({ taskId, runId, ...w }: RunRef & Partial<WorkerRef>): ScopeExpression =>
    runAction(`queue:reclaim-task:${taskId}/${runId}`, 'queue:claim-task', w),
  reportCompleted: ({ taskId, runId, ...w }: RunRef & Partial<WorkerRef>): ScopeExpression =>
    runAction(`queue:resolve-task:${taskId}/${runId}`, 'queue:resolve-task', w),
  reportFailed: ({ taskId, runId, ...w }: RunRef & Partial<WorkerRef>): ScopeExpression =>
    runAction(`queue:resolve-task:${taskId}/${runId}`, 'queue:resolve-task', w),
  reportException: ({ taskId, runId, ...w }: RunRef & Partial<WorkerRef>): ScopeExpression =>
    runAction(`queue:resolve-task:${taskId}/${runId}`, 'queue:resolve-task', w),

  // Artifacts (inventory §8.2-§8.5, §17). finishArtifact shares createArtifact's scopes (§8.3).
  createArtifact: ({ taskId, runId, name, ...w }: RunRef & { name: string } & Partial<WorkerRef>): ScopeExpression =>
    runAction(`queue:create-artifact:${taskId}/${runId}`, `queue:create-artifact:${name}`, w),
  finishArtifact: ({ taskId, runId, name, ...w }: RunRef & { name: string } & Partial<WorkerRef>): ScopeExpression =>
    runAction(`queue:create-artifact:${taskId}/${runId}`, `queue:create-artifact:${name}`, w),
  // `names`: the requested name plus every name reached by following link artifacts.
  getArtifact: getArtifacts,
  getLatestArtifact: getArtifacts,
  artifact: getArtifacts,
  latestArtifact: getArtifacts,
  listArtifacts: ({ taskId, runId }: RunRef): ScopeExpression => `queue:list-artifacts:${taskId}:${runId}`,
  listLatestArtifacts: ({ taskId }: { taskId: string }): ScopeExpression => `queue:list-artifacts:${taskId}`,
  artifactInfo: ({ taskId, runId }: RunRef): ScopeExpression => `queue:list-artifacts:${taskId}:${runId}`,
  latestArtifactInfo: ({ taskId }: { taskId: string }): ScopeExpression => `queue:list-artifacts:${taskId}`,

  // Provisioners, worker types, task queues, workers (inventory §11.2, §17).
  listProvisioners: (): ScopeExpression => 'queue:list-provisioners',
  getProvisioner: ({ provisionerId }: { provisionerId: string }): ScopeExpression =>
    `queue:get-provisioner:${provisionerId}`,
  declareProvisioner: ({ provisionerId, body }: { provisionerId: string } & Body): ScopeExpression =>
    perProperty(`queue:declare-provisioner:${provisionerId}`, body),
  pendingTasks: ({ taskQueueId }: { taskQueueId: string }): ScopeExpression => `queue:pending-count:${taskQueueId}`,
  taskQueueCounts: ({ taskQueueId }: { taskQueueId: string }): ScopeExpression =>
    allOf(`queue:pending-count:${taskQueueId}`, `queue:claimed-count:${taskQueueId}`),
  listPendingTasks: ({ taskQueueId }: { taskQueueId: string }): ScopeExpression => `queue:pending-list:${taskQueueId}`,
  listClaimedTasks: ({ taskQueueId }: { taskQueueId: string }): ScopeExpression => `queue:claimed-list:${taskQueueId}`,
  listWorkerTypes: ({ provisionerId }: { provisionerId: string }): ScopeExpression =>
    `queue:list-worker-types:${provisionerId}`,
  getWorkerType: ({ provisionerId, workerType }: WorkerTypeRef): ScopeExpression =>
    `queue:get-worker-type:${provisionerId}/${workerType}`,
  declareWorkerType: ({ provisionerId, workerType, body }: WorkerTypeRef & Body): ScopeExpression =>
    perProperty(`queue:declare-worker-type:${provisionerId}/${workerType}`, body),
  listTaskQueues: (): ScopeExpression => 'queue:list-task-queues',
  getTaskQueue: ({ taskQueueId }: { taskQueueId: string }): ScopeExpression => `queue:get-task-queue:${taskQueueId}`,
  listWorkers: ({ provisionerId, workerType }: WorkerTypeRef): ScopeExpression =>
    `queue:list-workers:${provisionerId}/${workerType}`,
  getWorker: (w: WorkerFullRef): ScopeExpression => `queue:get-worker:${workerPath(w)}`,
  quarantineWorker: (w: WorkerFullRef): ScopeExpression => allOf(`queue:quarantine-worker:${workerPath(w)}`),
  declareWorker: ({ body, ...w }: WorkerFullRef & Body): ScopeExpression =>
    perProperty(`queue:declare-worker:${workerPath(w)}`, body),
} as const;

export type QueueOperation = keyof typeof requiredScopes;
