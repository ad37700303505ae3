import { z } from 'zod';

const seconds = (fallback: number) => z.coerce.number().positive().default(fallback);
const scopeList = z
  .string()
  .transform((text, ctx) => {
    try {
      const parsed: unknown = JSON.parse(text);
      if (Array.isArray(parsed) && parsed.every((s) => typeof s === 'string')) return parsed as string[];
    } catch {
      // fall through to the issue below
    }
    ctx.addIssue({ code: 'custom', message: 'must be a JSON list of scopes, e.g. ["queue:ping"]' });
    return z.NEVER;
  });
const clientList = z.string().transform((text, ctx) => {
  const client = z.strictObject({ clientId: z.string().min(1), accessToken: z.string().min(22), scopes: z.array(z.string()) });
  try {
    const parsed = z.array(client).safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
    ctx.addIssue({ code: 'custom', message: `must be a JSON list of {clientId, accessToken (≥ 22 chars), scopes}: ${parsed.error.issues[0]?.message}` });
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be valid JSON' });
  }
  return z.NEVER;
});

/** Every environment variable the service reads (the README has the table). */
export const environment = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  TASKCLUSTER_ROOT_URL: z.url().optional(),
  QUEUE_ROOT_ACCESS_TOKEN: z.string().min(22, 'must be at least 22 characters').optional(),
  QUEUE_DATA_DIR: z.string().min(1).default('.data'),
  QUEUE_BACKEND: z.enum(['embedded', 'azure', 'memory']).default('embedded'),
  QUEUE_EMBEDDED_S3_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  AZURE_STORAGE_CONNECTION_STRING: z.string().min(1).optional(),
  AZURE_STORAGE_ACCOUNT: z.string().regex(/^[a-z0-9]{3,24}$/, 'must be 3-24 lowercase letters and digits').optional(),
  AZURE_STORAGE_KEY: z.string().min(1).optional(),
  AZURE_TABLE_ENDPOINT: z.url().optional(),
  AZURE_BLOB_ENDPOINT: z.url().optional(),
  AZURE_ARTIFACT_PUBLIC_CONTAINER: z.string().regex(/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/, 'must be an Azure container name').optional(),
  AZURE_ARTIFACT_PRIVATE_CONTAINER: z.string().regex(/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/, 'must be an Azure container name').optional(),
  AZURE_TABLE_PREFIX: z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,29}$/, 'must be letters and digits, starting with a letter (≤ 30)').default('queue'),
  AZURE_TABLE_SHARDS: z.coerce.number().int().min(1).max(100).default(4),
  QUEUE_CLAIM_TIMEOUT: seconds(1200),
  QUEUE_CLAIM_WORK_WAIT: seconds(20),
  QUEUE_BODY_LIMIT: z.coerce.number().int().positive().default(10 * 1024 * 1024),
  QUEUE_CLIENTS: clientList.default([]),
  QUEUE_ANONYMOUS_SCOPES: scopeList.default([]),
  QUEUE_REAPER_INTERVAL: seconds(5),
  // Per-loop idle pauses (seconds); each defaults to QUEUE_REAPER_INTERVAL.
  QUEUE_CLAIM_REAPER_INTERVAL: z.coerce.number().positive().optional(),
  QUEUE_DEADLINE_REAPER_INTERVAL: z.coerce.number().positive().optional(),
  QUEUE_DEPENDENCY_RESOLVER_INTERVAL: z.coerce.number().positive().optional(),
  // GET /metrics: on PORT with the API; processes without it serve it on this port when set.
  QUEUE_METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  QUEUE_METRICS_TASK_QUEUES: z.coerce.number().int().min(0).default(100),
  AMQP_URL: z.string().regex(/^amqps?:\/\//, 'must be an amqp:// or amqps:// URL').optional(),
  PULSE_NAMESPACE: z.string().regex(/^[a-z0-9-]+$/, 'must be lowercase letters, digits and -').default('taskcluster-queue'),
  S3_PUBLIC_BUCKET: z.string().min(3).max(63).optional(),
  S3_PRIVATE_BUCKET: z.string().min(3).max(63).optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_ENDPOINT: z.url().optional(),
  S3_FORCE_PATH_STYLE: z.enum(['true', 'false']).default('false'),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  S3_PUBLIC_BASE_URL: z.url().optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  SENTRY_DSN: z.url().optional(),
  SENTRY_ENVIRONMENT: z.string().min(1).optional(),
  SENTRY_RELEASE: z.string().min(1).optional(),
});

export type Environment = z.infer<typeof environment>;

export interface ServiceConfig extends Environment {
  readonly rootUrl: string;
}

/** Thrown with one line per bad variable, so an operator sees every mistake at once. */
export class ConfigError extends Error {}

export const loadConfig = (env: Readonly<Record<string, string | undefined>>): ServiceConfig => {
  const relevant = Object.fromEntries(Object.keys(environment.shape).flatMap((key) => (env[key] === undefined || env[key] === '' ? [] : [[key, env[key]]])));
  const parsed = environment.safeParse(relevant);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const config = parsed.data;
  const s3Problems = [
    config.QUEUE_BACKEND === 'azure' && !config.AZURE_STORAGE_CONNECTION_STRING && !(config.AZURE_STORAGE_ACCOUNT && config.AZURE_STORAGE_KEY)
      ? '  AZURE_STORAGE_CONNECTION_STRING: QUEUE_BACKEND=azure needs it (or AZURE_STORAGE_ACCOUNT and AZURE_STORAGE_KEY)'
      : '',
    (config.S3_PUBLIC_BUCKET === undefined) !== (config.S3_PRIVATE_BUCKET === undefined)
      ? '  S3_PUBLIC_BUCKET, S3_PRIVATE_BUCKET: set both (s3 artifacts) or neither'
      : '',
    (config.S3_ACCESS_KEY_ID === undefined) !== (config.S3_SECRET_ACCESS_KEY === undefined)
      ? '  S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY: set both, or neither (the AWS default chain)'
      : '',
  ].filter(Boolean);
  if (s3Problems.length > 0) throw new ConfigError(`Invalid configuration:\n${s3Problems.join('\n')}`);
  return { ...config, rootUrl: (config.TASKCLUSTER_ROOT_URL ?? `http://localhost:${config.PORT}`).replace(/\/+$/, '') };
};
