import type { Artifact, ArtifactStore } from '../ports/artifact-store';
import { ms } from '../domain/time';
import type { ExpiredScan, Page, PageRequest, Versioned } from '../ports/versioned';
import { pageByKey } from './paging';
import { VersionedMap } from './versioned-map';

const runKey = (taskId: string, runId: number) => `${taskId}/${runId}`;
const artifactKey = (taskId: string, runId: number, name: string) => `${runKey(taskId, runId)}/${name}`;

/** Artifact metadata per (taskId, runId, name), written by compare-and-swap. */
export class InMemoryArtifactStore implements ArtifactStore {
  private readonly records = new VersionedMap<Artifact>();
  /** runKey → names of that run's artifacts, so a listing reads one run only. */
  private readonly names = new Map<string, Set<string>>();

  async get(taskId: string, runId: number, name: string): Promise<Versioned<Artifact> | undefined> {
    return this.records.get(artifactKey(taskId, runId, name));
  }

  async create(artifact: Artifact): Promise<Versioned<Artifact>> {
    const { taskId, runId, name } = artifact;
    const created = this.records.create(artifactKey(taskId, runId, name), artifact);
    let names = this.names.get(runKey(taskId, runId));
    if (!names) this.names.set(runKey(taskId, runId), (names = new Set()));
    names.add(name);
    return created;
  }

  async update(artifact: Artifact, version: string): Promise<Versioned<Artifact>> {
    return this.records.update(artifactKey(artifact.taskId, artifact.runId, artifact.name), artifact, version);
  }

  async delete(artifact: Artifact, version: string): Promise<void> {
    const { taskId, runId, name } = artifact;
    this.records.delete(artifactKey(taskId, runId, name), version);
    if (!this.records.has(artifactKey(taskId, runId, name))) this.forget(taskId, runId, name);
  }

  async list(taskId: string, runId: number, page: PageRequest): Promise<Page<Artifact>> {
    const records = [...(this.names.get(runKey(taskId, runId)) ?? [])].map(
      (name) => this.records.get(artifactKey(taskId, runId, name))?.value as Artifact,
    );
    return pageByKey(records, (a) => a.name, page);
  }

  async listExpired({ before, limit }: ExpiredScan): Promise<readonly Versioned<Artifact>[]> {
    const found: Versioned<Artifact>[] = [];
    for (const record of this.records.values()) {
      if (found.length >= limit) break;
      if (ms(record.value.expires) < before) found.push(record);
    }
    return found;
  }

  private forget(taskId: string, runId: number, name: string): void {
    const names = this.names.get(runKey(taskId, runId));
    names?.delete(name);
    if (names?.size === 0) this.names.delete(runKey(taskId, runId));
  }
}
