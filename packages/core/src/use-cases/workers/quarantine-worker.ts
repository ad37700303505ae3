import type { Caller } from '../../caller';
import { notFound } from '../../errors';
import { requiredScopes } from '../../domain/scopes';
import { iso, ms } from '../../domain/time';
import { quarantineWorkerRequest, type WorkerResponse } from '../../schemas/worker';
import type { UseCaseContext } from '../context';
import { parseInput } from '../shared/validate';
import { MAX_QUARANTINE_DETAILS, taskQueueIdOf, upsertWorker, workerView } from '../shared/worker-records';
import { parseWorkerParams } from './workers';

/**
 * quarantineWorker (PUT /provisioners/<p>/worker-types/<wt>/workers/<workerGroup>/<workerId>):
 * the worker claims no work until `quarantineUntil` (a past time lifts the quarantine). Each
 * change is recorded in `quarantineDetails` with the caller's clientId. 404 if the worker is
 * absent or expired; a missing worker type or provisioner is recreated (upstream answered 500,
 * §16 item 9), since refusing a quarantine for want of a parent record helps nobody.
 */
export const quarantineWorker = async (
  ctx: UseCaseContext,
  caller: Caller,
  provisionerId: string,
  workerType: string,
  workerGroup: string,
  workerId: string,
  body: unknown,
): Promise<WorkerResponse> => {
  parseWorkerParams(provisionerId, workerType, workerGroup, workerId);
  const request = parseInput(quarantineWorkerRequest, body);
  caller.authorize(requiredScopes.quarantineWorker({ provisionerId, workerType, workerGroup, workerId }));
  const taskQueueId = taskQueueIdOf(provisionerId, workerType);
  const quarantineUntil = iso(ms(request.quarantineUntil));
  const { worker, provisioner } = await upsertWorker(ctx, taskQueueId, workerGroup, workerId, (live, now) => {
    if (!live) {
      throw notFound(`Worker ${workerGroup}/${workerId} of worker type ${taskQueueId} not found`, {
        provisionerId,
        workerType,
        workerGroup,
        workerId,
      });
    }
    const detail = {
      clientId: caller.clientId,
      updatedAt: iso(now),
      quarantineUntil,
      quarantineInfo: request.quarantineInfo ?? '',
    };
    return {
      ...live,
      quarantineUntil,
      quarantineDetails: [...live.quarantineDetails, detail].slice(-MAX_QUARANTINE_DETAILS),
    };
  });
  return workerView(worker, provisioner, ctx.ports.clock.now());
};
