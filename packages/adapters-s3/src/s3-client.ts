import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';

/** Where an S3 (or S3-compatible) service is and how to sign for it. */
export interface S3ConnectionOptions {
  /** AWS region; S3-compatible servers usually accept any (e.g. `us-east-1`). */
  readonly region: string;
  /** Base URL of an S3-compatible server (`http://127.0.0.1:7480`); omitted for AWS. */
  readonly endpoint?: string;
  /** `<endpoint>/<bucket>/<key>` instead of `<bucket>.<endpoint>/<key>`; most S3-compatible servers need it. */
  readonly forcePathStyle?: boolean;
  /** Static keys or a provider; omitted, the SDK's default chain (environment, profile, instance role). */
  readonly credentials?: S3ClientConfig['credentials'];
}

/**
 * The one place this package makes S3 clients, the presigner's included. Checksums only when an
 * operation requires them: the SDK's default (a CRC32 on every request) corrupts streamed
 * uploads on S3-compatible servers, gets them refused by Ceph RGW, and puts the CRC32 of an empty
 * body into presigned PUT URLs, which S3 may then refuse for the real bytes.
 */
export const createS3Client = (options: S3ConnectionOptions): S3Client =>
  new S3Client({
    region: options.region,
    ...(options.endpoint !== undefined && { endpoint: options.endpoint }),
    ...(options.forcePathStyle !== undefined && { forcePathStyle: options.forcePathStyle }),
    ...(options.credentials !== undefined && { credentials: options.credentials }),
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
