import fc from 'fast-check';
import { DomainError } from '../../errors';
import { PRIORITIES, type Priority } from '../../domain/priorities';
import { invariantViolation, type TaskRecord } from '../../domain/task-record';
import { iso, MINUTE } from '../../domain/time';
import { EXCEPTION_REASONS, type ExceptionReason } from '../../schemas/work';
import { base64url } from '../../testing/in-memory-ids';
import { root, setup, type Setup } from './fixtures';

/**
 * Model-based property test: random sequences of queue operations run against
 * `createInMemoryQueue()` (fake clock) and against the small reference model below; after every
 * step the queue must agree with the model (runs, retriesLeft, takenUntil, the answer or domain
 * error of each call) and keep the invariants of the state machine (queue-inventory §4, §9, §12,
 * §13):
 *   1. only the last run of a task is pending or running;
 *   2. every pending run is claimable exactly once (each claimWork takes as many as it may; at the
 *      end, draining claimWork on each queue claims every pending run and no other);
 *   3. a claimed run is never claimed again;
 *   4. after the jobs, a dependent is scheduled iff its requirements are met;
 *   5. after the jobs, a group whose members all resolved was announced task-group-resolved since
 *      its last member resolved (and never while a member is unresolved);
 *   6. taskQueueCounts matches the pending and running runs of each queue.
 *
 * Dependencies are modelled as upstream stores them: an edge is satisfied once its required task
 * was seen in a satisfying state (at the dependent's creation, or when the dependency resolver
 * handles the required task's resolution) and stays satisfied, even if the required task is rerun
 * later (upstream deletes the TaskRequirement row). scheduleTask, rerunTask, cancelTask(Group)
 * and the deadline bypass dependencies.
 */

const CLAIM_TIMEOUT = 10 * MINUTE;
const MAX_RUNS = 50;
const QUEUES = ['prov/wt-a', 'prov/wt-b'] as const;
const worker = { workerGroup: 'wg', workerId: 'w1' };

/** A valid v4 slugid made from a number, so every run of the property sees the same ids. */
const slug = (n: number): string => {
  const bytes = new Uint8Array(16);
  bytes[0] = 0x20;
  bytes[1] = (n >> 8) & 0xff;
  bytes[2] = n & 0xff;
  bytes[6] = 0x40;
  bytes[8] = 0x80;
  return base64url(bytes);
};
const GROUPS = [slug(1000), slug(1001)] as const;
const MISSING_TASK = slug(9999);

// ---------------------------------------------------------------------------------------------
// Steps

type Requires = 'all-completed' | 'all-resolved';
type RunPick = 'last' | 'previous' | 'missing';
/** Which task a step acts on: an index into the created tasks (or into the running ones). */
interface Target {
  readonly index: number;
  readonly running: boolean;
}

type Step =
  | {
      readonly kind: 'createTask' | 'defineTask';
      readonly priority: Priority;
      readonly dependencies: readonly number[];
      readonly requires: Requires;
      readonly group: number;
      readonly retries: number;
      readonly queue: number;
      readonly deadlineMinutes: number;
    }
  | { readonly kind: 'scheduleTask' | 'rerunTask' | 'cancelTask'; readonly target: Target }
  /** `busy`: claim from a queue with pending work, if there is one. */
  | { readonly kind: 'claimWork'; readonly queue: number; readonly busy: boolean; readonly tasks: number }
  | { readonly kind: 'reclaimTask'; readonly target: Target; readonly run: RunPick }
  | {
      readonly kind: 'report';
      readonly outcome: 'completed' | 'failed' | 'exception';
      readonly reason: ExceptionReason;
      readonly target: Target;
      readonly run: RunPick;
    }
  | { readonly kind: 'sealTaskGroup' | 'cancelTaskGroup'; readonly group: number }
  | { readonly kind: 'advance'; readonly ms: number; readonly runJobs: boolean }
  | { readonly kind: 'advancePastDeadline'; readonly extra: number; readonly runJobs: boolean }
  | { readonly kind: 'runJobs'; readonly expiry: boolean };

