import { createHash } from 'node:crypto';
import { odata } from '@azure/data-tables';
import type { Artifact, ArtifactStore, ExpiredScan, Page, PageRequest, Versioned } from '@taskcluster-queue/core';
import { boundedKey, escapeKey } from './keys';
import { pagePartition } from './paging';
import { readJson, versionedOf, withJson, type AzureTable, type Entity } from './table-client';

const hash = (value: string) => createHash('sha256').update(value).digest('base64url');

/** Partition: one run (`<taskId>.<runId>`). */
const runKey = (taskId: string, runId: number) => `${escapeKey(taskId)}.${runId}`;

/**
 * Row: the artifact name, escaped and order-preserving, so a run's artifacts list by name. Names
 * are up to 1024 characters but keys only 512: a name whose escaped form is longer than 440 keeps
 * its first 400 and a hash (keys.ts), which orders it by hash among names sharing that prefix.
 */
const nameKey = (name: string) => boundedKey(escapeKey(name), hash);

/** Artifact metadata per (taskId, runId, name); the version is the ETag. */
export class AzureTableArtifactStore implements ArtifactStore {
  constructor(private readonly table: AzureTable) {}

  private entity(artifact: Artifact): Entity {
    return {
      partitionKey: runKey(artifact.taskId, artifact.runId),
      rowKey: nameKey(artifact.name),
      ...withJson({ expires: new Date(artifact.expires) }, artifact),
    };
  }

  async get(taskId: string, runId: number, name: string): Promise<Versioned<Artifact> | undefined> {
    return this.table.getVersioned<Artifact>(runKey(taskId, runId), nameKey(name));
  }

  async create(artifact: Artifact): Promise<Versioned<Artifact>> {
    return this.table.save(this.entity(artifact), artifact, null);
  }

  async update(artifact: Artifact, version: string): Promise<Versioned<Artifact>> {
    return this.table.save(this.entity(artifact), artifact, version);
  }

  async delete(artifact: Artifact, version: string): Promise<void> {
    await this.table.delete(runKey(artifact.taskId, artifact.runId), nameKey(artifact.name), version);
  }

  async list(taskId: string, runId: number, page: PageRequest): Promise<Page<Artifact>> {
    return pagePartition(this.table, runKey(taskId, runId), page, (row) => readJson<Artifact>(row));
  }

  async listExpired({ before, limit }: ExpiredScan): Promise<readonly Versioned<Artifact>[]> {
    return (await this.table.query(odata`expires lt ${new Date(before)}`, limit)).map((row) => versionedOf<Artifact>(row));
  }
}
