import type { TaskGroup, TaskGroupActivity, TaskGroupMember, TaskGroupStore, TaskGroupWrite } from '../ports/task-group-store';
import { ms } from '../domain/time';
import type { ExpiredScan, Page, PageRequest, Versioned } from '../ports/versioned';
import { pageByKey } from './paging';
import { VersionedMap } from './versioned-map';

/**
 * Task groups (compare-and-swap), their members, and the set of unresolved members per group.
 *
 * Most groups hold one task (a task without a taskGroupId is its own group), so a group's
 * members and active set are kept as the one member (or taskId) itself until a second joins,
 * and only then as a Map (or Set): one map entry per single-task group instead of a collection.
 */
export class InMemoryTaskGroupStore implements TaskGroupStore {
  private readonly groups = new VersionedMap<TaskGroup>();
  /** taskGroupId → its only member, or its members by taskId. */
  private readonly members = new Map<string, TaskGroupMember | Map<string, TaskGroupMember>>();
  /** taskGroupId → the taskId of its only unresolved member, or the set of them. */
  private readonly active = new Map<string, string | Set<string>>();

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
    return this.groups.select(limit, (group) => ms(group.expires) < before);
  }

  /** Inserts or replaces the membership (an upsert: adding twice leaves one member). */
  async addMember(member: TaskGroupMember): Promise<void> {
    const { taskGroupId, taskId } = member;
    const group = this.members.get(taskGroupId);
    if (group === undefined || (!(group instanceof Map) && group.taskId === taskId)) {
      this.members.set(taskGroupId, member);
    } else if (group instanceof Map) {
      group.set(taskId, member);
    } else {
      this.members.set(taskGroupId, new Map([[group.taskId, group], [taskId, member]]));
    }
  }

  async removeMember(taskGroupId: string, taskId: string): Promise<void> {
    const group = this.members.get(taskGroupId);
    if (group === undefined) return;
    if (group instanceof Map) {
      group.delete(taskId);
      if (group.size === 0) this.members.delete(taskGroupId);
    } else if (group.taskId === taskId) {
      this.members.delete(taskGroupId);
    }
  }

  async listMembers(taskGroupId: string, page: PageRequest): Promise<Page<TaskGroupMember>> {
    return pageByKey(membersOf(this.members.get(taskGroupId)), (m) => m.taskId, page);
  }

  async listExpiredMembers({ before, limit }: ExpiredScan): Promise<readonly TaskGroupMember[]> {
    const found: TaskGroupMember[] = [];
    for (const group of this.members.values()) {
      for (const member of membersOf(group)) {
        if (found.length >= limit) return found;
        if (ms(member.expires) < before) found.push(member);
      }
    }
    return found;
  }

  async markActive(taskGroupId: string, taskId: string): Promise<void> {
    const set = this.active.get(taskGroupId);
    if (set === undefined) this.active.set(taskGroupId, taskId);
    else if (typeof set !== 'string') set.add(taskId);
    else if (set !== taskId) this.active.set(taskGroupId, new Set([set, taskId]));
  }

  async markResolved(taskGroupId: string, taskId: string): Promise<void> {
    const set = this.active.get(taskGroupId);
    if (set === undefined) return;
    if (typeof set === 'string') {
      if (set === taskId) this.active.delete(taskGroupId);
      return;
    }
    set.delete(taskId);
    if (set.size === 0) this.active.delete(taskGroupId);
  }

  async hasActive(taskGroupId: string): Promise<boolean> {
    return this.active.has(taskGroupId);
  }

  async isMember(taskGroupId: string, taskId: string): Promise<boolean> {
    const members = this.members.get(taskGroupId);
    return members instanceof Map ? members.has(taskId) : members?.taskId === taskId;
  }

  async join(member: TaskGroupMember, group?: TaskGroupWrite): Promise<boolean> {
    const { taskGroupId, taskId } = member;
    if (await this.isMember(taskGroupId, taskId)) return false;
    // The group first: its WriteConflict leaves the store as it was.
    if (group) this.groups.save(taskGroupId, group.value, group.version);
    await this.addMember(member);
    await this.markActive(taskGroupId, taskId);
    return true;
  }

  async resolveMember(taskGroupId: string, taskId: string): Promise<TaskGroupActivity> {
    await this.markResolved(taskGroupId, taskId);
    if (this.active.has(taskGroupId)) return { active: true };
    const group = this.groups.get(taskGroupId)?.value;
    return group ? { active: false, group } : { active: false };
  }
}

const membersOf = (group: TaskGroupMember | Map<string, TaskGroupMember> | undefined): Iterable<TaskGroupMember> =>
  group === undefined ? [] : group instanceof Map ? group.values() : [group];
