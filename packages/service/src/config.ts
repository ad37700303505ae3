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
  QUEUE_BACKEND: z.enum(['memory']).default('memory'),
  QUEUE_CLAIM_TIMEOUT: seconds(1200),
  QUEUE_CLAIM_WORK_WAIT: seconds(20),
  QUEUE_BODY_LIMIT: z.coerce.number().int().positive().default(10 * 1024 * 1024),
  QUEUE_CLIENTS: clientList.default([]),
  QUEUE_ANONYMOUS_SCOPES: scopeList.default([]),
  QUEUE_REAPER_INTERVAL: seconds(5),
  AMQP_URL: z.string().regex(/^amqps?:\/\//, 'must be an amqp:// or amqps:// URL').optional(),
  PULSE_NAMESPACE: z.string().regex(/^[a-z0-9-]+$/, 'must be lowercase letters, digits and -').default('taskcluster-queue'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
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
  return { ...config, rootUrl: (config.TASKCLUSTER_ROOT_URL ?? `http://localhost:${config.PORT}`).replace(/\/+$/, '') };
};
