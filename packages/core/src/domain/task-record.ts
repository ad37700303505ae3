import type { Run, TaskDefinition, TaskState, TaskStatus } from '../schemas/task';

/** The one record per task: its definition, its runs (index = runId) and the retries left. */
export interface TaskRecord {
  readonly taskId: string;
  readonly definition: TaskDefinition;
  readonly runs: readonly Run[];
  readonly retriesLeft: number;
}

/** Runs are appended up to this many (retries ≤ 49 keep automatic retries below it). */
export const MAX_RUNS = 50;

export const lastRun = (task: TaskRecord): Run | undefined => task.runs[task.runs.length - 1];

export const taskState = (task: TaskRecord): TaskState => lastRun(task)?.state ?? 'unscheduled';

export const isResolvedState = (state: TaskState): boolean =>
  state === 'completed' || state === 'failed' || state === 'exception';

export const isResolved = (task: TaskRecord): boolean => isResolvedState(taskState(task));

export const toStatus = (task: TaskRecord): TaskStatus => {
  const d = task.definition;
  return {
    taskId: task.taskId,
    provisionerId: d.provisionerId,
    workerType: d.workerType,
    taskQueueId: d.taskQueueId,
    schedulerId: d.schedulerId,
    projectId: d.projectId,
    taskGroupId: d.taskGroupId,
    deadline: d.deadline,
    expires: d.expires,
    retriesLeft: task.retriesLeft,
    state: taskState(task),
    runs: task.runs as Run[],
  };
};

/** Only the last run may be pending or running; runId equals the index. */
export const invariantViolation = (task: TaskRecord): string | undefined => {
  for (const [index, run] of task.runs.entries()) {
    if (run.runId !== index) return `run ${index} has runId ${run.runId}`;
    const active = run.state === 'pending' || run.state === 'running';
    if (active && index !== task.runs.length - 1) return `run ${index} is ${run.state} but is not the last run`;
  }
  return undefined;
};