/** Three times in four a step on a run picks a running task, if there is one. */
const target = fc.record({ index: fc.nat(50), running: fc.constantFrom(true, true, true, false) });
const runPick = fc.constantFrom<RunPick>('last', 'last', 'last', 'previous', 'missing');

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constantFrom<'createTask' | 'defineTask'>('createTask', 'createTask', 'createTask', 'createTask', 'defineTask'),
      priority: fc.constantFrom(...PRIORITIES),
      // Half of the tasks have no dependency, so that there is work to claim.
      dependencies: fc.oneof(fc.constant([]), fc.array(fc.nat(50), { minLength: 1, maxLength: 3 })),
      requires: fc.constantFrom<Requires>('all-completed', 'all-resolved'),
      group: fc.nat(1),
      retries: fc.integer({ min: 0, max: 2 }),
      queue: fc.nat(1),
      deadlineMinutes: fc.integer({ min: 60, max: 180 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('scheduleTask' as const), target }) },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('claimWork' as const),
      queue: fc.nat(1),
      busy: fc.constantFrom(true, true, true, false),
      tasks: fc.integer({ min: 1, max: 3 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('reclaimTask' as const), target, run: runPick }) },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('report' as const),
      outcome: fc.constantFrom<'completed' | 'failed' | 'exception'>('completed', 'completed', 'failed', 'exception', 'exception'),
      // The retried reasons twice as often as the others.
      reason: fc.constantFrom<ExceptionReason>(...EXCEPTION_REASONS, 'worker-shutdown', 'intermittent-task'),
      target,
      run: runPick,
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('rerunTask' as const), target }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancelTask' as const), target }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom<'sealTaskGroup' | 'cancelTaskGroup'>('sealTaskGroup', 'cancelTaskGroup'), group: fc.nat(1) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('advance' as const),
      ms: fc.integer({ min: 0, max: CLAIM_TIMEOUT + MINUTE }),
      runJobs: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('advancePastDeadline' as const),
      extra: fc.integer({ min: 0, max: 5 * MINUTE }),
      runJobs: fc.boolean(),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('runJobs' as const), expiry: fc.boolean() }) },
);

// ---------------------------------------------------------------------------------------------
// The reference model

type RunState = 'pending' | 'running' | 'completed' | 'failed' | 'exception';
type State = RunState | 'unscheduled';

interface ModelRun {
  state: RunState;
  readonly reasonCreated: string;
  reasonResolved?: string;
  takenUntil?: number;
}

interface ModelTask {
  readonly taskId: string;
  readonly queue: string;
  readonly group: string;
  /** Required tasks, without the self-dependency of defineTask. */
  readonly deps: readonly string[];
  readonly selfDep: boolean;
  readonly requires: Requires;
  readonly retries: number;
  readonly deadline: number;
  retriesLeft: number;
  runs: ModelRun[];
  /** Dependencies whose edge was seen satisfied (sticky). */
  readonly satisfied: Set<string>;
  /** Run 0 came from scheduleTask, bypassing the dependencies. */
  scheduledByCall: boolean;
}

const lastOf = (t: ModelTask): ModelRun | undefined => t.runs[t.runs.length - 1];
const stateOf = (t: ModelTask): State => lastOf(t)?.state ?? 'unscheduled';
const isResolvedState = (s: State) => s === 'completed' || s === 'failed' || s === 'exception';
const isActiveState = (s: State) => s === 'pending' || s === 'running';
const retryReason = (reason: string): string | undefined =>
  reason === 'worker-shutdown' || reason === 'claim-expired' ? 'retry' : reason === 'intermittent-task' ? 'task-retry' : undefined;
const satisfies = (required: State, requires: Requires) =>
  requires === 'all-completed' ? required === 'completed' : isResolvedState(required);

type Code = 'ok' | 'ResourceNotFound' | 'RequestConflict' | 'InputError';

class Model {
  readonly tasks: ModelTask[] = [];
  readonly byId = new Map<string, ModelTask>();
  readonly groups = new Map<string, { sealed: boolean }>();
  constructor(public now: number) {}

  private past(t: ModelTask) {
    return t.deadline <= this.now;
  }

  /** All edges of `t` satisfied (never for a defineTask's self-dependency). */
  unblocked(t: ModelTask) {
    return !t.selfDep && t.deps.every((d) => t.satisfied.has(d));
  }

  /** Marks the edges whose required task is, right now, in a state that satisfies them. */
  private observeDependencies(t: ModelTask) {
    for (const d of t.deps) if (satisfies(stateOf(this.byId.get(d)!), t.requires)) t.satisfied.add(d);
  }

