import { CONTINUOUS_JOBS, EXPIRY_SCHEDULE, jobNamed, type JobName } from '@taskcluster-queue/workers';

/** What the process runs. */
export type Command =
  /** The HTTP API and every background job (what `pnpm start` runs). */
  | { readonly kind: 'all' }
  /** The HTTP API. */
  | { readonly kind: 'web' }
  /** Every background job: the continuous loops and the expiry schedule. */
  | { readonly kind: 'workers' }
  /** One background job alone until SIGTERM: a continuous one loops, an expiry job keeps its schedule. */
  | { readonly kind: 'job'; readonly job: JobName }
  /** One background job until it has nothing left to do, then exit. */
  | { readonly kind: 'run'; readonly job: JobName };

const expiryLines = Object.entries(EXPIRY_SCHEDULE)
  .map(([job, schedule]) => `              ${job.padEnd(26)}${schedule}`)
  .join('\n');

export const USAGE = `usage: taskcluster-queue [all | web | workers | <job> | run <job>]
  all         the HTTP API and every background job in one process (what \`pnpm start\` runs)
  web         the HTTP API (and GET /metrics)
  workers     every background job: the continuous loops and the expiry jobs on their schedule
  <job>       one background job alone until SIGTERM: a continuous one loops, an expiry job
              runs on its schedule
  run <job>   one background job until it has nothing left to do, then exit (0 when done)
jobs:
  continuous  ${CONTINUOUS_JOBS.join(', ')}
  expiry (cron, UTC)
${expiryLines}`;

/** The command of `argv` (no argument: `all`), or undefined when it is not one. */
export const parseCommand = (argv: readonly string[]): Command | undefined => {
  const [first = 'all', second, ...rest] = argv;
  if (rest.length > 0) return undefined;
  if (first === 'run') {
    const job = second === undefined ? undefined : jobNamed(second);
    return job && { kind: 'run', job };
  }
  if (second !== undefined) return undefined;
  if (first === 'all' || first === 'web' || first === 'workers') return { kind: first };
  const job = jobNamed(first);
  return job && { kind: 'job', job };
};
