import { conflict, DomainError, notFound } from '../errors';
import type { ReasonResolved, Run } from '../schemas/task';
import type { Priority } from './priorities';
import { lastRun, MAX_RUNS, type TaskRecord } from './task-record';
import { iso, ms } from './time';

/**
 * The task/run state machine (queue-inventory §4.2) as pure functions
 * `(task, ..., now) → task | DomainError`. Returning the same object means "nothing to change",
 * which makes every transition safe to apply twice.
 */
export type Outcome = TaskRecord | DomainError;

export interface WorkerRef {
  readonly workerGroup: string;
  readonly workerId: string;
}

export type ExceptionReason =
  | 'worker-shutdown'
  | 'malformed-payload'
  | 'resource-unavailable'
  | 'internal-error'
  | 'superseded'
  | 'intermittent-task';

export type Resolution =
  | { readonly state: 'completed' }
  | { readonly state: 'failed' }
  | { readonly state: 'exception'; readonly reason: ExceptionReason };

const pastDeadline = (task: TaskRecord, now: number) => ms(task.definition.deadline) <= now;

const withRuns = (task: TaskRecord, runs: readonly Run[], retriesLeft = task.retriesLeft): TaskRecord => ({
  ...task,
  runs,
  retriesLeft,
});

const replaceLast = (task: TaskRecord, run: Run): readonly Run[] => [...task.runs.slice(0, -1), run];

/*
 * Changed runs are written out field by field rather than as `{ ...run, newField }`: on Node 20,
 * V8 builds a spread followed by fields the source lacks on a slow path (about 2 µs for a claim,
 * 50 times the literal), and every claim and report changes a run.
 */

/** A pending run taken by a worker: every field a claim sets. */
const runningRun = (run: Run, worker: WorkerRef, takenUntil: string, started: string): Run => ({
  runId: run.runId,
  state: 'running',
  reasonCreated: run.reasonCreated,
  workerGroup: worker.workerGroup,
  workerId: worker.workerId,
  takenUntil,
  scheduled: run.scheduled,
  started,
});

/** A pending or running run, resolved; a run a worker held keeps its worker fields. */
const resolvedRun = (run: Run, state: Run['state'], reasonResolved: ReasonResolved, resolved: string): Run =>
  run.started === undefined
    ? { runId: run.runId, state, reasonCreated: run.reasonCreated, reasonResolved, scheduled: run.scheduled, resolved }
    : {
        runId: run.runId,
        state,
        reasonCreated: run.reasonCreated,
        reasonResolved,
        workerGroup: run.workerGroup,
        workerId: run.workerId,
        takenUntil: run.takenUntil,
        scheduled: run.scheduled,
        started: run.started,
        resolved,
      };

const newRun = (task: TaskRecord, reasonCreated: Run['reasonCreated'], now: number): Run => ({
  runId: task.runs.length,
  state: 'pending',
  reasonCreated,
  scheduled: iso(now),
});

const findRun = (task: TaskRecord, runId: number): Run | DomainError =>
  task.runs[runId] ?? notFound(`Run ${runId} not found on task ${task.taskId}`, { taskId: task.taskId, runId });

/** Why an automatic retry run is created after a resolution, if any. */
const retryReason = (reason: ReasonResolved): Run['reasonCreated'] | undefined => {
  if (reason === 'worker-shutdown' || reason === 'claim-expired') return 'retry';
  if (reason === 'intermittent-task') return 'task-retry';
  return undefined;
};

/** Resolves the last run; appends a retry run when the reason allows it and retries remain. */
const resolveLast = (task: TaskRecord, state: Run['state'], reason: ReasonResolved, now: number): TaskRecord => {
  const run = lastRun(task)!;
  const runs = replaceLast(task, resolvedRun(run, state, reason, iso(now)));
  const retry = retryReason(reason);
  if (retry && task.retriesLeft > 0 && runs.length < MAX_RUNS) {
    const resolved = withRuns(task, runs);
    return withRuns(resolved, [...runs, newRun(resolved, retry, now)], task.retriesLeft - 1);
  }
  return withRuns(task, runs);
};

/** Adds run 0 `pending`/`scheduled`; no-op when the task already has runs. */
export const schedule = (task: TaskRecord, now: number): Outcome => {
  if (pastDeadline(task, now)) return conflict(`Task ${task.taskId} can't be scheduled past its deadline`);
  if (task.runs.length > 0) return task;
  return withRuns(task, [newRun(task, 'scheduled', now)]);
};

/** A worker takes the pending last run until `takenUntil`. */
export const claim = (task: TaskRecord, runId: number, worker: WorkerRef, takenUntil: number, now: number): Outcome => {
  const run = findRun(task, runId);
  if (run instanceof DomainError) return run;
  if (pastDeadline(task, now)) return conflict(`Task ${task.taskId} is past its deadline`);
  if (runId !== task.runs.length - 1 || run.state !== 'pending') {
    return conflict(`Run ${runId} of task ${task.taskId} is not pending (it is ${run.state})`);
  }
  return withRuns(task, replaceLast(task, runningRun(run, worker, iso(takenUntil), iso(now))));
};

