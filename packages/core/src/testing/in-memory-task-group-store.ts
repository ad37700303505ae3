import type { TaskGroup, TaskGroupMember, TaskGroupStore } from '../ports/task-group-store';
import type { ExpiredScan, Page, PageRequest, Versioned } from '../ports/versioned';
import { pageByKey } from './paging';
import { VersionedMap } from './versioned-map';

/** Task groups (compare-and-swap), their members, and the set of unresolved members per group. */
export class InMemoryTaskGroupStore implements TaskGroupStore {
  private readonly groups = new VersionedMap<TaskGroup>();
  private readonly members = new Map<string, Map<string, TaskGroupMember>>();
  private readonly active = new Map<string, Set<string>>();

  async get(taskGroupId: string): Promise<Versioned<TaskGroup> | undefined> {
    return this.groups.get(taskGroupId);
  }

  async create(group: TaskGroup): Promise<Versioned<TaskGroup>> {
    return this.groups.create(group.taskGroupId, group);
  }

  async update(group: TaskGroup, version: string): Promise<Versioned<TaskGroup>> {
    return this.groups.update(group.taskGroupId, group, version);
  }

  async delete(taskGroupId: string, version: string): Promise<void> {
    this.groups.delete(taskGroupId, version);
  }

  async listExpired({ before, limit }: ExpiredScan): Promise<readonly Versioned<TaskGroup>[]> {
    const found: Versioned<TaskGroup>[] = [];
    for (const record of this.groups.values()) {
      if (found.length >= limit) break;
      if (Date.parse(record.value.expires) < before) found.push(record);
    }
    return found;
  }

  /** Inserts or replaces the membership (an upsert: adding twice leaves one member). */
  async addMember(member: TaskGroupMember): Promise<void> {
    let group = this.members.get(member.taskGroupId);
    if (!group) this.members.set(member.taskGroupId, (group = new Map()));
    group.set(member.taskId, member);
  }

  async removeMember(taskGroupId: string, taskId: string): Promise<void> {
    const group = this.members.get(taskGroupId);
    group?.delete(taskId);
    if (group?.size === 0) this.members.delete(taskGroupId);
  }

  async listMembers(taskGroupId: string, page: PageRequest): Promise<Page<TaskGroupMember>> {
    return pageByKey(this.members.get(taskGroupId)?.values() ?? [], (m) => m.taskId, page);
  }

  async listExpiredMembers({ before, limit }: ExpiredScan): Promise<readonly TaskGroupMember[]> {
    const found: TaskGroupMember[] = [];
    for (const group of this.members.values()) {
      for (const member of group.values()) {
        if (found.length >= limit) return found;
        if (Date.parse(member.expires) < before) found.push(member);
      }
    }
    return found;
  }

  async markActive(taskGroupId: string, taskId: string): Promise<void> {
    let set = this.active.get(taskGroupId);
    if (!set) this.active.set(taskGroupId, (set = new Set()));
    set.add(taskId);
  }

  async markResolved(taskGroupId: string, taskId: string): Promise<void> {
    const set = this.active.get(taskGroupId);
    set?.delete(taskId);
    if (set?.size === 0) this.active.delete(taskGroupId);
  }

  async hasActive(taskGroupId: string): Promise<boolean> {
    return (this.active.get(taskGroupId)?.size ?? 0) > 0;
  }
}
