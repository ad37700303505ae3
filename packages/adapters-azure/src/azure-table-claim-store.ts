import { odata } from '@azure/data-tables';
import type { Claim, ClaimStore, LeasedClaim, Page, PageRequest } from '@taskcluster-queue/core';
import { FAN_OUT, mapLimit } from './concurrency';
import { DueIndex } from './due-index';
import { shardLabel, shardOf } from './keys';
import { checkLimit } from './paging';
import { decodeContinuation, encodeContinuation } from './tokens';
import type { AzureTable, Row } from './table-client';

const claimId = (taskId: string, runId: number) => `${taskId}/${runId}`;

/**
 * Claims, each also the claim-expiry timer due at `takenUntil`: a DueIndex (due-index.ts) whose
 * partitions are `shards` shards by taskId, so concurrent claims and reclaims spread over
 * partitions. Counting and listing one task queue's claims filters the key rows of every shard
 * by `taskQueueId`: a scan of the running claims (not of all tasks), for the rarely-called
 * taskQueueCounts and claimed-task listings.
 */
export class AzureTableClaimStore implements ClaimStore {
  private readonly index: DueIndex<Claim>;
  private readonly partitions: string[];

  constructor(private readonly table: AzureTable, private readonly shards: number) {
    this.index = new DueIndex<Claim>(table, (claim) => ({ taskQueueId: claim.taskQueueId }));
    this.partitions = Array.from({ length: shards }, (_, shard) => `c${shardLabel(shard)}`);
  }

  private partitionOf(taskId: string): string {
    return `c${shardLabel(shardOf(taskId, this.shards))}`;
  }

  async put(claim: Claim): Promise<void> {
    await this.index.put(this.partitionOf(claim.taskId), claimId(claim.taskId, claim.runId), Date.parse(claim.takenUntil), claim);
  }

  async remove(taskId: string, runId: number): Promise<void> {
    await this.index.remove(this.partitionOf(taskId), claimId(taskId, runId));
  }

  async count(taskQueueId: string): Promise<number> {
    const counts = await mapLimit(this.partitions, FAN_OUT, (pk) =>
      this.table.count(this.index.keyFilter(pk, odata`taskQueueId eq ${taskQueueId}`)),
    );
    return counts.reduce((sum, n) => sum + n, 0);
  }

  /** In key order (taskId, runId) across shards: each page merges the shards' next rows. */
  async list(taskQueueId: string, page: PageRequest): Promise<Page<Claim>> {
    const limit = checkLimit(page.limit);
    const after = decodeContinuation(page.continuationToken);
    const found = await mapLimit(this.partitions, FAN_OUT, (pk) =>
      this.table.query(this.index.keyFilter(pk, odata`taskQueueId eq ${taskQueueId}`, after), limit + 1),
    );
    const rows = found.flat().sort((a: Row, b: Row) => (a.rowKey < b.rowKey ? -1 : a.rowKey > b.rowKey ? 1 : 0));
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    const claims = items.map(this.index.valueOf);
    if (rows.length <= limit || !last) return { items: claims };
    return { items: claims, continuationToken: encodeContinuation(last.rowKey) };
  }

  async leaseExpired(now: number, limit: number, leaseUntil: number): Promise<readonly LeasedClaim[]> {
    const leased = await this.index.lease(this.partitions, now, limit, leaseUntil);
    return leased.map(({ value, receipt }) => ({ ...value, receipt }));
  }

  async complete(claim: LeasedClaim): Promise<void> {
    await this.index.complete(claim.receipt);
  }
}