  private resolveLast(t: ModelTask, state: RunState, reason: string) {
    const run = lastOf(t)!;
    run.state = state;
    run.reasonResolved = reason;
    const retry = retryReason(reason);
    if (retry && t.retriesLeft > 0 && t.runs.length < MAX_RUNS) {
      t.runs.push({ state: 'pending', reasonCreated: retry });
      t.retriesLeft--;
    }
  }

  create(def: Omit<ModelTask, 'retriesLeft' | 'runs' | 'satisfied' | 'scheduledByCall'>): Code {
    if (this.groups.get(def.group)?.sealed) return 'RequestConflict';
    if (!this.groups.has(def.group)) this.groups.set(def.group, { sealed: false });
    const t: ModelTask = { ...def, retriesLeft: def.retries, runs: [], satisfied: new Set(), scheduledByCall: false };
    this.tasks.push(t);
    this.byId.set(t.taskId, t);
    this.observeDependencies(t);
    if (this.unblocked(t)) t.runs.push({ state: 'pending', reasonCreated: 'scheduled' });
    return 'ok';
  }

  schedule(t: ModelTask): Code {
    // As upstream: past the deadline is a 409 even when runs exist (queue-inventory §5.3).
    if (this.past(t)) return 'RequestConflict';
    if (t.runs.length > 0) return 'ok';
    t.runs.push({ state: 'pending', reasonCreated: 'scheduled' });
    t.scheduledByCall = true;
    return 'ok';
  }

  claim(t: ModelTask) {
    const run = lastOf(t)!;
    run.state = 'running';
    run.takenUntil = this.now + CLAIM_TIMEOUT;
  }

  reclaim(t: ModelTask, runId: number): Code {
    const run = t.runs[runId];
    if (!run) return 'ResourceNotFound';
    if (this.past(t)) return 'RequestConflict';
    if (runId !== t.runs.length - 1 || run.state !== 'running') return 'RequestConflict';
    run.takenUntil = Math.max(run.takenUntil ?? 0, this.now + CLAIM_TIMEOUT);
    return 'ok';
  }

  report(t: ModelTask, runId: number, state: 'completed' | 'failed' | 'exception', reason: string): Code {
    const run = t.runs[runId];
    if (!run) return 'ResourceNotFound';
    const isLast = runId === t.runs.length - 1;
    if (isLast && run.state === 'running') {
      this.resolveLast(t, state, reason);
      return 'ok';
    }
    const retried = runId === t.runs.length - 2 && retryReason(run.reasonResolved ?? 'completed') !== undefined;
    if ((isLast || retried) && run.state === state && run.reasonResolved === reason) return 'ok';
    return 'RequestConflict';
  }

  rerun(t: ModelTask): Code {
    if (this.past(t)) return 'RequestConflict';
    if (isActiveState(stateOf(t))) return 'ok';
    if (t.runs.length >= MAX_RUNS) return 'RequestConflict';
    t.runs.push({ state: 'pending', reasonCreated: 'rerun' });
    t.retriesLeft = Math.min(t.retries, MAX_RUNS - t.runs.length);
    return 'ok';
  }

  /** cancelTask; returns whether the task changed, or the error. */
  cancel(t: ModelTask): Code | 'changed' {
    if (this.past(t)) return 'RequestConflict';
    const run = lastOf(t);
    if (!run) {
      t.runs.push({ state: 'exception', reasonCreated: 'exception', reasonResolved: 'canceled' });
      return 'changed';
    }
    if (!isActiveState(run.state)) return 'ok';
    run.state = 'exception';
    run.reasonResolved = 'canceled';
    return 'changed';
  }

  /** What the background jobs do until none has anything left: claim reaper, deadline reaper, dependency resolver. */
  runJobs() {
    for (let changed = true; changed; ) {
      changed = false;
      for (const t of this.tasks) {
        const run = lastOf(t);
        if (run?.state === 'running' && run.takenUntil! <= this.now && !this.past(t)) {
          this.resolveLast(t, 'exception', 'claim-expired');
          changed = true;
        }
      }
      for (const t of this.tasks) {
        if (!this.past(t) || isResolvedState(stateOf(t))) continue;
        const run = lastOf(t);
        if (run) {
          run.state = 'exception';
          run.reasonResolved = 'deadline-exceeded';
        } else {
          t.runs.push({ state: 'exception', reasonCreated: 'exception', reasonResolved: 'deadline-exceeded' });
        }
        changed = true;
      }
      // The resolver re-reads each resolved task and satisfies edges from its state *now*: a
      // task rerun before the resolver saw its completion satisfies nothing (upstream satisfies
      // from the resolution carried in the notice; reported to the lead). Edges already
      // satisfied stay satisfied.
      for (const t of this.tasks) this.observeDependencies(t);
      for (const t of this.tasks) {
        if (t.runs.length === 0 && t.deps.length > 0 && this.unblocked(t) && !this.past(t)) {
          t.runs.push({ state: 'pending', reasonCreated: 'scheduled' });
          changed = true;
        }
      }
    }
  }

