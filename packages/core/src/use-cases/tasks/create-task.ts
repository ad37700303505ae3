import type { Caller } from '../../caller';
import { conflict, DomainError, inputError, WriteConflict } from '../../errors';
import { taskEvent } from '../../domain/exchanges';
import { requiredScopes } from '../../domain/scopes';
import { normaliseDefinition, sameJson } from '../../domain/task-definition';
import { lastRun, toStatus, type TaskRecord } from '../../domain/task-record';
import { iso, ms } from '../../domain/time';
import { taskId as taskIdSchema } from '../../schemas/common';
import { createTaskRequest, type TaskDefinition, type TaskStatusResponse } from '../../schemas/task';
import type { UseCaseContext } from '../context';
import { trackDependencies } from '../shared/dependencies';
import { pendingEffects, publish } from '../shared/effects';
import { checkTaskGroup, joinTaskGroup } from '../shared/task-groups';
import { parseInput, parseParam } from '../shared/validate';

/** The request, validated, authorized for `operation` and normalised into the stored definition. */
const definitionOf = (ctx: UseCaseContext, caller: Caller, taskId: string, body: unknown, operation: 'createTask' | 'defineTask') => {
  parseParam(taskIdSchema, taskId, 'taskId');
  const request = parseInput(createTaskRequest, body);
  caller.authorize(requiredScopes[operation]({ taskId, task: request }));
  return normaliseDefinition(taskId, request, ctx.ports.clock.now(), ctx.config.maxTaskDeadline);
};

/** createTask (PUT /task/<taskId>): idempotent for the same definition, 409 for another. */
export const createTask = async (ctx: UseCaseContext, caller: Caller, taskId: string, body: unknown): Promise<TaskStatusResponse> =>
  defineOrCreate(ctx, taskId, definitionOf(ctx, caller, taskId, body, 'createTask'), 'create');

/**
 * defineTask (deprecated): like createTask, but the task depends on itself, so it stays
 * unscheduled until scheduleTask or its deadline.
 */
export const defineTask = async (ctx: UseCaseContext, caller: Caller, taskId: string, body: unknown): Promise<TaskStatusResponse> => {
  const normalised = definitionOf(ctx, caller, taskId, body, 'defineTask');
  const dependencies = normalised.dependencies.includes(taskId) ? normalised.dependencies : [taskId, ...normalised.dependencies];
  return defineOrCreate(ctx, taskId, { ...normalised, dependencies }, 'define');
};

const defineOrCreate = async (
  ctx: UseCaseContext,
  taskId: string,
  definition: TaskDefinition,
  mode: 'create' | 'define',
): Promise<TaskStatusResponse> => {
  const { ports } = ctx;
  const blocked = definition.dependencies.length > 0;
  const record: TaskRecord = {
    taskId,
    definition,
    runs: blocked || mode === 'define' ? [] : [{ runId: 0, state: 'pending', reasonCreated: 'scheduled', scheduled: iso(ports.clock.now()) }],
    retriesLeft: definition.retries,
  };
  // Checks that fail now may have passed when this taskId was created (its group sealed since):
  // the same definition still answers as before, another is a conflict.
  const repeatOrThrow = async (error: unknown) => {
    const existing = error instanceof DomainError ? await ports.tasks.get(taskId) : undefined;
    if (existing) return lostRace(ctx, record, existing.value);
    throw error;
  };
  // The record is not read first: a repeat is recognised by the writes (the group answers that the
  // task is a member already, or the insert conflicts), so a new task costs no read of it.
  let group;
  try {
    const size = JSON.stringify(definition).length;
    if (size > ctx.config.maxTaskSize) {
      throw inputError(`Task ${taskId} is ${size} characters of JSON; at most ${ctx.config.maxTaskSize} are stored`, { size });
    }
    await checkDependencies(ctx, taskId, definition);
    group = await checkTaskGroup(ctx, definition);
  } catch (error) {
    return repeatOrThrow(error);
  }
  // The deadline timer and the group's active set come before the record, so a crash leaves
  // at worst a stale timer and a member the deadline resolver settles, never a stuck task.
  await ports.timers.schedule({ kind: 'deadline', taskId, taskGroupId: definition.taskGroupId, due: ms(definition.deadline) });
  let joined;
  try {
    joined = await joinTaskGroup(ctx, definition, taskId, group);
  } catch (error) {
    return repeatOrThrow(error);
  }
  // A member already: created before, or by a call that stopped before writing the record.
  const existing = joined ? undefined : await ports.tasks.get(taskId);
  if (existing) return lostRace(ctx, record, existing.value);
  try {
    await ports.tasks.create(record);
  } catch (error) {
    if (!(error instanceof WriteConflict)) throw error;
    return lostRace(ctx, record);
  }
  return announce(ctx, record);
};

