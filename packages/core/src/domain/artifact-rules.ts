import { conflict, DomainError, expired, inputError, notFound } from '../errors';
import type { Artifact, StorageType } from '../ports/artifact-store';
import type { BlobRef, BlobVisibility } from '../ports/blob-store';
import type { PostArtifactRequest } from '../schemas/artifact';
import type { Run } from '../schemas/task';
import type { TaskRecord } from './task-record';
import { CLOCK_DRIFT, iso, MINUTE, ms, normaliseDate } from './time';

/**
 * Artifact rules (queue-inventory §8, §17) as pure functions. Each either returns a value or a
 * DomainError the use case throws; none reads a port.
 */

export const DEFAULT_CONTENT_TYPE = 'application/binary';
/** Error artifacts are always JSON: fetching one yields `{reason, message}`. */
export const ERROR_CONTENT_TYPE = 'application/json';

/** Storage types whose bytes live in a BlobStore. */
export type BlobStorageType = Extract<StorageType, 's3' | 'azure'>;
export const isBlobStorage = (storageType: StorageType): storageType is BlobStorageType =>
  storageType === 's3' || storageType === 'azure';

/** How long the `putUrl` of an upload stays valid (upstream: S3 45 min, Azure 30 min). */
export const UPLOAD_URL_LIFETIME: Readonly<Record<BlobStorageType, number>> = {
  s3: 45 * MINUTE,
  azure: 30 * MINUTE,
};

/** `public/...` names are served from the public bucket/container; everything else is private. */
export const visibilityOf = (name: string): BlobVisibility => (name.startsWith('public/') ? 'public' : 'private');

/** Where the bytes of an artifact live: one key per (taskId, runId, name). */
export const blobKey = (taskId: string, runId: number, name: string): string => `${taskId}/${runId}/${name}`;

export const blobRefOf = (artifact: Artifact): BlobRef => ({
  key: artifact.details.key ?? blobKey(artifact.taskId, artifact.runId, artifact.name),
  visibility: visibilityOf(artifact.name),
});

/** The run artifacts are created for or read from: 404 when the task has no such run. */
export const findArtifactRun = (task: TaskRecord, runId: number): Run | DomainError =>
  task.runs[runId] ?? notFound(`Run ${runId} not found on task ${task.taskId}`, { taskId: task.taskId, runId });

/** The run `latest` methods read: the task's last run, 404 when it has none yet. */
export const latestRun = (task: TaskRecord): Run | DomainError =>
  task.runs[task.runs.length - 1] ?? notFound(`Task ${task.taskId} has no runs`, { taskId: task.taskId });

/** The artifact a createArtifact request describes, as it would be stored. */
export const artifactFromRequest = (taskId: string, runId: number, name: string, request: PostArtifactRequest): Artifact => {
  const base = { taskId, runId, name, storageType: request.storageType, expires: normaliseDate(request.expires) };
  switch (request.storageType) {
    case 's3':
    case 'azure':
      return { ...base, contentType: request.contentType, details: { key: blobKey(taskId, runId, name) } };
    case 'reference':
      return { ...base, contentType: request.contentType ?? DEFAULT_CONTENT_TYPE, details: { url: request.url } };
    case 'link':
      return { ...base, contentType: request.contentType ?? DEFAULT_CONTENT_TYPE, details: { artifact: request.artifact } };
    case 'error':
      return { ...base, contentType: ERROR_CONTENT_TYPE, details: { reason: request.reason, message: request.message } };
  }
};

/**
 * `expires` may be up to 15 minutes in the past (clock drift between worker and queue), and an
 * artifact may not outlive its task, so the artifact expiry job never leaves orphans behind.
 */
export const checkArtifactExpires = (expires: string, task: TaskRecord, now: number): DomainError | undefined => {
  if (ms(expires) < now - CLOCK_DRIFT) {
    return inputError(`Artifact expires (${expires}) must be in the future (it is ${iso(now)})`, { expires });
  }
  if (ms(expires) > ms(task.definition.expires)) {
    return inputError(`Artifact expires (${expires}) must not be after the task expires (${task.definition.expires})`, {
      expires,
      taskExpires: task.definition.expires,
    });
  }
  return undefined;
};

