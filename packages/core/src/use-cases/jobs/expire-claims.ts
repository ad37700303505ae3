import { DomainError } from '../../errors';
import { ms } from '../../domain/time';
import { expireClaim } from '../../domain/transitions';
import type { UseCaseContext } from '../context';
import { settleResolvedRun } from '../shared/effects';
import { modifyTask } from '../shared/modify-task';

/**
 * Claim reaper: a run whose claim lapsed before its deadline ends `exception`/`claim-expired`,
 * with a retry run while retries remain. One bounded batch per call.
 */
export const expireClaims = async (ctx: UseCaseContext): Promise<{ handled: number }> => {
  const { claims, clock } = ctx.ports;
  const now = clock.now();
  const due = await claims.leaseExpired(now, ctx.config.batchSize, now + ctx.config.leaseDuration);
  for (const claim of due) {
    try {
      const { after } = await modifyTask(ctx, claim.taskId, (task) => expireClaim(task, claim.runId, now));
      const run = after.runs[claim.runId];
      if (run?.reasonResolved === 'claim-expired') {
        await settleResolvedRun(ctx, after, claim.runId);
      } else if (run?.state === 'running' && ms(run.takenUntil ?? '') > now) {
        // Reclaimed meanwhile: keep the entry, due at the new takenUntil.
        await claims.put({ ...claim, takenUntil: run.takenUntil! });
      } else if (run && run.state !== 'pending' && run.state !== 'running') {
        // Resolved, but the call that resolved it stopped before forgetting the claim: repeat
        // what follows a resolution (all idempotent), so no notice or message is lost.
        await settleResolvedRun(ctx, after, claim.runId);
      } else {
        await claims.complete(claim);
      }
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      await claims.complete(claim); // the task is gone
    }
  }
  return { handled: due.length };
};