  /** Pending runs of a queue that a claimWork may take now (not past their deadline). */
  claimable(queue: string) {
    return this.tasks.filter((t) => t.queue === queue && stateOf(t) === 'pending' && !this.past(t));
  }
}

// ---------------------------------------------------------------------------------------------
// Driving the queue

/** The call's outcome as a code; anything but an expected domain error is rethrown. */
const attempt = async <T>(call: () => Promise<T>): Promise<{ code: Code; value?: T }> => {
  try {
    return { code: 'ok', value: await call() };
  } catch (error) {
    if (error instanceof DomainError && (error.code === 'ResourceNotFound' || error.code === 'RequestConflict' || error.code === 'InputError')) {
      return { code: error.code };
    }
    throw error;
  }
};

const fail = (message: string): never => {
  throw new Error(message);
};

/** The part of a run both sides know. */
const runView = (run: { state: string; reasonCreated: string; reasonResolved?: string }, runId: number, takenUntil?: string) => ({
  runId,
  state: run.state,
  reasonCreated: run.reasonCreated,
  reasonResolved: run.reasonResolved,
  takenUntil: run.state === 'running' ? takenUntil : undefined,
});

class Harness {
  readonly env: Setup = setup({ config: { claimTimeout: CLAIM_TIMEOUT } });
  readonly model = new Model(this.env.clock.now());
  /** Every (taskId/runId) any claimWork returned. */
  readonly claimed = new Set<string>();
  /** Per group: the event index from which a task-group-resolved must follow (its last member resolution). */
  readonly lastMemberResolvedAt = new Map<string, number>();
  private nextId = 0;

  private pickTask(t: Target): ModelTask | undefined {
    const running = this.model.tasks.filter((task) => stateOf(task) === 'running');
    const pool = t.running && running.length > 0 ? running : this.model.tasks;
    return pool[t.index % Math.max(pool.length, 1)];
  }

  private pickRun(task: ModelTask | undefined, pick: RunPick): number {
    const length = task?.runs.length ?? 0;
    if (pick === 'missing') return length;
    return Math.max(0, pick === 'last' ? length - 1 : length - 2);
  }

  async record(taskId: string): Promise<TaskRecord> {
    return (await this.env.ports.tasks.get(taskId))?.value ?? fail(`task ${taskId} is missing from the store`);
  }

  private expectCode(step: Step, actual: Code, expected: Code) {
    if (actual !== expected) fail(`${step.kind}: the queue answered ${actual}, the model expected ${expected}`);
  }

