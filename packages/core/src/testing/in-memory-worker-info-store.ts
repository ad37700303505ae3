import type { ExpiredScan, Page, PageRequest, Versioned } from '../ports/versioned';
import { ms } from '../domain/time';
import type { Provisioner, TaskQueueInfo, Worker, WorkerInfoStore } from '../ports/worker-info-store';
import { pageByKey } from './paging';
import { VersionedMap } from './versioned-map';

// NUL sorts before every character of an identifier, so keys order as (taskQueueId, workerGroup, workerId).
const workerKey = (taskQueueId: string, workerGroup: string, workerId: string) =>
  `${taskQueueId}\u0000${workerGroup}\u0000${workerId}`;

/** The provisioner part of a task queue id: everything before the first `/`. */
const provisionerOf = (taskQueueId: string): string => {
  const slash = taskQueueId.indexOf('/');
  return slash < 0 ? taskQueueId : taskQueueId.slice(0, slash);
};

/** Provisioners, task queues and workers, each written by compare-and-swap. */
export class InMemoryWorkerInfoStore implements WorkerInfoStore {
  private readonly provisioners = new VersionedMap<Provisioner>();
  private readonly taskQueues = new VersionedMap<TaskQueueInfo>();
  /** taskQueueId → workers of that queue, so a listing reads one queue only. */
  private readonly workers = new Map<string, VersionedMap<Worker>>();

  async getProvisioner(provisionerId: string): Promise<Versioned<Provisioner> | undefined> {
    return this.provisioners.get(provisionerId);
  }

  async saveProvisioner(provisioner: Provisioner, version: string | null): Promise<Versioned<Provisioner>> {
    return this.provisioners.save(provisioner.provisionerId, provisioner, version);
  }

  async listProvisioners(page: PageRequest): Promise<Page<Provisioner>> {
    return pageByKey(valuesOf(this.provisioners), (p) => p.provisionerId, page);
  }

  async getTaskQueue(taskQueueId: string): Promise<Versioned<TaskQueueInfo> | undefined> {
    return this.taskQueues.get(taskQueueId);
  }

  async saveTaskQueue(taskQueue: TaskQueueInfo, version: string | null): Promise<Versioned<TaskQueueInfo>> {
    return this.taskQueues.save(taskQueue.taskQueueId, taskQueue, version);
  }

  async listTaskQueues(page: PageRequest, provisionerId?: string): Promise<Page<TaskQueueInfo>> {
    const queues = valuesOf(this.taskQueues).filter(
      (q) => provisionerId === undefined || provisionerOf(q.taskQueueId) === provisionerId,
    );
    return pageByKey(queues, (q) => q.taskQueueId, page);
  }

  async getWorker(taskQueueId: string, workerGroup: string, workerId: string): Promise<Versioned<Worker> | undefined> {
    return this.workers.get(taskQueueId)?.get(workerKey(taskQueueId, workerGroup, workerId));
  }

  async saveWorker(worker: Worker, version: string | null): Promise<Versioned<Worker>> {
    let workers = this.workers.get(worker.taskQueueId);
    if (!workers) this.workers.set(worker.taskQueueId, (workers = new VersionedMap()));
    return workers.save(workerKey(worker.taskQueueId, worker.workerGroup, worker.workerId), worker, version);
  }

  async listWorkers(taskQueueId: string, page: PageRequest): Promise<Page<Worker>> {
    const workers = this.workers.get(taskQueueId);
    return pageByKey(workers ? valuesOf(workers) : [], (w) => workerKey(w.taskQueueId, w.workerGroup, w.workerId), page);
  }

  async deleteExpired({ before, limit }: ExpiredScan): Promise<number> {
    let deleted = 0;
    const expired = (expires: string) => deleted < limit && ms(expires) < before;
    for (const [key, { value }] of [...this.provisioners.entries()]) {
      if (expired(value.expires) && this.provisioners.remove(key)) deleted++;
    }
    for (const [key, { value }] of [...this.taskQueues.entries()]) {
      if (expired(value.expires) && this.taskQueues.remove(key)) deleted++;
    }
    for (const [taskQueueId, workers] of [...this.workers.entries()]) {
      for (const [key, { value }] of [...workers.entries()]) {
        const quarantined = ms(value.quarantineUntil) > before;
        if (!quarantined && expired(value.expires) && workers.remove(key)) deleted++;
      }
      if (workers.size === 0) this.workers.delete(taskQueueId);
    }
    return deleted;
  }
}

const valuesOf = <V>(map: VersionedMap<V>): V[] => [...map.values()].map((record) => record.value);
