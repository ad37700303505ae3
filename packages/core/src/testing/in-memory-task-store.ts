import type { TaskRecord } from '../domain/task-record';
import { ms } from '../domain/time';
import type { TaskStore } from '../ports/task-store';
import type { ExpiredScan, Versioned } from '../ports/versioned';
import { VersionedMap } from './versioned-map';

/** Task records by taskId, written by compare-and-swap on their version. */
export class InMemoryTaskStore implements TaskStore {
  private readonly records = new VersionedMap<TaskRecord>();

  async get(taskId: string): Promise<Versioned<TaskRecord> | undefined> {
    return this.records.get(taskId);
  }

  async create(task: TaskRecord): Promise<Versioned<TaskRecord>> {
    return this.records.create(task.taskId, task);
  }

  async update(task: TaskRecord, version: string): Promise<Versioned<TaskRecord>> {
    return this.records.update(task.taskId, task, version);
  }

  async delete(taskId: string, version: string): Promise<void> {
    this.records.delete(taskId, version);
  }

  async listExpired({ before, limit }: ExpiredScan): Promise<readonly Versioned<TaskRecord>[]> {
    return this.records.select(limit, (task) => ms(task.definition.expires) < before);
  }
}
