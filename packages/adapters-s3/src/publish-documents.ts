import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

/**
 * Uploads JSON documents (schemas, API references) to a bucket, each under `<prefix><path>`,
 * readable as `application/json`; returns the keys written.
 */
export const publishDocuments = async (
  client: S3Client,
  bucket: string,
  documents: Readonly<Record<string, unknown>>,
  prefix = '',
): Promise<string[]> => {
  const keys: string[] = [];
  for (const [path, document] of Object.entries(documents)) {
    const key = `${prefix}${path}`;
    await client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: `${JSON.stringify(document, null, 2)}\n`,
        ContentType: 'application/json',
        CacheControl: 'no-cache',
      }),
    );
    keys.push(key);
  }
  return keys;
};
