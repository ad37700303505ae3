import { exceedDeadline } from '../../domain/transitions';
import { lastRun } from '../../domain/task-record';
import { ms } from '../../domain/time';
import type { UseCaseContext } from '../context';
import { publish, settleResolvedRun } from '../shared/effects';
import { modifyTask } from '../shared/modify-task';
import { settleTaskGroup } from '../shared/task-groups';

/**
 * Deadline reaper: whatever is unresolved at its deadline (unscheduled, pending or running)
 * ends `exception`/`deadline-exceeded`; resolved tasks are left alone.
 */
export const resolveDeadlines = async (ctx: UseCaseContext): Promise<{ handled: number }> => {
  const { timers, tasks, clock } = ctx.ports;
  const now = clock.now();
  const due = await timers.lease('deadline', now, ctx.config.batchSize, now + ctx.config.leaseDuration);
  for (const timer of due) {
    const stored = await tasks.get(timer.taskId);
    if (!stored) {
      // createTask stopped before the record was written: settle the member it left behind, if
      // it got that far (it may have been refused by its group). The member goes last, so a
      // crash in between is repeated.
      if (await ctx.ports.taskGroups.isMember(timer.taskGroupId, timer.taskId)) {
        await publish(ctx, await settleTaskGroup(ctx, timer.taskGroupId, timer.taskId));
        await ctx.ports.taskGroups.removeMember(timer.taskGroupId, timer.taskId);
      }
    } else if (ms(stored.value.definition.deadline) > now) {
      // A timer for another deadline (a lost createTask race): aim it at the real one.
      await timers.schedule({ ...timer, taskGroupId: stored.value.definition.taskGroupId, due: ms(stored.value.definition.deadline) });
      continue;
    } else {
      const { after } = await modifyTask(ctx, timer.taskId, (task) => exceedDeadline(task, now), { current: stored });
      const run = lastRun(after);
      if (run?.reasonResolved === 'deadline-exceeded') await settleResolvedRun(ctx, after, run.runId);
    }
    await timers.complete(timer);
  }
  return { handled: due.length };
};
