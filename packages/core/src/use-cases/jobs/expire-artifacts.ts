import { WriteConflict } from '../../errors';
import { blobRefOf, isBlobStorage } from '../../domain/artifact-rules';
import type { Artifact } from '../../ports/artifact-store';
import type { Versioned } from '../../ports/versioned';
import type { UseCaseContext } from '../context';

export interface ExpireArtifactsResult {
  /** Records removed in this batch. */
  readonly deleted: number;
  /** Records kept because their blob could not be deleted; the next run tries again. */
  readonly failed: number;
}

type Outcome = 'deleted' | 'failed' | 'skipped';

/**
 * expireArtifacts background job: one bounded batch of artifacts past their expiry. The blob
 * goes first, then the record (conditional on the version read), so a crash in between leaves
 * a record the next run deletes again, never bytes nothing points at. Safe on several replicas:
 * deleting a missing blob is no error, and a record another replica removed or a worker
 * changed is skipped. Call again while `deleted + failed` equals `config.batchSize`.
 */
export const expireArtifacts = async (ctx: UseCaseContext): Promise<ExpireArtifactsResult> => {
  const { ports, config } = ctx;
  const batch = await ports.artifacts.listExpired({ before: ports.clock.now(), limit: config.batchSize });
  const settled = await Promise.allSettled(batch.map((record) => expireOne(ctx, record)));
  // Errors of the artifact store itself are not the blob failures this job tolerates: surface
  // them, after every other deletion of the batch has finished.
  const broken = settled.find((result) => result.status === 'rejected');
  if (broken) throw broken.reason;
  const outcomes = settled.map((result) => (result as PromiseFulfilledResult<Outcome>).value);
  return {
    deleted: outcomes.filter((outcome) => outcome === 'deleted').length,
    failed: outcomes.filter((outcome) => outcome === 'failed').length,
  };
};

const expireOne = async ({ ports }: UseCaseContext, { value, version }: Versioned<Artifact>): Promise<Outcome> => {
  if (isBlobStorage(value.storageType)) {
    // A deployment that dropped this storage type cannot delete the bytes: keep the record.
    const store = ports.blobs[value.storageType];
    if (!store) return 'failed';
    try {
      await store.delete(blobRefOf(value));
    } catch {
      return 'failed';
    }
  }
  try {
    await ports.artifacts.delete(value, version);
    return 'deleted';
  } catch (error) {
    // Another replica removed it, or it was re-created with a later expiry since it was read.
    if (error instanceof WriteConflict) return 'skipped';
    throw error;
  }
};