  async apply(step: Step): Promise<boolean> {
    const { queue } = this.env;
    const { model } = this;
    switch (step.kind) {
      case 'createTask':
      case 'defineTask': {
        const taskId = slug(this.nextId++);
        const deps = [...new Set(step.dependencies.filter(() => model.tasks.length > 0).map((i) => model.tasks[i % model.tasks.length]!.taskId))];
        const now = this.env.clock.now();
        const body = {
          taskQueueId: QUEUES[step.queue]!,
          taskGroupId: GROUPS[step.group]!,
          created: iso(now),
          deadline: iso(now + step.deadlineMinutes * MINUTE),
          priority: step.priority,
          retries: step.retries,
          dependencies: deps,
          requires: step.requires,
          payload: {},
          metadata: { name: 'model', description: 'a task', owner: 'me@example.com', source: 'https://example.com/model' },
        };
        const { code } = await attempt(() => queue[step.kind](root, taskId, body));
        const expected = model.create({
          taskId,
          queue: body.taskQueueId,
          group: body.taskGroupId,
          deps,
          selfDep: step.kind === 'defineTask',
          requires: step.requires,
          retries: step.retries,
          deadline: now + step.deadlineMinutes * MINUTE,
        });
        this.expectCode(step, code, expected);
        return false;
      }
      case 'scheduleTask':
      case 'rerunTask':
      case 'cancelTask': {
        const task = this.pickTask(step.target);
        const { code } = await attempt(() => queue[step.kind](root, task?.taskId ?? MISSING_TASK));
        const expected: Code = !task
          ? 'ResourceNotFound'
          : step.kind === 'scheduleTask'
            ? model.schedule(task)
            : step.kind === 'rerunTask'
              ? model.rerun(task)
              : ((c) => (c === 'changed' ? 'ok' : c))(model.cancel(task));
        this.expectCode(step, code, expected);
        return false;
      }
      case 'claimWork': {
        const busy = QUEUES.filter((q) => model.claimable(q).length > 0);
        const taskQueueId = step.busy && busy.length > 0 ? busy[step.queue % busy.length]! : QUEUES[step.queue]!;
        const claimable = model.claimable(taskQueueId);
        const { tasks } = await queue.claimWork(root, taskQueueId, { ...worker, tasks: step.tasks });
        this.takeClaims(taskQueueId, tasks, claimable);
        // Invariant 2 (while running): every claimable pending run can be claimed.
        const want = Math.min(step.tasks, claimable.length);
        if (tasks.length !== want) fail(`claimWork(${taskQueueId}, ${step.tasks}) claimed ${tasks.length} runs; ${claimable.length} were pending`);
        return false;
      }
      case 'reclaimTask': {
        const task = this.pickTask(step.target);
        const runId = this.pickRun(task, step.run);
        const { code } = await attempt(() => queue.reclaimTask(root, task?.taskId ?? MISSING_TASK, runId));
        this.expectCode(step, code, task ? model.reclaim(task, runId) : 'ResourceNotFound');
        return false;
      }
      case 'report': {
        const task = this.pickTask(step.target);
        const runId = this.pickRun(task, step.run);
        const taskId = task?.taskId ?? MISSING_TASK;
        const { code } = await attempt(() =>
          step.outcome === 'completed'
            ? queue.reportCompleted(root, taskId, runId)
            : step.outcome === 'failed'
              ? queue.reportFailed(root, taskId, runId)
              : queue.reportException(root, taskId, runId, { reason: step.reason }),
        );
        const reason = step.outcome === 'exception' ? step.reason : step.outcome;
        this.expectCode(step, code, task ? model.report(task, runId, step.outcome, reason) : 'ResourceNotFound');
        return false;
      }
      case 'sealTaskGroup': {
        const taskGroupId = GROUPS[step.group]!;
        const { code } = await attempt(() => queue.sealTaskGroup(root, taskGroupId));
        const group = model.groups.get(taskGroupId);
        if (group) group.sealed = true;
        this.expectCode(step, code, group ? 'ok' : 'ResourceNotFound');
        return false;
      }
      case 'cancelTaskGroup': {
        const taskGroupId = GROUPS[step.group]!;
        const { code, value } = await attempt(() => queue.cancelTaskGroup(root, taskGroupId));
        const group = model.groups.get(taskGroupId);
        const members = model.tasks.filter((t) => t.group === taskGroupId);
        const canceled = group?.sealed ? members.filter((t) => model.cancel(t) === 'changed').map((t) => t.taskId) : [];
        this.expectCode(step, code, !group ? 'ResourceNotFound' : group.sealed ? 'ok' : 'RequestConflict');
        if (value) {
          expect({ size: value.taskGroupSize, canceled: [...value.taskIds].sort() }).toEqual({
            size: members.length,
            canceled: canceled.sort(),
          });
        }
        return false;
      }
      case 'advance':
      case 'advancePastDeadline': {
        let by = step.kind === 'advance' ? step.ms : 0;
        if (step.kind === 'advancePastDeadline') {
          const open = model.tasks.filter((t) => !isResolvedState(stateOf(t)) && t.deadline > model.now).map((t) => t.deadline);
          by = (open.length > 0 ? Math.min(...open) - model.now : 60 * MINUTE) + step.extra;
        }
        await this.env.clock.advance(by);
        model.now = this.env.clock.now();
        if (step.runJobs) await this.runJobs(false);
        return step.runJobs;
      }
      case 'runJobs':
        await this.runJobs(step.expiry);
        return true;
    }
  }

  async runJobs(expiry: boolean) {
    await this.env.runJobs();
    if (expiry) {
      const { jobs } = this.env.queue;
      await jobs.expireArtifacts();
      await jobs.expireTasks();
      await jobs.expireTaskGroups();
      await jobs.expireTaskDependencies();
      await jobs.expireWorkerInfo();
      await jobs.expireQueueMessages();
    }
    this.model.runJobs();
  }

