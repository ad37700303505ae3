import type { ExpiredScan, Page, PageRequest, Versioned } from './versioned';

export type Stability = 'experimental' | 'stable' | 'deprecated';

export interface ProvisionerAction {
  readonly name: string;
  readonly title: string;
  readonly context: 'provisioner' | 'worker-type' | 'worker';
  readonly url: string;
  readonly method: 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  readonly description: string;
}

export interface Provisioner {
  readonly provisionerId: string;
  readonly expires: string;
  readonly lastDateActive: string;
  readonly description: string;
  readonly stability: Stability;
  readonly actions: readonly ProvisionerAction[];
}

/** A task queue `<provisionerId>/<workerType>`, also listed as a worker type. */
export interface TaskQueueInfo {
  readonly taskQueueId: string;
  readonly expires: string;
  readonly lastDateActive: string;
  readonly description: string;
  readonly stability: Stability;
}

export interface QuarantineDetail {
  readonly clientId: string;
  readonly updatedAt: string;
  readonly quarantineUntil: string;
  readonly quarantineInfo: string;
}

export interface Worker {
  readonly taskQueueId: string;
  readonly workerGroup: string;
  readonly workerId: string;
  readonly recentTasks: readonly { readonly taskId: string; readonly runId: number }[];
  readonly expires: string;
  readonly firstClaim: string;
  readonly lastDateActive: string;
  /** Epoch when never quarantined; the worker gets no work while this is in the future. */
  readonly quarantineUntil: string;
  readonly quarantineDetails: readonly QuarantineDetail[];
}

/** Provisioners, task queues (worker types) and workers, as seen by claims or declared. */
export interface WorkerInfoStore {
  getProvisioner(provisionerId: string): Promise<Versioned<Provisioner> | undefined>;
  /** `version` null: insert, failing with WriteConflict if it exists. */
  saveProvisioner(provisioner: Provisioner, version: string | null): Promise<Versioned<Provisioner>>;
  listProvisioners(page: PageRequest): Promise<Page<Provisioner>>;

  getTaskQueue(taskQueueId: string): Promise<Versioned<TaskQueueInfo> | undefined>;
  saveTaskQueue(taskQueue: TaskQueueInfo, version: string | null): Promise<Versioned<TaskQueueInfo>>;
  /** Task queues ordered by id; with `provisionerId`, only that provisioner's. */
  listTaskQueues(page: PageRequest, provisionerId?: string): Promise<Page<TaskQueueInfo>>;

  getWorker(taskQueueId: string, workerGroup: string, workerId: string): Promise<Versioned<Worker> | undefined>;
  saveWorker(worker: Worker, version: string | null): Promise<Versioned<Worker>>;
  listWorkers(taskQueueId: string, page: PageRequest): Promise<Page<Worker>>;

  /**
   * Deletes up to `scan.limit` provisioners, task queues and workers that expired before
   * `scan.before`; workers quarantined past `scan.before` are kept. Returns how many.
   */
  deleteExpired(scan: ExpiredScan): Promise<number>;
}
