import type { Caller } from '../../caller';
import {
  artifactItemOf,
  blobRefOf,
  checkNotExpired,
  findArtifactRun,
  latestRun,
  nextLinkName,
} from '../../domain/artifact-rules';
import { requiredScopes } from '../../domain/scopes';
import type { Artifact } from '../../ports/artifact-store';
import type { PageRequest } from '../../ports/versioned';
import {
  type ArtifactContentResponse,
  type ArtifactResponse,
  type ERROR_ARTIFACT_REASONS,
  type ListArtifactsResponse,
} from '../../schemas/artifact';
import type { PageQuery } from '../../schemas/common';
import type { UseCaseContext } from '../context';
import { artifactNotFound, orThrow, parseLatestParams, parseRunParams } from './artifact-steps';
import { blobStoreFor } from './create-artifact';
import { loadTask } from '../shared/modify-task';
import { pageRequest } from '../shared/paging';

/**
 * What getArtifact / getLatestArtifact found: the HTTP layer answers a redirect with 303 (the
 * `Location` and a JSON body `{storageType, url}`) and an error artifact with 424
 * `{reason, message}`. `storageType` is that of the artifact the URL belongs to, i.e. the end
 * of a link chain.
 */
export type GetArtifactResult =
  | { readonly kind: 'redirect'; readonly storageType: 's3' | 'azure' | 'reference'; readonly url: string }
  | {
      readonly kind: 'error';
      readonly storageType: 'error';
      readonly reason: (typeof ERROR_ARTIFACT_REASONS)[number];
      readonly message: string;
    };

type GetOperation = 'getArtifact' | 'getLatestArtifact' | 'artifact' | 'latestArtifact';

const loadRunId = async (ctx: UseCaseContext, taskId: string, runId: number): Promise<number> =>
  orThrow(findArtifactRun(await loadTask(ctx, taskId), runId)).runId;

const loadLatestRunId = async (ctx: UseCaseContext, taskId: string): Promise<number> =>
  orThrow(latestRun(await loadTask(ctx, taskId))).runId;

/** One artifact as readers see it: 404 when missing, 410 when expired but not yet removed. */
const loadArtifact = async ({ ports }: UseCaseContext, taskId: string, runId: number, name: string): Promise<Artifact> => {
  const found = await ports.artifacts.get(taskId, runId, name);
  if (!found) throw artifactNotFound(taskId, runId, name);
  const gone = checkNotExpired(found.value, ports.clock.now());
  if (gone) throw gone;
  return found.value;
};

/**
 * Follows links within the run to the artifact holding the content. Before reading each name
 * the caller must hold `queue:get-artifact:<n>` for every name so far, so nothing about an
 * artifact (not even whether it exists) is revealed to a caller who may not read it.
 */
const followLinks = async (
  ctx: UseCaseContext,
  caller: Caller,
  operation: GetOperation,
  taskId: string,
  runId: number,
  name: string,
): Promise<Artifact> => {
  const names = [name];
  for (;;) {
    const artifact = await loadArtifact(ctx, taskId, runId, names[names.length - 1]!);
    if (artifact.storageType !== 'link') return artifact;
    names.push(orThrow(nextLinkName(artifact, names)));
    caller.authorize(requiredScopes[operation]({ names }));
  }
};

const resultOf = async (ctx: UseCaseContext, artifact: Artifact): Promise<GetArtifactResult> => {
  switch (artifact.storageType) {
    case 's3':
    case 'azure': {
      const url = await blobStoreFor(ctx, artifact.storageType).downloadUrl(blobRefOf(artifact));
      return { kind: 'redirect', storageType: artifact.storageType, url };
    }
    case 'reference':
      return { kind: 'redirect', storageType: 'reference', url: artifact.details.url ?? '' };
    case 'error':
      return {
        kind: 'error',
        storageType: 'error',
        reason: artifact.details.reason as (typeof ERROR_ARTIFACT_REASONS)[number],
        message: artifact.details.message ?? '',
      };
    case 'link':
      // followLinks never stops at a link.
      throw new Error(`read-artifacts: unresolved link ${artifact.name}`);
  }
};

const contentOf = (result: GetArtifactResult): ArtifactContentResponse =>
  result.kind === 'redirect'
    ? { storageType: result.storageType, url: result.url }
    : { storageType: 'error', reason: result.reason, message: result.message };

/** getArtifact (GET /task/<taskId>/runs/<runId>/artifacts/<name>): where the content is. */
export const getArtifact = async (
  ctx: UseCaseContext,
  caller: Caller,
  taskId: string,
  runId: number,
  name: string,
): Promise<GetArtifactResult> => {
  parseRunParams(taskId, runId, name);
  caller.authorize(requiredScopes.getArtifact({ names: [name] }));
  await loadRunId(ctx, taskId, runId);
  return resultOf(ctx, await followLinks(ctx, caller, 'getArtifact', taskId, runId, name));
};

