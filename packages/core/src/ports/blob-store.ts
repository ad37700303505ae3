/** Names under `public/` are readable by URL without credentials; others are private. */
export type BlobVisibility = 'public' | 'private';

export interface BlobRef {
  readonly key: string;
  readonly visibility: BlobVisibility;
}

/** Artifact bytes: signed upload and download URLs, and deletion on expiry. */
export interface BlobStore {
  /** A URL the worker PUTs the bytes to, valid until `expires`. */
  createUpload(blob: BlobRef & { contentType: string; expires: number }): Promise<{ putUrl: string }>;
  /** A URL to GET the bytes (signed and short-lived for private blobs). */
  downloadUrl(blob: BlobRef): Promise<string>;
  /** Deletes the bytes; deleting a missing blob is not an error. */
  delete(blob: BlobRef): Promise<void>;
}