/**
 * A run takes artifacts while it is running and, so a worker can still upload its logs after
 * the task was resolved under it (e.g. canceled), for `exceptionWindow` after an `exception`.
 * Completed and failed runs are final.
 */
export const checkRunAcceptsArtifacts = (
  task: TaskRecord,
  run: Run,
  now: number,
  exceptionWindow: number,
): DomainError | undefined => {
  if (run.state === 'running') return undefined;
  if (run.state === 'exception' && run.resolved !== undefined && now - ms(run.resolved) < exceptionWindow) return undefined;
  return conflict(
    `Artifacts cannot be created for run ${run.runId} of task ${task.taskId}: it is ${run.state}` +
      (run.state === 'exception' ? ` since ${run.resolved} (longer than ${Math.round(exceptionWindow / MINUTE)} minutes)` : ''),
    { taskId: task.taskId, runId: run.runId, state: run.state },
  );
};

/** The link target a link artifact may not point at: itself (the shortest cycle). */
export const checkLinkTarget = (name: string, target: string): DomainError | undefined =>
  target === name ? inputError(`Link artifact ${name} cannot point at itself`, { name }) : undefined;

const sameDetails = (a: Artifact['details'], b: Artifact['details']): boolean => {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
};

/**
 * createArtifact for a name that exists (§8.2, §17). The storage type and content type must
 * stay; `expires` may grow but never shrink; a reference may change its URL or become a link
 * (a worker first points at an upload elsewhere, then at another artifact); any other change of
 * details is a conflict. Returns `stored` itself when nothing changes.
 */
export const reviseArtifact = (stored: Artifact, requested: Artifact): Artifact | DomainError => {
  const where = { taskId: stored.taskId, runId: stored.runId, name: stored.name };
  const referenceToLink = stored.storageType === 'reference' && requested.storageType === 'link';
  if (stored.storageType !== requested.storageType && !referenceToLink) {
    return conflict(
      `Artifact ${stored.name} already exists with storageType ${stored.storageType}, not ${requested.storageType}`,
      { ...where, existing: stored.storageType, given: requested.storageType },
    );
  }
  if (stored.contentType !== requested.contentType) {
    return conflict(`Artifact ${stored.name} already exists with contentType ${stored.contentType}, not ${requested.contentType}`, {
      ...where,
      existing: stored.contentType,
      given: requested.contentType,
    });
  }
  if (ms(requested.expires) < ms(stored.expires)) {
    return conflict(`Artifact ${stored.name} expires ${stored.expires}; its expiry may be extended, not shortened`, {
      ...where,
      existing: stored.expires,
      given: requested.expires,
    });
  }
  const detailsMayChange = stored.storageType === 'reference';
  if (!detailsMayChange && !sameDetails(stored.details, requested.details)) {
    return conflict(`Artifact ${stored.name} already exists with other ${stored.storageType} details`, {
      ...where,
      existing: stored.details,
      given: requested.details,
    });
  }
  if (requested.storageType === stored.storageType && requested.expires === stored.expires && sameDetails(stored.details, requested.details)) {
    return stored;
  }
  return { ...stored, storageType: requested.storageType, expires: requested.expires, details: requested.details };
};

/** An artifact past its expiry that the expiry job has not removed yet is gone for readers. */
export const checkNotExpired = (artifact: Artifact, now: number): DomainError | undefined =>
  ms(artifact.expires) < now
    ? expired(`Artifact ${artifact.name} expired at ${artifact.expires}`, {
        taskId: artifact.taskId,
        runId: artifact.runId,
        name: artifact.name,
        expires: artifact.expires,
      })
    : undefined;

/** The next name of a link chain, or a 400 when following it would revisit a name. */
export const nextLinkName = (artifact: Artifact, visited: readonly string[]): string | DomainError => {
  const target = artifact.details.artifact ?? '';
  if (visited.includes(target)) {
    return inputError(`Link artifacts form a cycle: ${[...visited, target].join(' -> ')}`, {
      taskId: artifact.taskId,
      runId: artifact.runId,
      names: [...visited, target],
    });
  }
  return target;
};

/** An artifact as listed, described by artifactInfo and announced in `artifact-created`. */
export const artifactItemOf = ({ storageType, name, expires, contentType }: Artifact) => ({
  storageType,
  name,
  expires,
  contentType,
});