/** getLatestArtifact (GET /task/<taskId>/artifacts/<name>): getArtifact of the task's last run. */
export const getLatestArtifact = async (
  ctx: UseCaseContext,
  caller: Caller,
  taskId: string,
  name: string,
): Promise<GetArtifactResult> => {
  parseLatestParams(taskId, name);
  caller.authorize(requiredScopes.getLatestArtifact({ names: [name] }));
  const runId = await loadLatestRunId(ctx, taskId);
  return resultOf(ctx, await followLinks(ctx, caller, 'getLatestArtifact', taskId, runId, name));
};

/** artifact (GET /task/<taskId>/runs/<runId>/artifact-content/<name>): getArtifact as data, no redirect. */
export const artifact = async (
  ctx: UseCaseContext,
  caller: Caller,
  taskId: string,
  runId: number,
  name: string,
): Promise<ArtifactContentResponse> => {
  parseRunParams(taskId, runId, name);
  caller.authorize(requiredScopes.artifact({ names: [name] }));
  await loadRunId(ctx, taskId, runId);
  return contentOf(await resultOf(ctx, await followLinks(ctx, caller, 'artifact', taskId, runId, name)));
};

/** latestArtifact (GET /task/<taskId>/artifact-content/<name>). */
export const latestArtifact = async (
  ctx: UseCaseContext,
  caller: Caller,
  taskId: string,
  name: string,
): Promise<ArtifactContentResponse> => {
  parseLatestParams(taskId, name);
  caller.authorize(requiredScopes.latestArtifact({ names: [name] }));
  const runId = await loadLatestRunId(ctx, taskId);
  return contentOf(await resultOf(ctx, await followLinks(ctx, caller, 'latestArtifact', taskId, runId, name)));
};

/** artifactInfo (GET /task/<taskId>/runs/<runId>/artifact-info/<name>): the artifact itself, links unfollowed. */
export const artifactInfo = async (
  ctx: UseCaseContext,
  caller: Caller,
  taskId: string,
  runId: number,
  name: string,
): Promise<ArtifactResponse> => {
  parseRunParams(taskId, runId, name);
  caller.authorize(requiredScopes.artifactInfo({ taskId, runId }));
  await loadRunId(ctx, taskId, runId);
  return artifactItemOf(await loadArtifact(ctx, taskId, runId, name));
};

/** latestArtifactInfo (GET /task/<taskId>/artifact-info/<name>). */
export const latestArtifactInfo = async (
  ctx: UseCaseContext,
  caller: Caller,
  taskId: string,
  name: string,
): Promise<ArtifactResponse> => {
  parseLatestParams(taskId, name);
  caller.authorize(requiredScopes.latestArtifactInfo({ taskId }));
  const runId = await loadLatestRunId(ctx, taskId);
  return artifactItemOf(await loadArtifact(ctx, taskId, runId, name));
};

/**
 * One page of a run's artifacts, ordered by name. Artifacts past their expiry are listed until
 * the expiry job removes them (as upstream).
 */
const listPage = async (
  { ports }: UseCaseContext,
  taskId: string,
  runId: number,
  request: PageRequest,
): Promise<ListArtifactsResponse> => {
  const page = await ports.artifacts.list(taskId, runId, request);
  return {
    artifacts: page.items.map(artifactItemOf),
    ...(page.continuationToken !== undefined && { continuationToken: page.continuationToken }),
  };
};

/** listArtifacts (GET /task/<taskId>/runs/<runId>/artifacts). */
export const listArtifacts = async (
  ctx: UseCaseContext,
  caller: Caller,
  taskId: string,
  runId: number,
  query?: PageQuery,
): Promise<ListArtifactsResponse> => {
  parseRunParams(taskId, runId);
  caller.authorize(requiredScopes.listArtifacts({ taskId, runId }));
  const page = pageRequest(query);
  await loadRunId(ctx, taskId, runId);
  return listPage(ctx, taskId, runId, page);
};

/** listLatestArtifacts (GET /task/<taskId>/artifacts): listArtifacts of the task's last run. */
export const listLatestArtifacts = async (
  ctx: UseCaseContext,
  caller: Caller,
  taskId: string,
  query?: PageQuery,
): Promise<ListArtifactsResponse> => {
  parseLatestParams(taskId);
  caller.authorize(requiredScopes.listLatestArtifacts({ taskId }));
  const page = pageRequest(query);
  const runId = await loadLatestRunId(ctx, taskId);
  return listPage(ctx, taskId, runId, page);
};
