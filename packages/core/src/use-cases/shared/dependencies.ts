import { DomainError } from '../../errors';
import { schedule } from '../../domain/transitions';
import type { TaskRecord } from '../../domain/task-record';
import type { QueueEvent } from '../../ports/event-publisher';
import type { UseCaseContext } from '../context';
import { pendingEffects } from './effects';
import { modifyTask } from './modify-task';

/** Whether a resolved `required` task satisfies an edge that requires `require`. */
export const satisfiesRequirement = (required: TaskRecord, require: 'completed' | 'resolved'): boolean => {
  const state = required.runs[required.runs.length - 1]?.state;
  if (require === 'completed') return state === 'completed';
  return state === 'completed' || state === 'failed' || state === 'exception';
};

/**
 * Schedules `taskId` if it has no run yet and nothing blocks it. Safe to call any number of
 * times, from any replica: the compare-and-swap lets one caller add run 0.
 */
export const scheduleIfReady = async (ctx: UseCaseContext, taskId: string): Promise<QueueEvent[]> => {
  if (await ctx.ports.dependencies.isBlocked(taskId)) return [];
  const now = ctx.ports.clock.now();
  try {
    const { after } = await modifyTask(ctx, taskId, (task) => (task.runs.length > 0 ? task : schedule(task, now)));
    return await pendingEffects(ctx, after, 0);
  } catch (error) {
    // Gone, or past its deadline (the deadline resolver takes it from here).
    if (error instanceof DomainError) return [];
    throw error;
  }
};

/**
 * Records the edges of an unscheduled task, marks those its required tasks already satisfy, and
 * schedules it when none blocks it. Runs after the task record exists, so a required task that
 * resolves meanwhile is seen either here or by the dependency resolver.
 */
export const trackDependencies = async (ctx: UseCaseContext, task: TaskRecord): Promise<QueueEvent[]> => {
  const { ports } = ctx;
  const { dependencies, requires, expires } = task.definition;
  const require = requires === 'all-resolved' ? 'resolved' : 'completed';
  await ports.dependencies.add(
    dependencies.map((requiredTaskId) => ({
      dependentTaskId: task.taskId,
      requiredTaskId,
      require,
      satisfied: false,
      expires,
    })),
  );
  for (const requiredTaskId of dependencies) {
    if (requiredTaskId === task.taskId) continue;
    const required = await ports.tasks.get(requiredTaskId);
    if (required && satisfiesRequirement(required.value, require)) {
      await ports.dependencies.satisfy(task.taskId, requiredTaskId);
    }
  }
  return scheduleIfReady(ctx, task.taskId);
};
