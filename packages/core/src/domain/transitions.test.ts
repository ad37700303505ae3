import { DomainError } from '../errors';
import type { TaskDefinition } from '../schemas/task';
import { invariantViolation, MAX_RUNS, taskState, type TaskRecord } from './task-record';
import { HOUR, iso } from './time';
import {
  cancel,
  changePriority,
  claim,
  exceedDeadline,
  expireClaim,
  reclaim,
  rerun,
  resolve,
  schedule,
  type Outcome,
} from './transitions';

const NOW = Date.parse('2026-11-29T12:00:00.000Z');
const worker = { workerGroup: 'wg', workerId: 'w1' };

const definition = (overrides: Partial<TaskDefinition> = {}): TaskDefinition => ({
  taskQueueId: 'prov/wt',
  provisionerId: 'prov',
  workerType: 'wt',
  schedulerId: '-',
  projectId: 'none',
  taskGroupId: 'fN1SbArXTPSVFNUvaOlinQ',
  dependencies: [],
  requires: 'all-completed',
  routes: [],
  priority: 'lowest',
  retries: 2,
  created: iso(NOW),
  deadline: iso(NOW + HOUR),
  expires: iso(NOW + 24 * HOUR),
  scopes: [],
  payload: {},
  metadata: { name: 't', description: 'd', owner: 'o', source: 'https://example.com' },
  tags: {},
  extra: {},
  ...overrides,
});

const unscheduled = (overrides: Partial<TaskDefinition> = {}): TaskRecord => ({
  taskId: 'dSlITZ4yQgmvxxAi4A8fHQ',
  definition: definition(overrides),
  runs: [],
  retriesLeft: overrides.retries ?? 2,
});

const ok = (outcome: Outcome): TaskRecord => {
  if (outcome instanceof DomainError) throw outcome;
  expect(invariantViolation(outcome)).toBeUndefined();
  return outcome;
};
const code = (outcome: Outcome) => (outcome instanceof DomainError ? outcome.code : 'ok');

const pending = () => ok(schedule(unscheduled(), NOW));
const running = () => ok(claim(pending(), 0, worker, NOW + 20 * 60_000, NOW));

describe('schedule', () => {
  it('adds run 0 pending/scheduled', () => {
    const task = pending();
    expect(task.runs).toEqual([{ runId: 0, state: 'pending', reasonCreated: 'scheduled', scheduled: iso(NOW) }]);
    expect(taskState(task)).toBe('pending');
  });
  it('is a no-op once runs exist, and refuses past the deadline', () => {
    const task = pending();
    expect(schedule(task, NOW)).toBe(task);
    expect(code(schedule(unscheduled(), NOW + 2 * HOUR))).toBe('RequestConflict');
  });
});

describe('claim and reclaim', () => {
  it('claims the pending last run', () => {
    const run = running().runs[0]!;
    expect(run).toMatchObject({ state: 'running', ...worker, started: iso(NOW), takenUntil: iso(NOW + 20 * 60_000) });
  });
  it('refuses a run that is not pending, a missing run, and claims past the deadline', () => {
    expect(code(claim(running(), 0, worker, NOW + 1, NOW))).toBe('RequestConflict');
    expect(code(claim(pending(), 3, worker, NOW + 1, NOW))).toBe('ResourceNotFound');
    expect(code(claim(pending(), 0, worker, NOW + 1, NOW + 2 * HOUR))).toBe('RequestConflict');
  });
  it('reclaim moves takenUntil forward only, and refuses resolved runs', () => {
    const task = running();
    const later = ok(reclaim(task, 0, NOW + 40 * 60_000, NOW));
    expect(later.runs[0]!.takenUntil).toBe(iso(NOW + 40 * 60_000));
    expect(reclaim(later, 0, NOW + 30 * 60_000, NOW)).toBe(later);
    const done = ok(resolve(task, 0, { state: 'completed' }, NOW));
    expect(code(reclaim(done, 0, NOW + 1, NOW))).toBe('RequestConflict');
  });
});

describe('resolve', () => {
  it.each([
    [{ state: 'completed' as const }, 'completed', 'completed'],
    [{ state: 'failed' as const }, 'failed', 'failed'],
    [{ state: 'exception' as const, reason: 'malformed-payload' as const }, 'exception', 'malformed-payload'],
    [{ state: 'exception' as const, reason: 'resource-unavailable' as const }, 'exception', 'resource-unavailable'],
    [{ state: 'exception' as const, reason: 'internal-error' as const }, 'exception', 'internal-error'],
    [{ state: 'exception' as const, reason: 'superseded' as const }, 'exception', 'superseded'],
  ])('%j resolves without retry and is idempotent', (resolution, state, reason) => {
    const task = ok(resolve(running(), 0, resolution, NOW));
    expect(task.runs).toHaveLength(1);
    expect(task.runs[0]).toMatchObject({ state, reasonResolved: reason, resolved: iso(NOW) });
    expect(resolve(task, 0, resolution, NOW + 1)).toBe(task);
  });
  it.each([
    ['worker-shutdown' as const, 'retry'],
    ['intermittent-task' as const, 'task-retry'],
  ])('%s retries while retries remain', (reason, reasonCreated) => {
    const task = ok(resolve(running(), 0, { state: 'exception', reason }, NOW));
    expect(task.runs[1]).toMatchObject({ runId: 1, state: 'pending', reasonCreated });
    expect(task.retriesLeft).toBe(1);
    expect(resolve(task, 0, { state: 'exception', reason }, NOW)).toBe(task);
  });
  it('does not retry when no retries are left', () => {
    const task = ok(claim(ok(schedule(unscheduled({ retries: 0 }), NOW)), 0, worker, NOW + 1000, NOW));
    const done = ok(resolve(task, 0, { state: 'exception', reason: 'worker-shutdown' }, NOW));
    expect(done.runs).toHaveLength(1);
    expect(taskState(done)).toBe('exception');
  });
  it("can't overwrite a resolution, nor resolve a pending run", () => {
    const done = ok(resolve(running(), 0, { state: 'exception', reason: 'malformed-payload' }, NOW));
    expect(code(resolve(done, 0, { state: 'exception', reason: 'internal-error' }, NOW))).toBe('RequestConflict');
    expect(code(resolve(done, 0, { state: 'completed' }, NOW))).toBe('RequestConflict');
    expect(code(resolve(pending(), 0, { state: 'completed' }, NOW))).toBe('RequestConflict');
  });
});

