import { GetBucketCorsCommand, PutBucketCorsCommand, type CORSRule, type S3Client } from '@aws-sdk/client-s3';

/**
 * The artifact buckets' CORS rules, as upstream's queue sets them: browsers may upload to a
 * putUrl and download from any origin (the URL itself carries the authorization).
 */
export const ARTIFACT_CORS_RULES: readonly CORSRule[] = Object.freeze([
  Object.freeze({
    AllowedOrigins: ['*'],
    AllowedMethods: ['GET', 'PUT', 'HEAD', 'POST', 'DELETE'],
    AllowedHeaders: ['*'],
    MaxAgeSeconds: 60 * 60,
    ExposeHeaders: [],
  }),
]);

const sorted = (values: readonly string[] | undefined): string[] => [...(values ?? [])].sort();

/** Compares what matters of a rule; servers add an `ID` or drop empty lists. */
const sameRule = (a: CORSRule, b: CORSRule): boolean =>
  (['AllowedOrigins', 'AllowedMethods', 'AllowedHeaders', 'ExposeHeaders'] as const).every(
    (field) => JSON.stringify(sorted(a[field])) === JSON.stringify(sorted(b[field])),
  ) && (a.MaxAgeSeconds ?? undefined) === (b.MaxAgeSeconds ?? undefined);

const sameRules = (current: readonly CORSRule[], wanted: readonly CORSRule[]): boolean =>
  current.length === wanted.length && current.every((rule, i) => sameRule(rule, wanted[i]!));

/**
 * Sets `bucket`'s CORS rules to `ARTIFACT_CORS_RULES` unless it has them already; true when it
 * wrote them. Needs `s3:PutBucketCORS` (and `s3:GetBucketCORS`, without which it always writes).
 * Run at service start; safe on several replicas at once (they write the same rules).
 */
export const ensureBucketCors = async (client: S3Client, bucket: string): Promise<boolean> => {
  try {
    const { CORSRules } = await client.send(new GetBucketCorsCommand({ Bucket: bucket }));
    if (sameRules(CORSRules ?? [], ARTIFACT_CORS_RULES)) return false;
  } catch {
    // No rules yet (`NoSuchCORSConfiguration`) or no permission to read them: write them, and
    // let that call report a real problem (a missing bucket, no `s3:PutBucketCORS`).
  }
  await client.send(
    new PutBucketCorsCommand({
      Bucket: bucket,
      CORSConfiguration: { CORSRules: ARTIFACT_CORS_RULES.map((rule) => structuredClone(rule)) },
    }),
  );
  return true;
};
