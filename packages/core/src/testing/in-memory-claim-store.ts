import type { Claim, ClaimStore, LeasedClaim } from '../ports/claim-store';
import type { Page, PageRequest } from '../ports/versioned';
import { ms } from '../domain/time';
import { pageByKey } from './paging';

interface Slot {
  readonly claim: Claim;
  readonly seq: number;
  readonly takenUntil: number;
  /** The current lease; a `put` makes a new slot, which voids it. */
  receipt?: string;
  leaseUntil: number;
}

const claimKey = (taskId: string, runId: number) => `${taskId}/${runId.toString().padStart(4, '0')}`;

/** Claims per (taskId, runId), each falling due at its `takenUntil`. */
export class InMemoryClaimStore implements ClaimStore {
  private readonly slots = new Map<string, Slot>();
  /** taskQueueId → keys of its claims. */
  private readonly byQueue = new Map<string, Set<string>>();
  private seq = 0;
  private receipts = 0;

  async put(claim: Claim): Promise<void> {
    const key = claimKey(claim.taskId, claim.runId);
    this.unindex(key);
    this.slots.set(key, { claim, seq: this.seq++, takenUntil: ms(claim.takenUntil), leaseUntil: 0 });
    let keys = this.byQueue.get(claim.taskQueueId);
    if (!keys) this.byQueue.set(claim.taskQueueId, (keys = new Set()));
    keys.add(key);
  }

  async remove(taskId: string, runId: number): Promise<void> {
    const key = claimKey(taskId, runId);
    this.unindex(key);
    this.slots.delete(key);
  }

  async count(taskQueueId: string): Promise<number> {
    return this.byQueue.get(taskQueueId)?.size ?? 0;
  }

  async list(taskQueueId: string, page: PageRequest): Promise<Page<Claim>> {
    const claims = [...(this.byQueue.get(taskQueueId) ?? [])].map((key) => (this.slots.get(key) as Slot).claim);
    return pageByKey(claims, (c) => claimKey(c.taskId, c.runId), page);
  }

  async leaseExpired(now: number, limit: number, leaseUntil: number): Promise<readonly LeasedClaim[]> {
    const due = [...this.slots.values()]
      .filter((slot) => slot.takenUntil <= now && !(slot.receipt !== undefined && slot.leaseUntil > now))
      .sort((a, b) => a.takenUntil - b.takenUntil || a.seq - b.seq)
      .slice(0, Math.max(0, limit));
    return due.map((slot) => {
      slot.receipt = `claim-${++this.receipts}`;
      slot.leaseUntil = leaseUntil;
      return { ...slot.claim, receipt: slot.receipt };
    });
  }

  async complete(claim: LeasedClaim): Promise<void> {
    const key = claimKey(claim.taskId, claim.runId);
    if (this.slots.get(key)?.receipt !== claim.receipt) return;
    this.unindex(key);
    this.slots.delete(key);
  }

  private unindex(key: string): void {
    const slot = this.slots.get(key);
    if (!slot) return;
    const keys = this.byQueue.get(slot.claim.taskQueueId);
    keys?.delete(key);
    if (keys?.size === 0) this.byQueue.delete(slot.claim.taskQueueId);
  }
}
