import type { Caller } from '../../caller';
import { DomainError, inputError, WriteConflict } from '../../errors';
import {
  artifactFromRequest,
  blobRefOf,
  checkArtifactExpires,
  checkLinkTarget,
  checkRunAcceptsArtifacts,
  findArtifactRun,
  isBlobStorage,
  reviseArtifact,
  UPLOAD_URL_LIFETIME,
  type BlobStorageType,
} from '../../domain/artifact-rules';
import { artifactEvent } from '../../domain/exchanges';
import { requiredScopes } from '../../domain/scopes';
import { iso } from '../../domain/time';
import type { Artifact } from '../../ports/artifact-store';
import type { BlobStore } from '../../ports/blob-store';
import { finishArtifactRequest, postArtifactRequest, type PostArtifactResponse } from '../../schemas/artifact';
import type { UseCaseContext } from '../context';
import { artifactNotFound, orThrow, parseRunParams } from './artifact-steps';
import { publish } from '../shared/effects';
import { loadTask } from '../shared/modify-task';
import { parseInput } from '../shared/validate';

const MAX_ATTEMPTS = 20;

const throwIf = (error: DomainError | undefined): void => {
  if (error) throw error;
};

/** The deployment's blob store for `storageType`; a deployment without one refuses the type. */
export const blobStoreFor = ({ ports }: UseCaseContext, storageType: BlobStorageType): BlobStore => {
  const store = ports.blobs[storageType];
  if (!store) throw inputError(`This deployment does not support ${storageType} artifacts`, { storageType });
  return store;
};

/**
 * createArtifact (POST /task/<taskId>/runs/<runId>/artifacts/<name>). Repeating a call is safe:
 * the same artifact answers as before (a fresh putUrl for s3/azure, the message again for the
 * others); the changes `reviseArtifact` allows are stored; any other change is a 409.
 *
 * A missing task or run is a 404 here, as everywhere else in this queue; upstream answers 400
 * `InputError` for those, which no client branches on.
 */
export const createArtifact = async (
  ctx: UseCaseContext,
  caller: Caller,
  taskId: string,
  runId: number,
  name: string,
  body: unknown,
): Promise<PostArtifactResponse> => {
  parseRunParams(taskId, runId, name);
  const request = parseInput(postArtifactRequest, body);
  const blobs = isBlobStorage(request.storageType) ? blobStoreFor(ctx, request.storageType) : undefined;

  const task = await loadTask(ctx, taskId);
  const run = orThrow(findArtifactRun(task, runId));
  const { workerGroup, workerId } = run;
  // The scopes name the run's worker, so a run nobody claimed has nobody to create artifacts.
  if (workerGroup === undefined || workerId === undefined) {
    throw inputError(`Run ${runId} of task ${taskId} was never claimed; it takes no artifacts`, { taskId, runId });
  }
  caller.authorize(requiredScopes.createArtifact({ taskId, runId, name, workerGroup, workerId }));

  const now = ctx.ports.clock.now();
  const requested = artifactFromRequest(taskId, runId, name, request);
  throwIf(checkArtifactExpires(requested.expires, task, now));
  throwIf(checkRunAcceptsArtifacts(task, run, now, ctx.config.artifactExceptionWindow));
  if (request.storageType === 'link') {
    throwIf(checkLinkTarget(name, request.artifact));
    if (!(await ctx.ports.artifacts.get(taskId, runId, request.artifact))) {
      throw inputError(`Link target ${request.artifact} does not exist in run ${runId} of task ${taskId}`, {
        taskId,
        runId,
        artifact: request.artifact,
      });
    }
  }

  const stored = await saveArtifact(ctx, requested);

  if (blobs && (stored.storageType === 's3' || stored.storageType === 'azure')) {
    // No message here: the bytes arrive later, by a PUT the queue never sees (upstream likewise).
    const expires = now + UPLOAD_URL_LIFETIME[stored.storageType];
    const { putUrl } = await blobs.createUpload({ ...blobRefOf(stored), contentType: stored.contentType, expires });
    return { storageType: stored.storageType, contentType: stored.contentType, expires: iso(expires), putUrl };
  }
  if (stored.storageType === 'reference' || stored.storageType === 'link' || stored.storageType === 'error') {
    // Sent on every successful call, repeats included: messages are at-least-once hints.
    await publish(ctx, [artifactEvent(task, stored)]);
    return { storageType: stored.storageType };
  }
  // Unreachable: reviseArtifact keeps the storage type except reference → link.
  throw new Error(`createArtifact: unexpected stored storageType ${stored.storageType}`);
};

/** Creates the record, or revises the stored one; re-read and retried on a concurrent write. */
const saveArtifact = async ({ ports }: UseCaseContext, requested: Artifact): Promise<Artifact> => {
  const { taskId, runId, name } = requested;
  for (let attempt = 1; ; attempt++) {
    const current = await ports.artifacts.get(taskId, runId, name);
    try {
      if (!current) return (await ports.artifacts.create(requested)).value;
      const next = orThrow(reviseArtifact(current.value, requested));
      if (next === current.value) return next;
      return (await ports.artifacts.update(next, current.version)).value;
    } catch (error) {
      if (!(error instanceof WriteConflict) || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
};

/**
 * finishArtifact (PUT /task/<taskId>/runs/<runId>/artifacts/<name>). Only `object` artifacts
 * are finished, and this deployment stores none, so an existing artifact is a 400 and a
 * missing one a 404. Scopes are checked as for createArtifact.
 */
export const finishArtifact = async (
  ctx: UseCaseContext,
  caller: Caller,
  taskId: string,
  runId: number,
  name: string,
  body: unknown,
): Promise<void> => {
  parseRunParams(taskId, runId, name);
  parseInput(finishArtifactRequest, body);
  const task = await loadTask(ctx, taskId);
  const run = orThrow(findArtifactRun(task, runId));
  caller.authorize(requiredScopes.finishArtifact({ taskId, runId, name, workerGroup: run.workerGroup, workerId: run.workerId }));
  const found = await ctx.ports.artifacts.get(taskId, runId, name);
  if (!found) throw artifactNotFound(taskId, runId, name);
  throw inputError(`Only object artifacts are finished; this deployment has none (${name} is ${found.value.storageType})`, {
    taskId,
    runId,
    name,
    storageType: found.value.storageType,
  });
};
