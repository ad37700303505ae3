import type { BlobRef, BlobStore } from '../ports/blob-store';

/** An upload as `createUpload` was given it; `expires` (ms) is the upload URL's expiry. */
export type InMemoryUpload = BlobRef & { readonly contentType: string; readonly expires: number };

export interface InMemoryBlobStoreOptions {
  /** Time source for the expiry of private download URLs (default `Date.now`). */
  readonly now?: () => number;
  /** Lifetime of private download URLs (default 30 minutes, as the original's signed S3 GETs). */
  readonly downloadTtlMs?: number;
}

const refKey = ({ visibility, key }: BlobRef) => `${visibility}/${key}`;
const urlPath = ({ visibility, key }: BlobRef) => `memory://${visibility}/${key.split('/').map(encodeURIComponent).join('/')}`;

/**
 * Keeps upload metadata only (no bytes: nothing ever PUTs to a `memory://` URL). URLs are
 * `memory://<visibility>/<key>`, with `?expires=<ms>` when they are signed: every upload URL and
 * private download URLs. Deletions are recorded, in order.
 */
export class InMemoryBlobStore implements BlobStore {
  private readonly uploads = new Map<string, InMemoryUpload>();
  private readonly deletions: BlobRef[] = [];
  private readonly now: () => number;
  private readonly downloadTtlMs: number;

  constructor(options: InMemoryBlobStoreOptions = {}) {
    this.now = options.now ?? (() => Date.now());
    this.downloadTtlMs = options.downloadTtlMs ?? 30 * 60 * 1000;
  }

  async createUpload(blob: InMemoryUpload): Promise<{ putUrl: string }> {
    this.uploads.set(refKey(blob), blob);
    return { putUrl: `${urlPath(blob)}?expires=${blob.expires}` };
  }

  async downloadUrl(blob: BlobRef): Promise<string> {
    if (blob.visibility === 'public') return urlPath(blob);
    return `${urlPath(blob)}?expires=${this.now() + this.downloadTtlMs}`;
  }

  async delete(blob: BlobRef): Promise<void> {
    this.uploads.delete(refKey(blob));
    this.deletions.push(blob);
  }

  /** Whether an upload was created for `ref` and not deleted since. */
  has(ref: BlobRef): boolean {
    return this.uploads.has(refKey(ref));
  }

  /** The upload metadata of `ref`, if it has one. */
  upload(ref: BlobRef): InMemoryUpload | undefined {
    return this.uploads.get(refKey(ref));
  }

  /** Every `delete` call so far, oldest first (deleting a missing blob is recorded too). */
  get deleted(): readonly BlobRef[] {
    return this.deletions;
  }
}
