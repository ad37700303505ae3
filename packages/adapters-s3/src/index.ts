export { S3BlobStore, type S3BlobStoreOptions } from './s3-blob-store';
export { createS3Client, type S3ConnectionOptions } from './s3-client';
export { ensureBucketCors, ARTIFACT_CORS_RULES } from './bucket-cors';
export { publishDocuments } from './publish-documents';
export { startEmbeddedS3Server, embeddedS3Connection, type EmbeddedS3Server } from './embedded-s3-server';
