import S3rver from 's3rver';

export interface EmbeddedS3Server {
  /** `http://127.0.0.1:<port>`; use path-style addressing and any access key. */
  readonly endpoint: string;
  close(): Promise<void>;
}

/**
 * An S3-compatible server in this process (s3rver), keeping objects under `directory`: what the
 * embedded default and the tests use instead of a cloud account. It does not check signatures.
 */
export const startEmbeddedS3Server = async (options: {
  directory: string;
  buckets: readonly string[];
  port?: number;
}): Promise<EmbeddedS3Server> => {
  const server = new S3rver({
    address: '127.0.0.1',
    port: options.port ?? 0,
    silent: true,
    directory: options.directory,
    configureBuckets: options.buckets.map((name) => ({ name, configs: [] })),
  });
  const { port } = await server.run();
  return { endpoint: `http://127.0.0.1:${port}`, close: () => server.close() };
};

/** Connection options for the embedded server (it only checks that an access key is present). */
export const embeddedS3Connection = (endpoint: string) => ({
  region: 'us-east-1',
  endpoint,
  forcePathStyle: true,
  credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
});
