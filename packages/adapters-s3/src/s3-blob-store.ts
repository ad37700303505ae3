import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3ServiceException, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { BlobRef, BlobStore, BlobVisibility } from '@taskcluster-queue/core';
import { ensureBucketCors } from './bucket-cors';
import { createS3Client, type S3ConnectionOptions } from './s3-client';

const MINUTE = 60 * 1000;
/** SigV4 presigned URLs live at most 7 days. */
const MAX_PRESIGN_SECONDS = 7 * 24 * 60 * 60;

export interface S3BlobStoreOptions extends S3ConnectionOptions {
  /** Bucket of `public/...` artifacts; its objects must be readable without credentials (bucket policy or CDN). */
  readonly publicBucket: string;
  /** Bucket of every other artifact; read only through signed URLs. */
  readonly privateBucket: string;
  /** CDN in front of the public bucket (`https://cdn.example.com`): public URLs are `<base>/<key>`. */
  readonly publicBaseUrl?: string;
  /** Lifetime of signed GET URLs for private artifacts, ms (default 30 minutes, as upstream). */
  readonly privateUrlLifetime?: number;
  /**
   * The clock `expires` of `createUpload` is measured on (default `Date.now`): the queue's clock,
   * so a fake clock in tests still gives URLs the lifetime the core asked for. Signatures
   * themselves are always dated by the wall clock, which is what S3 checks them against.
   */
  readonly now?: () => number;
}

/** Encodes each segment of a key for a URL path, keeping the `/` separators (as the SDK does). */
const encodeKey = (key: string): string =>
  key
    .split('/')
    .map((segment) => encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
    .join('/');

const toPresignSeconds = (ms: number, what: string): number => {
  if (!(ms > 0)) throw new RangeError(`S3BlobStore: ${what} is already past (${ms} ms from now)`);
  // Rounded down (and dated by a whole second), so the URL never outlives what was asked.
  const seconds = Math.max(1, Math.floor(ms / 1000));
  if (seconds > MAX_PRESIGN_SECONDS) {
    throw new RangeError(`S3BlobStore: ${what} is ${seconds} s away; presigned URLs live at most ${MAX_PRESIGN_SECONDS} s`);
  }
  return seconds;
};

const isMissingObject = (error: unknown): boolean =>
  error instanceof S3ServiceException &&
  error.name !== 'NoSuchBucket' &&
  (error.name === 'NoSuchKey' || error.name === 'NotFound' || error.$metadata.httpStatusCode === 404);

/**
 * Artifact bytes in two S3 buckets: `public/...` names in the public one, read by plain URL (or
 * through a CDN); everything else in the private one, read by a signed URL. Keys are the core's
 * (`<taskId>/<runId>/<name>`). Workers upload with a presigned PUT that signs the content type,
 * so the bytes arrive with the type the artifact was created with.
 */
export class S3BlobStore implements BlobStore {
  /** The client every call (and the presigner) uses; built with `createS3Client`. */
  readonly client: S3Client;
  private readonly buckets: Readonly<Record<BlobVisibility, string>>;
  private readonly publicBaseUrl: string | undefined;
  private readonly privateUrlSeconds: number;
  private readonly now: () => number;

  constructor(options: S3BlobStoreOptions) {
    if (!options.publicBucket || !options.privateBucket) throw new TypeError('S3BlobStore: publicBucket and privateBucket are required');
    if (options.publicBaseUrl !== undefined && !/^https?:\/\/[^/]/.test(options.publicBaseUrl)) {
      throw new TypeError(`S3BlobStore: publicBaseUrl must be an http(s) URL, got ${options.publicBaseUrl}`);
    }
    this.client = createS3Client(options);
    this.buckets = { public: options.publicBucket, private: options.privateBucket };
    this.publicBaseUrl = options.publicBaseUrl?.replace(/\/+$/, '');
    this.privateUrlSeconds = toPresignSeconds(options.privateUrlLifetime ?? 30 * MINUTE, 'privateUrlLifetime');
    this.now = options.now ?? (() => Date.now());
  }

  /** The bucket a blob of this visibility lives in. */
  bucketOf(visibility: BlobVisibility): string {
    return this.buckets[visibility];
  }

  async createUpload({ key, visibility, contentType, expires }: BlobRef & { contentType: string; expires: number }): Promise<{ putUrl: string }> {
    const command = new PutObjectCommand({ Bucket: this.buckets[visibility], Key: key, ContentType: contentType });
    const putUrl = await getSignedUrl(this.client, command, {
      expiresIn: toPresignSeconds(expires - this.now(), 'the upload expiry'),
      // A header, not a query parameter: the uploader must send exactly this Content-Type.
      signableHeaders: new Set(['content-type']),
    });
    return { putUrl };
  }

  async downloadUrl({ key, visibility }: BlobRef): Promise<string> {
    const command = new GetObjectCommand({ Bucket: this.buckets[visibility], Key: key });
    if (visibility === 'private') return getSignedUrl(this.client, command, { expiresIn: this.privateUrlSeconds });
    if (this.publicBaseUrl !== undefined) return `${this.publicBaseUrl}/${encodeKey(key)}`;
    // The SDK knows the bucket's address (virtual-hosted or path style, region, names with
    // dots): take it from a signed URL and drop the signature.
    const signed = new URL(await getSignedUrl(this.client, command, { expiresIn: 60 }));
    signed.search = '';
    return signed.toString();
  }

  async delete({ key, visibility }: BlobRef): Promise<void> {
    try {
      // S3 answers 204 for a missing key; some compatible servers answer 404.
      await this.client.send(new DeleteObjectCommand({ Bucket: this.buckets[visibility], Key: key }));
    } catch (error) {
      if (isMissingObject(error)) return;
      throw error;
    }
  }

  /**
   * Sets both buckets' CORS rules (see `ensureBucketCors`), for the service to call at start.
   * Resolves to the buckets whose rules it wrote.
   */
  async configureBuckets(): Promise<string[]> {
    const buckets = [...new Set(Object.values(this.buckets))];
    const written = await Promise.all(buckets.map((bucket) => ensureBucketCors(this.client, bucket)));
    return buckets.filter((_, i) => written[i]);
  }

  /** Closes the client's connections. */
  close(): void {
    this.client.destroy();
  }
}
