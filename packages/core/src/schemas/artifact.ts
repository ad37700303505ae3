import { z } from 'zod';
import { continuationToken, dateTime } from './common';

export const MAX_ARTIFACT_NAME_LENGTH = 1024;
export const MAX_ERROR_MESSAGE_LENGTH = 4096;

/** Artifact names may contain `/`; `public/` is only a naming convention, not an access rule. */
export const artifactName = z
  .string()
  .min(1)
  .max(MAX_ARTIFACT_NAME_LENGTH)
  .regex(/^[\x20-\x7e]+$/, 'must be printable ASCII')
  .describe('Name of the artifact, unique within its run (printable ASCII, may contain `/`)');

export const STORAGE_TYPES = ['s3', 'azure', 'reference', 'link', 'error'] as const;
export const storageType = z.enum(STORAGE_TYPES).describe('How the artifact is stored');
export type StorageType = z.infer<typeof storageType>;

/** Storage types whose content is reached through a URL. */
export const URL_STORAGE_TYPES = ['s3', 'azure', 'reference', 'link'] as const;

export const ERROR_ARTIFACT_REASONS = [
  'file-missing-on-worker',
  'invalid-resource-on-worker',
  'too-large-file-on-worker',
  'file-not-readable-on-worker',
] as const;
export const errorArtifactReason = z
  .enum(ERROR_ARTIFACT_REASONS)
  .describe('Why the worker could not upload the artifact');

const artifactExpires = dateTime.describe('When the artifact expires; no later than the task expires');
const contentType = z.string().max(255).describe('Content-Type of the artifact');

// --- createArtifact ---------------------------------------------------------------------------

export const s3ArtifactRequest = z
  .strictObject({
    storageType: z.literal('s3'),
    expires: artifactExpires,
    contentType,
  })
  .describe('Upload the artifact to S3 with the returned `putUrl`');

export const azureArtifactRequest = z
  .strictObject({
    storageType: z.literal('azure'),
    expires: artifactExpires,
    contentType,
  })
  .describe('Upload the artifact to Azure blob storage with the returned `putUrl`');

export const referenceArtifactRequest = z
  .strictObject({
    storageType: z.literal('reference'),
    expires: artifactExpires,
    contentType: contentType.optional(),
    url: z.url().describe('URL the artifact redirects to; may be changed by creating the artifact again'),
  })
  .describe('An artifact that redirects to a URL stored elsewhere');

export const linkArtifactRequest = z
  .strictObject({
    storageType: z.literal('link'),
    expires: artifactExpires,
    contentType: contentType.optional(),
    artifact: artifactName.describe('Name of another artifact of the same run that this artifact points to'),
  })
  .describe('An artifact that stands for another artifact of the same run');

export const errorArtifactRequest = z
  .strictObject({
    storageType: z.literal('error'),
    expires: artifactExpires,
    reason: errorArtifactReason,
    message: z.string().max(MAX_ERROR_MESSAGE_LENGTH).describe('Human readable explanation of the error'),
  })
  .describe('Records that the artifact could not be produced; fetching it yields HTTP 424 with the reason');

/** Input of `createArtifact`. */
export const postArtifactRequest = z
  .discriminatedUnion('storageType', [
    s3ArtifactRequest,
    azureArtifactRequest,
    referenceArtifactRequest,
    linkArtifactRequest,
    errorArtifactRequest,
  ])
  .describe('Request to create an artifact for a run; the shape depends on `storageType`');
export type PostArtifactRequest = z.infer<typeof postArtifactRequest>;

/** Response of `createArtifact` for s3/azure: where to PUT the content. */
export const uploadArtifactResponse = z.strictObject({
  storageType: z.enum(['s3', 'azure']),
  contentType: contentType.describe('Content-Type the upload must use'),
  expires: dateTime.describe('When `putUrl` stops working'),
  putUrl: z.url().describe('Signed URL to PUT the artifact content to'),
});

/** Response of `createArtifact` for reference/link/error: nothing to upload. */
export const storedArtifactResponse = z.strictObject({
  storageType: z.enum(['reference', 'link', 'error']),
});

export const postArtifactResponse = z
  .discriminatedUnion('storageType', [uploadArtifactResponse, storedArtifactResponse])
  .describe('Result of creating an artifact: an upload URL for s3/azure, only the storage type otherwise');
export type PostArtifactResponse = z.infer<typeof postArtifactResponse>;

/** Input of `finishArtifact`. */
export const finishArtifactRequest = z
  .strictObject({
    uploadId: z.string().min(1).max(1024).describe('Identifier of the upload returned when the artifact was created'),
  })
  .describe('Request to mark an uploaded artifact as present');
export type FinishArtifactRequest = z.infer<typeof finishArtifactRequest>;

// --- reading artifacts --------------------------------------------------------------------------

const urlArtifactStorageType = z.enum(URL_STORAGE_TYPES).describe('How the artifact is stored');
const artifactUrl = z.url().describe('URL to fetch the artifact content from');

/** JSON body of the redirect of `getArtifact` / `getLatestArtifact`. */
export const getArtifactResponse = z
  .strictObject({ storageType: urlArtifactStorageType, url: artifactUrl })
  .describe('Where the artifact content is; the same URL is sent as the redirect location');
export type GetArtifactResponse = z.infer<typeof getArtifactResponse>;

export const urlArtifactContent = z.strictObject({ storageType: urlArtifactStorageType, url: artifactUrl });
export const errorArtifactContent = z.strictObject({
  storageType: z.literal('error'),
  reason: errorArtifactReason,
  message: z.string().max(MAX_ERROR_MESSAGE_LENGTH).describe('Human readable explanation of the error'),
});

/** Response of `artifact` / `latestArtifact`: how to download, instead of a redirect. */
export const artifactContentResponse = z
  .discriminatedUnion('storageType', [urlArtifactContent, errorArtifactContent])
  .describe('How to download the artifact: a URL, or the recorded error for error artifacts');
export type ArtifactContentResponse = z.infer<typeof artifactContentResponse>;

/** An artifact as listed, described and announced in `artifact-created`. */
export const artifactItem = z.strictObject({
  storageType,
  name: artifactName,
  expires: dateTime.describe('When the artifact expires'),
  contentType: z.string().max(255).describe('Content-Type of the artifact'),
});
export type ArtifactItem = z.infer<typeof artifactItem>;

/** Response of `artifactInfo` / `latestArtifactInfo`. */
export const artifactResponse = artifactItem.describe('Information about an artifact');
export type ArtifactResponse = z.infer<typeof artifactResponse>;

/** Response of `listArtifacts` / `listLatestArtifacts`. */
export const listArtifactsResponse = z
  .strictObject({
    artifacts: z.array(artifactItem).describe('Artifacts of the run on this page'),
    continuationToken: continuationToken.optional(),
  })
  .describe('One page of the artifacts of a run; fetch the next page while `continuationToken` is present');
export type ListArtifactsResponse = z.infer<typeof listArtifactsResponse>;