  /** Records the runs a claimWork returned: each was claimable, in that queue, and never claimed before. */
  takeClaims(taskQueueId: string, claims: readonly { status: { taskId: string }; runId: number }[], claimable: ModelTask[]) {
    for (const claim of claims) {
      const key = `${claim.status.taskId}/${claim.runId}`;
      // Invariant 3: a claimed run is never claimed again.
      if (this.claimed.has(key)) fail(`run ${key} was claimed twice`);
      this.claimed.add(key);
      const task = claimable.find((t) => t.taskId === claim.status.taskId);
      if (!task || claim.runId !== task.runs.length - 1) fail(`claimWork(${taskQueueId}) claimed ${key}, which was not a claimable pending run`);
      this.model.claim(task!);
    }
  }

  /** Per task: its record and resolution signature, to see which tasks resolved during a step. */
  async signatures(): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const t of this.model.tasks) {
      const r = await this.record(t.taskId);
      out.set(t.taskId, `${r.runs.length}:${r.runs[r.runs.length - 1]?.state ?? 'unscheduled'}`);
    }
    return out;
  }

  /** The checks after every step; `jobsRan` when the step ended with the background jobs. */
  async check(before: Map<string, string>, eventsBefore: number, jobsRan: boolean) {
    const { model, env } = this;
    const records = new Map<string, TaskRecord>();
    for (const t of model.tasks) {
      const record = await this.record(t.taskId);
      records.set(t.taskId, record);
      // Invariant 1: only the last run may be pending or running.
      const violation = invariantViolation(record);
      if (violation) fail(`invariant 1, task ${t.taskId}: ${violation}`);
    }
    const stateOfRecord = (taskId: string): State => {
      const runs = records.get(taskId)!.runs;
      return runs[runs.length - 1]?.state ?? 'unscheduled';
    };

    // Invariant 6: the counts match the runs. A pending run past its deadline (the deadline
    // reaper has not run yet) may or may not still have its hint (a claimWork drops it).
    for (const taskQueueId of QUEUES) {
      const inQueue = model.tasks.filter((t) => t.queue === taskQueueId);
      const pending = inQueue.filter((t) => stateOfRecord(t.taskId) === 'pending');
      const live = pending.filter((t) => t.deadline > model.now);
      const running = inQueue.filter((t) => stateOfRecord(t.taskId) === 'running');
      const counts = await env.queue.taskQueueCounts(root, taskQueueId);
      if (counts.pendingTasks < live.length || counts.pendingTasks > pending.length) {
        fail(`invariant 6, ${taskQueueId}: pendingTasks ${counts.pendingTasks}, pending runs ${pending.length} (${live.length} before their deadline)`);
      }
      if (counts.claimedTasks !== running.length) {
        fail(`invariant 6, ${taskQueueId}: claimedTasks ${counts.claimedTasks}, running runs ${running.length}`);
      }
    }

    // Invariant 5 bookkeeping: a member that resolved during this step moves its group's mark.
    for (const t of model.tasks) {
      const now = `${records.get(t.taskId)!.runs.length}:${stateOfRecord(t.taskId)}`;
      if (isResolvedState(stateOfRecord(t.taskId)) && before.get(t.taskId) !== now) this.lastMemberResolvedAt.set(t.group, eventsBefore);
    }
    // Invariant 5, the other way: never announced while a member is unresolved.
    for (const taskGroupId of GROUPS) {
      if (this.announced(taskGroupId, eventsBefore) && !this.allResolved(taskGroupId, stateOfRecord)) {
        fail(`invariant 5: task-group-resolved for ${taskGroupId} while a member is unresolved`);
      }
    }
    if (jobsRan) this.checkAfterJobs(records, stateOfRecord);

    // Last, the queue agrees with the model (every invariant above reads the queue's own state).
    for (const t of model.tasks) {
      const record = records.get(t.taskId)!;
      expect({
        taskId: t.taskId,
        retriesLeft: record.retriesLeft,
        runs: record.runs.map((run, runId) => runView(run, runId, run.takenUntil)),
      }).toEqual({
        taskId: t.taskId,
        retriesLeft: t.retriesLeft,
        runs: t.runs.map((run, runId) => runView(run, runId, run.takenUntil === undefined ? undefined : iso(run.takenUntil))),
      });
    }
  }

  /** Invariants 4 and 5, which hold once the background jobs have caught up. */
  private checkAfterJobs(records: Map<string, TaskRecord>, stateOfRecord: (taskId: string) => State) {
    const { model } = this;
    // Invariant 5: after the jobs, a group whose members all resolved was announced since the last one resolved.
    for (const [taskGroupId, since] of this.lastMemberResolvedAt) {
      if (this.allResolved(taskGroupId, stateOfRecord) && !this.announced(taskGroupId, since)) {
        fail(`invariant 5: every member of ${taskGroupId} is resolved, but no task-group-resolved since event #${since}`);
      }
    }

    // Invariant 4: after the jobs, a dependent is scheduled iff its requirements were met.
    for (const t of model.tasks) {
      if (t.deps.length === 0 && !t.selfDep) continue;
      const record = records.get(t.taskId)!;
      if (record.runs.length === 0) {
        const currentlyMet = t.deps.every((d) => satisfies(stateOfRecord(d), t.requires));
        if (!t.selfDep && (currentlyMet || model.unblocked(t))) {
          fail(`invariant 4: ${t.taskId} is unscheduled though its dependencies satisfy ${t.requires}`);
        }
        if (record.definition.deadline <= iso(model.now)) fail(`invariant 4: ${t.taskId} is unscheduled past its deadline`);
      } else if (record.runs[0]!.reasonCreated === 'scheduled' && !t.scheduledByCall && !model.unblocked(t)) {
        fail(`invariant 4: ${t.taskId} was scheduled though a dependency never satisfied ${t.requires}`);
      }
    }
  }

  /** Whether task-group-resolved was published for the group at or after event #from. */
  private announced(taskGroupId: string, from: number) {
    return this.env.events.events.some(
      (e, i) => i >= from && e.exchange === 'task-group-resolved' && e.payload['taskGroupId'] === taskGroupId,
    );
  }

  private allResolved(taskGroupId: string, stateOfRecord: (taskId: string) => State) {
    return this.model.tasks.filter((t) => t.group === taskGroupId).every((t) => isResolvedState(stateOfRecord(t.taskId)));
  }

  /** Invariant 2: draining claimWork on each queue claims every pending run exactly once and no other. */
  async drain() {
    for (const taskQueueId of QUEUES) {
      const expected = this.model.claimable(taskQueueId).map((t) => `${t.taskId}/${t.runs.length - 1}`);
      const got: string[] = [];
      for (let i = 0; i < 100; i++) {
        const claimable = this.model.claimable(taskQueueId);
        const { tasks } = await this.env.queue.claimWork(root, taskQueueId, { ...worker, tasks: 3 });
        if (tasks.length === 0) break;
        this.takeClaims(taskQueueId, tasks, claimable);
        got.push(...tasks.map((c) => `${c.status.taskId}/${c.runId}`));
      }
      expect({ taskQueueId, claimed: got.sort() }).toEqual({ taskQueueId, claimed: expected.sort() });
    }
  }
}

