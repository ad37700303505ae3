import type { Dependency, DependencyStore } from '../ports/dependency-store';
import { ms } from '../domain/time';
import type { ExpiredScan, Page, PageRequest } from '../ports/versioned';
import { pageByKey } from './paging';

/** Dependency edges, indexed by the waiting task and by the task it waits for. */
export class InMemoryDependencyStore implements DependencyStore {
  /** dependentTaskId → requiredTaskId → edge. */
  private readonly byDependent = new Map<string, Map<string, Dependency>>();
  /** requiredTaskId → dependentTaskId → edge (the same objects). */
  private readonly byRequired = new Map<string, Map<string, Dependency>>();

  async add(edges: readonly Dependency[]): Promise<void> {
    for (const edge of edges) {
      if (this.byDependent.get(edge.dependentTaskId)?.has(edge.requiredTaskId)) continue;
      this.put(edge);
    }
  }

  async satisfy(dependentTaskId: string, requiredTaskId: string): Promise<void> {
    const edge = this.byDependent.get(dependentTaskId)?.get(requiredTaskId);
    if (edge && !edge.satisfied) this.put({ ...edge, satisfied: true });
  }

  async isBlocked(dependentTaskId: string): Promise<boolean> {
    for (const edge of this.byDependent.get(dependentTaskId)?.values() ?? []) {
      if (!edge.satisfied) return true;
    }
    return false;
  }

  async listDependents(requiredTaskId: string, page: PageRequest): Promise<Page<Dependency>> {
    return pageByKey(this.byRequired.get(requiredTaskId)?.values() ?? [], (e) => e.dependentTaskId, page);
  }

  async removeDependent(dependentTaskId: string): Promise<void> {
    for (const edge of this.byDependent.get(dependentTaskId)?.values() ?? []) {
      this.unindex(this.byRequired, edge.requiredTaskId, dependentTaskId);
    }
    this.byDependent.delete(dependentTaskId);
  }

  async deleteExpired({ before, limit }: ExpiredScan): Promise<number> {
    const doomed: Dependency[] = [];
    for (const edges of this.byDependent.values()) {
      for (const edge of edges.values()) {
        if (doomed.length >= limit) break;
        if (ms(edge.expires) < before) doomed.push(edge);
      }
    }
    for (const edge of doomed) {
      this.unindex(this.byDependent, edge.dependentTaskId, edge.requiredTaskId);
      this.unindex(this.byRequired, edge.requiredTaskId, edge.dependentTaskId);
    }
    return doomed.length;
  }

  private put(edge: Dependency): void {
    index(this.byDependent, edge.dependentTaskId).set(edge.requiredTaskId, edge);
    index(this.byRequired, edge.requiredTaskId).set(edge.dependentTaskId, edge);
  }

  private unindex(map: Map<string, Map<string, Dependency>>, outer: string, inner: string): void {
    const edges = map.get(outer);
    edges?.delete(inner);
    if (edges?.size === 0) map.delete(outer);
  }
}

const index = (map: Map<string, Map<string, Dependency>>, key: string): Map<string, Dependency> => {
  let edges = map.get(key);
  if (!edges) map.set(key, (edges = new Map()));
  return edges;
};
