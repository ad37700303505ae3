import type { GetArtifactResult } from '@taskcluster-queue/core';
import { Reply, runIdOf, type Endpoint } from './endpoint';

const p = (params: Readonly<Record<string, string>>, name: string) => params[name] ?? '';

/** getArtifact's answer: a 303 to the bytes, or 424 for an error artifact. */
const artifactReply = (result: GetArtifactResult): Reply =>
  result.kind === 'redirect'
    ? new Reply(303, { storageType: result.storageType, url: result.url }, {
        location: result.url,
        'x-taskcluster-artifact-storage-type': result.storageType,
      })
    : new Reply(424, { reason: result.reason, message: result.message }, { 'x-taskcluster-artifact-storage-type': 'error' });

const page = ['continuationToken', 'limit'];

/** Creating, finding and listing artifacts. */
export const artifactEndpoints: readonly Endpoint[] = [
  {
    name: 'createArtifact', method: 'post', route: '/task/<taskId>/runs/<runId>/artifacts/<name>', input: 'v1/post-artifact-request',
    output: 'v1/post-artifact-response', scopes: 'createArtifact', stability: 'stable',
    title: 'Create Artifact', description: 'Records an artifact of a running run; s3/azure answer with an upload URL.',
    handle: ({ queue, caller, params, body }) =>
      queue.createArtifact(caller, p(params, 'taskId'), runIdOf(params), p(params, 'name'), body),
  },
  {
    name: 'finishArtifact', method: 'put', route: '/task/<taskId>/runs/<runId>/artifacts/<name>', input: 'v1/finish-artifact-request',
    scopes: 'finishArtifact', stability: 'stable',
    title: 'Finish Artifact', description: 'Marks an object artifact uploaded (this deployment stores none).',
    handle: async ({ queue, caller, params, body }) => {
      await queue.finishArtifact(caller, p(params, 'taskId'), runIdOf(params), p(params, 'name'), body);
      return new Reply(204);
    },
  },
  {
    name: 'getArtifact', method: 'get', route: '/task/<taskId>/runs/<runId>/artifacts/<name>', output: 'v1/get-artifact-response',
    scopes: 'getArtifact', stability: 'stable', title: 'Get Artifact Data from Run', description: 'Redirects (303) to the artifact.',
    handle: async ({ queue, caller, params }) =>
      artifactReply(await queue.getArtifact(caller, p(params, 'taskId'), runIdOf(params), p(params, 'name'))),
  },
  {
    name: 'getLatestArtifact', method: 'get', route: '/task/<taskId>/artifacts/<name>', output: 'v1/get-artifact-response',
    scopes: 'getLatestArtifact', stability: 'stable',
    title: 'Get Artifact Data from Latest Run', description: 'Redirects (303) to the artifact of the latest run.',
    handle: async ({ queue, caller, params }) => artifactReply(await queue.getLatestArtifact(caller, p(params, 'taskId'), p(params, 'name'))),
  },
  {
    name: 'listArtifacts', method: 'get', route: '/task/<taskId>/runs/<runId>/artifacts', query: page,
    output: 'v1/list-artifacts-response', scopes: 'listArtifacts', stability: 'stable',
    title: 'Get Artifacts from Run', description: 'The artifacts of a run, paged.',
    handle: ({ queue, caller, params, query }) => queue.listArtifacts(caller, p(params, 'taskId'), runIdOf(params), query),
  },
  {
    name: 'listLatestArtifacts', method: 'get', route: '/task/<taskId>/artifacts', query: page, output: 'v1/list-artifacts-response',
    scopes: 'listLatestArtifacts', stability: 'stable',
    title: 'Get Artifacts from Latest Run', description: 'The artifacts of the latest run, paged.',
    handle: ({ queue, caller, params, query }) => queue.listLatestArtifacts(caller, p(params, 'taskId'), query),
  },
  {
    name: 'artifactInfo', method: 'get', route: '/task/<taskId>/runs/<runId>/artifact-info/<name>', output: 'v1/artifact-response',
    scopes: 'artifactInfo', stability: 'stable', title: 'Get Artifact Information From Run', description: 'Metadata of an artifact.',
    handle: ({ queue, caller, params }) => queue.artifactInfo(caller, p(params, 'taskId'), runIdOf(params), p(params, 'name')),
  },
  {
    name: 'latestArtifactInfo', method: 'get', route: '/task/<taskId>/artifact-info/<name>', output: 'v1/artifact-response',
    scopes: 'latestArtifactInfo', stability: 'stable',
    title: 'Get Artifact Information From Latest Run', description: 'Metadata of an artifact of the latest run.',
    handle: ({ queue, caller, params }) => queue.latestArtifactInfo(caller, p(params, 'taskId'), p(params, 'name')),
  },
  {
    name: 'artifact', method: 'get', route: '/task/<taskId>/runs/<runId>/artifact-content/<name>',
    output: 'v1/artifact-content-response', scopes: 'artifact', stability: 'stable',
    title: 'Get Artifact Content From Run', description: 'Where and how to download an artifact.',
    handle: ({ queue, caller, params }) => queue.artifact(caller, p(params, 'taskId'), runIdOf(params), p(params, 'name')),
  },
  {
    name: 'latestArtifact', method: 'get', route: '/task/<taskId>/artifact-content/<name>', output: 'v1/artifact-content-response',
    scopes: 'latestArtifact', stability: 'stable',
    title: 'Get Artifact Content From Latest Run', description: 'Where and how to download an artifact of the latest run.',
    handle: ({ queue, caller, params }) => queue.latestArtifact(caller, p(params, 'taskId'), p(params, 'name')),
  },
];