describe('claim expiry', () => {
  it('expires a lapsed claim with a retry, and without one when retries are spent', () => {
    const task = running();
    expect(expireClaim(task, 0, NOW + 1000)).toBe(task); // not lapsed yet
    const retried = expireClaim(task, 0, NOW + 20 * 60_000);
    expect(retried.runs[0]).toMatchObject({ state: 'exception', reasonResolved: 'claim-expired' });
    expect(retried.runs[1]).toMatchObject({ state: 'pending', reasonCreated: 'retry' });
    const last = ok(claim(ok(schedule(unscheduled({ retries: 0 }), NOW)), 0, worker, NOW + 1000, NOW));
    expect(expireClaim(last, 0, NOW + 1000).runs).toHaveLength(1);
  });
  it('leaves a reclaimed run and a run past its deadline alone', () => {
    const reclaimed = ok(reclaim(running(), 0, NOW + 40 * 60_000, NOW));
    expect(expireClaim(reclaimed, 0, NOW + 20 * 60_000)).toBe(reclaimed);
    const task = running();
    expect(expireClaim(task, 0, NOW + 2 * HOUR)).toBe(task);
  });
});

describe('deadline', () => {
  const after = NOW + HOUR;
  it('resolves unscheduled, pending and running tasks', () => {
    expect(exceedDeadline(unscheduled(), after).runs[0]).toMatchObject({
      state: 'exception',
      reasonCreated: 'exception',
      reasonResolved: 'deadline-exceeded',
    });
    expect(exceedDeadline(pending(), after).runs[0]).toMatchObject({ state: 'exception', reasonResolved: 'deadline-exceeded' });
    expect(exceedDeadline(running(), after).runs[0]).toMatchObject({ state: 'exception', reasonResolved: 'deadline-exceeded' });
  });
  it('leaves completed tasks and tasks before their deadline alone', () => {
    const done = ok(resolve(running(), 0, { state: 'completed' }, NOW));
    expect(exceedDeadline(done, after)).toBe(done);
    const task = pending();
    expect(exceedDeadline(task, NOW)).toBe(task);
  });
});

describe('cancel', () => {
  it('cancels unscheduled, pending and running tasks', () => {
    expect(ok(cancel(unscheduled(), NOW)).runs[0]).toMatchObject({ state: 'exception', reasonCreated: 'exception', reasonResolved: 'canceled' });
    expect(ok(cancel(pending(), NOW)).runs[0]).toMatchObject({ state: 'exception', reasonResolved: 'canceled' });
    expect(ok(cancel(running(), NOW)).runs[0]).toMatchObject({ state: 'exception', reasonResolved: 'canceled' });
  });
  it('is idempotent, leaves resolved tasks alone and refuses past the deadline', () => {
    const canceled = ok(cancel(pending(), NOW));
    expect(cancel(canceled, NOW)).toBe(canceled);
    const done = ok(resolve(running(), 0, { state: 'failed' }, NOW));
    expect(cancel(done, NOW)).toBe(done);
    expect(code(cancel(pending(), NOW + 2 * HOUR))).toBe('RequestConflict');
  });
});

describe('rerun', () => {
  it('adds a rerun run after any resolution and resets retries', () => {
    const done = ok(resolve(running(), 0, { state: 'completed' }, NOW));
    const again = ok(rerun(done, NOW));
    expect(again.runs[1]).toMatchObject({ state: 'pending', reasonCreated: 'rerun' });
    expect(again.retriesLeft).toBe(2);
  });
  it('is a no-op while pending or running, and stops at 50 runs', () => {
    const task = pending();
    expect(rerun(task, NOW)).toBe(task);
    let many = ok(cancel(pending(), NOW));
    while (many.runs.length < MAX_RUNS) many = ok(cancel(ok(rerun(many, NOW)), NOW));
    expect(code(rerun(many, NOW))).toBe('RequestConflict');
  });
  it('never lets retries take the task past 50 runs', () => {
    let task = ok(cancel(pending(), NOW));
    while (task.runs.length < MAX_RUNS - 1) task = ok(cancel(ok(rerun(task, NOW)), NOW));
    const last = ok(rerun(task, NOW));
    expect(last.runs).toHaveLength(MAX_RUNS);
    expect(last.retriesLeft).toBe(0);
  });
});

describe('changePriority', () => {
  it('changes an unresolved task and refuses a resolved one', () => {
    expect(ok(changePriority(pending(), 'high', NOW)).definition.priority).toBe('high');
    const done = ok(resolve(running(), 0, { state: 'completed' }, NOW));
    expect(code(changePriority(done, 'high', NOW))).toBe('RequestConflict');
  });
});
