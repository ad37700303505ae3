export { S3BlobStore, type S3BlobStoreOptions } from './s3-blob-store';
export { createS3Client, type S3ConnectionOptions } from './s3-client';
export { ensureBucketCors, ARTIFACT_CORS_RULES } from './bucket-cors';
