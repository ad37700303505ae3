import { DomainError, notFound, WriteConflict } from '../../errors';
import type { Outcome } from '../../domain/transitions';
import type { TaskRecord } from '../../domain/task-record';
import type { Versioned } from '../../ports/versioned';
import type { UseCaseContext } from '../context';

const MAX_ATTEMPTS = 20;

export interface Modified {
  readonly before: TaskRecord;
  readonly after: TaskRecord;
  readonly changed: boolean;
}

export interface ModifyOptions {
  /** Runs before each write attempt (for timers that must exist before the state they guard). */
  readonly beforeWrite?: (after: TaskRecord, before: TaskRecord) => Promise<void>;
  /** The record as the caller just read it: the first attempt starts from it (one read less). */
  readonly current?: Versioned<TaskRecord>;
}

/** Read → pure transition → conditional write, retried on conflict (re-reading each time). */
export const modifyTask = async (
  { ports }: UseCaseContext,
  taskId: string,
  transition: (task: TaskRecord) => Outcome,
  { beforeWrite, current: first }: ModifyOptions = {},
): Promise<Modified> => {
  for (let attempt = 1; ; attempt++) {
    const current = attempt === 1 && first ? first : await ports.tasks.get(taskId);
    if (!current) throw notFound(`Task ${taskId} not found`, { taskId });
    const next = transition(current.value);
    if (next instanceof DomainError) throw next;
    if (next === current.value) return { before: current.value, after: next, changed: false };
    await beforeWrite?.(next, current.value);
    try {
      await ports.tasks.update(next, current.version);
      return { before: current.value, after: next, changed: true };
    } catch (error) {
      if (!(error instanceof WriteConflict) || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
};

/** Loads a task with its version, or answers 404. */
export const loadVersionedTask = async ({ ports }: UseCaseContext, taskId: string): Promise<Versioned<TaskRecord>> => {
  const found = await ports.tasks.get(taskId);
  if (!found) throw notFound(`Task ${taskId} not found`, { taskId });
  return found;
};

/** Loads a task or answers 404. */
export const loadTask = async (ctx: UseCaseContext, taskId: string): Promise<TaskRecord> => (await loadVersionedTask(ctx, taskId)).value;