/** Extends the claim of the running last run. */
export const reclaim = (task: TaskRecord, runId: number, takenUntil: number, now: number): Outcome => {
  const run = findRun(task, runId);
  if (run instanceof DomainError) return run;
  if (pastDeadline(task, now)) return conflict(`Task ${task.taskId} is past its deadline`);
  if (runId !== task.runs.length - 1 || run.state !== 'running') {
    return conflict(`Run ${runId} of task ${task.taskId} was resolved or is not running`);
  }
  if (run.takenUntil !== undefined && ms(run.takenUntil) >= takenUntil) return task;
  return withRuns(task, replaceLast(task, { ...run, takenUntil: iso(takenUntil) }));
};

/** Whether `run` already carries exactly this resolution (then reporting it again is a no-op). */
const hasResolution = (run: Run, resolution: Resolution): boolean =>
  run.state === resolution.state &&
  run.reasonResolved === (resolution.state === 'exception' ? resolution.reason : resolution.state);

/** reportCompleted / reportFailed / reportException. Repeating the same report changes nothing. */
export const resolve = (task: TaskRecord, runId: number, resolution: Resolution, now: number): Outcome => {
  const run = findRun(task, runId);
  if (run instanceof DomainError) return run;
  const isLast = runId === task.runs.length - 1;
  if (isLast && run.state === 'running') {
    const reason = resolution.state === 'exception' ? resolution.reason : resolution.state;
    return resolveLast(task, resolution.state, reason, now);
  }
  // Already resolved this way: the last run, or the run just before its automatic retry.
  const retried = runId === task.runs.length - 2 && retryReason(run.reasonResolved ?? 'completed') !== undefined;
  if ((isLast || retried) && hasResolution(run, resolution)) return task;
  return conflict(`Run ${runId} of task ${task.taskId} is not running and was not resolved this way`, {
    state: run.state,
    reasonResolved: run.reasonResolved,
  });
};

/** The claim of a running run lapsed (its takenUntil passed before the deadline). */
export const expireClaim = (task: TaskRecord, runId: number, now: number): TaskRecord => {
  const run = task.runs[runId];
  if (!run || run.state !== 'running' || runId !== task.runs.length - 1) return task;
  if (run.takenUntil === undefined || ms(run.takenUntil) > now) return task;
  if (pastDeadline(task, now)) return task; // the deadline resolver owns this task now
  return resolveLast(task, 'exception', 'claim-expired', now);
};

/** Resolves whatever is unresolved once the deadline has passed. */
export const exceedDeadline = (task: TaskRecord, now: number): TaskRecord => {
  if (!pastDeadline(task, now)) return task;
  const run = lastRun(task);
  if (!run) {
    return withRuns(task, [
      {
        runId: 0,
        state: 'exception',
        reasonCreated: 'exception',
        reasonResolved: 'deadline-exceeded',
        scheduled: iso(now),
        resolved: iso(now),
      },
    ]);
  }
  if (run.state !== 'pending' && run.state !== 'running') return task;
  return withRuns(task, replaceLast(task, resolvedRun(run, 'exception', 'deadline-exceeded', iso(now))));
};

/** cancelTask: an unscheduled, pending or running task ends `exception`/`canceled`. */
export const cancel = (task: TaskRecord, now: number): Outcome => {
  if (pastDeadline(task, now)) return conflict(`Task ${task.taskId} can't be canceled past its deadline`);
  const run = lastRun(task);
  if (!run) {
    return withRuns(task, [
      {
        runId: 0,
        state: 'exception',
        reasonCreated: 'exception',
        reasonResolved: 'canceled',
        scheduled: iso(now),
        resolved: iso(now),
      },
    ]);
  }
  if (run.state !== 'pending' && run.state !== 'running') return task;
  return withRuns(task, replaceLast(task, resolvedRun(run, 'exception', 'canceled', iso(now))));
};

/** rerunTask: a new pending run for a task that is not pending or running, up to MAX_RUNS. */
export const rerun = (task: TaskRecord, now: number): Outcome => {
  if (pastDeadline(task, now)) return conflict(`Task ${task.taskId} can't be rerun past its deadline`);
  const run = lastRun(task);
  if (run && (run.state === 'pending' || run.state === 'running')) return task;
  if (task.runs.length >= MAX_RUNS) return conflict(`Maximum number of runs reached (${MAX_RUNS})`);
  const runs = [...task.runs, newRun(task, 'rerun', now)];
  return withRuns(task, runs, Math.min(task.definition.retries, MAX_RUNS - runs.length));
};

/** changeTaskPriority: only while the task is unresolved and before its deadline. */
export const changePriority = (task: TaskRecord, priority: Priority, now: number): Outcome => {
  if (pastDeadline(task, now)) return conflict(`Task ${task.taskId} is past its deadline`);
  const run = lastRun(task);
  if (run && run.state !== 'pending' && run.state !== 'running') {
    return conflict(`Task ${task.taskId} is resolved; its priority can't change`);
  }
  if (task.definition.priority === priority) return task;
  return { ...task, definition: { ...task.definition, priority } };
};