/** Names the failing step, since a shrunk sequence may keep steps after the one that fails. */
const atStep = async (label: string, body: () => Promise<void>) => {
  try {
    await body();
  } catch (error) {
    if (error instanceof Error) error.message = `${label}: ${error.message}`;
    throw error;
  }
};

const run = async (steps: readonly Step[]) => {
  const h = new Harness();
  for (const [i, step] of steps.entries()) {
    await atStep(`step ${i + 1} of ${steps.length} (${step.kind})`, async () => {
      const before = await h.signatures();
      const eventsBefore = h.env.events.events.length;
      const jobsRan = await h.apply(step);
      await h.check(before, eventsBefore, jobsRan);
    });
  }
  await atStep('after the last step (runJobs, then draining claimWork)', async () => {
    const before = await h.signatures();
    const eventsBefore = h.env.events.events.length;
    await h.runJobs(false);
    await h.check(before, eventsBefore, true);
    await h.drain();
  });
};

describe('the queue against a reference model', () => {
  it('keeps the state-machine invariants over random operation sequences', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 40, size: 'max' }), run),
      // A fixed seed: the same 100 sequences (about 1,700 steps) on every run; fast-check prints
      // the seed, the path and the shrunk sequence of a failure.
      { seed: 20240611, numRuns: 100 },
    );
    // A few seconds; the generous timeout only keeps a loaded CI machine from failing it.
  }, 120_000);
});
