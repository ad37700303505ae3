import { PRIORITIES, type Priority } from '../domain/priorities';
import type { LeasedPendingEntry, PendingEntry, PendingQueue } from '../ports/pending-queue';
import type { ExpiredScan, Page, PageRequest } from '../ports/versioned';
import { pageByKey } from './paging';

interface Slot {
  entry: PendingEntry;
  /** Insertion order (renewed when the priority changes: the hint joins the end of its new priority). */
  seq: number;
  expires: number;
  /** The current lease; hidden from other leases while `leaseUntil` has not passed. */
  receipt?: string;
  leaseUntil: number;
}

const entryKey = (taskId: string, runId: number) => `${taskId}/${runId}`;

/**
 * Pending hints per task queue: one insertion-ordered map per (taskQueueId, priority), taken
 * highest priority first. A lease walks those maps from the front and skips entries under a live
 * lease, so its cost grows with the hints it returns and the leased ones ahead of them, never
 * with the number of hints waiting.
 */
export class InMemoryPendingQueue implements PendingQueue {
  private readonly slots = new Map<string, Slot>();
  private readonly queues = new Map<string, Map<Priority, Map<string, Slot>>>();
  private seq = 0;
  private receipts = 0;

  async add(entry: PendingEntry): Promise<void> {
    const key = entryKey(entry.taskId, entry.runId);
    const slot = this.slots.get(key);
    if (!slot) {
      const created: Slot = { entry, seq: this.seq++, expires: Date.parse(entry.expires), leaseUntil: 0 };
      this.slots.set(key, created);
      this.bucket(entry.taskQueueId, entry.priority).set(key, created);
      return;
    }
    if (slot.entry.priority === entry.priority) return;
    this.unbucket(slot.entry, key);
    slot.entry = { ...slot.entry, priority: entry.priority };
    slot.seq = this.seq++;
    this.bucket(slot.entry.taskQueueId, slot.entry.priority).set(key, slot);
  }

  async lease(taskQueueId: string, count: number, now: number, leaseUntil: number): Promise<readonly LeasedPendingEntry[]> {
    const leased: LeasedPendingEntry[] = [];
    const buckets = this.queues.get(taskQueueId);
    if (!buckets) return leased;
    for (const priority of PRIORITIES) {
      for (const slot of buckets.get(priority)?.values() ?? []) {
        if (leased.length >= count) return leased;
        if (slot.receipt !== undefined && slot.leaseUntil > now) continue;
        slot.receipt = `pending-${++this.receipts}`;
        slot.leaseUntil = leaseUntil;
        leased.push({ ...slot.entry, receipt: slot.receipt });
      }
    }
    return leased;
  }

  async release(entry: LeasedPendingEntry): Promise<void> {
    const slot = this.slots.get(entryKey(entry.taskId, entry.runId));
    if (!slot || slot.receipt !== entry.receipt) return;
    slot.receipt = undefined;
    slot.leaseUntil = 0;
  }

  async remove(taskId: string, runId: number): Promise<void> {
    const key = entryKey(taskId, runId);
    const slot = this.slots.get(key);
    if (!slot) return;
    this.slots.delete(key);
    this.unbucket(slot.entry, key);
  }

  async count(taskQueueId: string): Promise<number> {
    let total = 0;
    for (const bucket of this.queues.get(taskQueueId)?.values() ?? []) total += bucket.size;
    return total;
  }

  async list(taskQueueId: string, page: PageRequest): Promise<Page<PendingEntry>> {
    const slots: Slot[] = [];
    const buckets = this.queues.get(taskQueueId);
    for (const priority of PRIORITIES) slots.push(...(buckets?.get(priority)?.values() ?? []));
    const listed = pageByKey(slots, claimOrderKey, page);
    return { ...listed, items: listed.items.map((slot) => slot.entry) };
  }

  async deleteExpired({ before, limit }: ExpiredScan): Promise<number> {
    const doomed: [string, Slot][] = [];
    for (const [key, slot] of this.slots) {
      if (doomed.length >= limit) break;
      if (slot.expires < before) doomed.push([key, slot]);
    }
    for (const [key, slot] of doomed) {
      this.slots.delete(key);
      this.unbucket(slot.entry, key);
    }
    return doomed.length;
  }

  private bucket(taskQueueId: string, priority: Priority): Map<string, Slot> {
    let buckets = this.queues.get(taskQueueId);
    if (!buckets) this.queues.set(taskQueueId, (buckets = new Map()));
    let bucket = buckets.get(priority);
    if (!bucket) buckets.set(priority, (bucket = new Map()));
    return bucket;
  }

  private unbucket(entry: PendingEntry, key: string): void {
    const buckets = this.queues.get(entry.taskQueueId);
    const bucket = buckets?.get(entry.priority);
    bucket?.delete(key);
    if (bucket?.size === 0) buckets?.delete(entry.priority);
    if (buckets?.size === 0) this.queues.delete(entry.taskQueueId);
  }
}

/** Priority (highest first), then insertion; fixed-width so the keys sort as strings. */
const claimOrderKey = (slot: Slot): string =>
  `${PRIORITIES.indexOf(slot.entry.priority)}:${slot.seq.toString().padStart(16, '0')}`;
