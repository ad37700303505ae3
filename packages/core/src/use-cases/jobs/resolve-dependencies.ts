import { isResolved } from '../../domain/task-record';
import { ms } from '../../domain/time';
import type { QueueEvent } from '../../ports/event-publisher';
import type { UseCaseContext } from '../context';
import { satisfiesRequirement, scheduleIfReady } from '../shared/dependencies';
import { publish } from '../shared/effects';
import { settleTaskGroup } from '../shared/task-groups';

/**
 * Dependency resolver: for each resolved-task notice, satisfy the edges its resolution meets,
 * schedule dependents nothing blocks any more, then settle the task group. A notice with more
 * dependents than one batch continues from a cursor.
 */
export const resolveDependencies = async (ctx: UseCaseContext): Promise<{ handled: number }> => {
  const { timers, tasks, dependencies, clock } = ctx.ports;
  const now = clock.now();
  const due = await timers.lease('resolved', now, ctx.config.batchSize, now + ctx.config.leaseDuration);
  for (const timer of due) {
    const stored = await tasks.get(timer.taskId);
    if (stored && !isResolved(stored.value)) {
      await timers.complete(timer); // rerun meanwhile: its own resolution brings a new notice
      continue;
    }
    if (stored) {
      const page = await dependencies.listDependents(timer.taskId, { limit: ctx.config.batchSize, continuationToken: timer.cursor });
      const events: QueueEvent[] = [];
      for (const edge of page.items) {
        if (!satisfiesRequirement(stored.value, edge.require)) continue;
        await dependencies.satisfy(edge.dependentTaskId, edge.requiredTaskId);
        events.push(...(await scheduleIfReady(ctx, edge.dependentTaskId)));
      }
      await publish(ctx, events);
      if (page.continuationToken !== undefined) {
        await timers.schedule({ ...timer, cursor: page.continuationToken, due: now });
        continue;
      }
    }
    await publish(ctx, await settleTaskGroup(ctx, timer.taskGroupId, timer.taskId));
    // A resolved task needs its deadline timer no more: gone with the notice, in one step that
    // does nothing once the notice was removed (rerunTask removes it before re-arming the deadline).
    await (stored ? timers.complete(timer, { kind: 'deadline', due: ms(stored.value.definition.deadline) }) : timers.complete(timer));
  }
  return { handled: due.length };
};