/** The same taskId again: the same definition answers as before; another is a conflict. */
const repeat = async (ctx: UseCaseContext, stored: TaskRecord, definition: TaskDefinition) => {
  if (!sameJson(stored.definition, definition)) {
    throw conflict(`taskId ${stored.taskId} already used by another task (faulty idempotency)`, {
      existing: stored.definition,
      given: definition,
    });
  }
  return announce(ctx, stored);
};

/**
 * The taskId exists (a repeat, or a concurrent create won): undo what this call wrote that the
 * existing task does not need, then answer as a repeat.
 */
const lostRace = async (ctx: UseCaseContext, mine: TaskRecord, existing?: TaskRecord) => {
  const { ports } = ctx;
  const winner = existing ?? (await ports.tasks.get(mine.taskId))?.value;
  if (!winner) throw new WriteConflict('task vanished while it was being created');
  const theirs = winner.definition;
  if (theirs.taskGroupId !== mine.definition.taskGroupId) {
    await ports.taskGroups.removeMember(mine.definition.taskGroupId, mine.taskId);
    await ports.taskGroups.markResolved(mine.definition.taskGroupId, mine.taskId);
  }
  if (theirs.deadline !== mine.definition.deadline || theirs.taskGroupId !== mine.definition.taskGroupId) {
    await ports.timers.schedule({ kind: 'deadline', taskId: mine.taskId, taskGroupId: theirs.taskGroupId, due: ms(theirs.deadline) });
  }
  return repeat(ctx, winner, mine.definition);
};

/**
 * Everything that follows the record, derived from it so a retry repeats it: dependency edges,
 * the pending hint, and the messages (nothing once the task has progressed past run 0 pending).
 */
const announce = async (ctx: UseCaseContext, task: TaskRecord): Promise<TaskStatusResponse> => {
  let current = task;
  const events = [];
  if (current.runs.length === 0 && current.definition.dependencies.length > 0) {
    const pending = await trackDependencies(ctx, current);
    current = (await ctx.ports.tasks.get(task.taskId))?.value ?? current;
    events.push(taskEvent('task-defined', current, {}), ...pending);
  } else {
    const state = lastRun(current)?.state;
    if (current.runs.length <= 1 && (state === undefined || state === 'pending')) {
      events.push(taskEvent('task-defined', current, {}), ...(await pendingEffects(ctx, current, 0)));
    }
  }
  await publish(ctx, events);
  return { status: toStatus(current) };
};

/** Every dependency must exist, and must not expire before this task's deadline. */
const checkDependencies = async (ctx: UseCaseContext, taskId: string, definition: TaskDefinition) => {
  const others = definition.dependencies.filter((id) => id !== taskId);
  const found = await Promise.all(others.map((id) => ctx.ports.tasks.get(id)));
  const missing = others.filter((_, i) => !found[i]);
  const expiring = others.filter((_, i) => {
    const required = found[i];
    return required !== undefined && ms(required.value.definition.expires) < ms(definition.deadline);
  });
  if (missing.length > 0 || expiring.length > 0) {
    const parts = [
      missing.length > 0 ? `dependencies that do not exist: ${missing.join(', ')}` : '',
      expiring.length > 0 ? `dependencies that expire before this task's deadline: ${expiring.join(', ')}` : '',
    ].filter(Boolean);
    throw inputError(`Task ${taskId} has ${parts.join('; ')}`, {
      dependencies: definition.dependencies,
      missingTaskDependencies: missing,
      expiringTaskDependencies: expiring,
    });
  }
};
