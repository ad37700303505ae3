import type { ExpiredScan, Page, PageRequest, Versioned } from './versioned';

export type StorageType = 's3' | 'azure' | 'reference' | 'link' | 'error';

export interface Artifact {
  readonly taskId: string;
  readonly runId: number;
  readonly name: string;
  readonly storageType: StorageType;
  readonly contentType: string;
  readonly expires: string;
  /** Storage-specific: `{url}` for reference, `{artifact}` for link, `{reason, message}` for error, `{key}` for blobs. */
  readonly details: Readonly<Record<string, string>>;
}

/** Artifact metadata per (taskId, runId, name); the bytes live behind a BlobStore. */
export interface ArtifactStore {
  get(taskId: string, runId: number, name: string): Promise<Versioned<Artifact> | undefined>;
  create(artifact: Artifact): Promise<Versioned<Artifact>>;
  update(artifact: Artifact, version: string): Promise<Versioned<Artifact>>;
  delete(artifact: Artifact, version: string): Promise<void>;
  /** Artifacts of one run, ordered by name. */
  list(taskId: string, runId: number, page: PageRequest): Promise<Page<Artifact>>;
  listExpired(scan: ExpiredScan): Promise<readonly Versioned<Artifact>[]>;
}
