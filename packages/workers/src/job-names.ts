import type { BackgroundJobName } from '@taskcluster-queue/core';

/**
 * The operator-facing name of every background job (process entries, logs, metrics) and the
 * core use case it runs.
 */
export const JOB_NAMES = {
  'claim-reaper': 'expireClaims',
  'deadline-reaper': 'resolveDeadlines',
  'dependency-resolver': 'resolveDependencies',
  'expire-artifacts': 'expireArtifacts',
  'expire-tasks': 'expireTasks',
  'expire-task-groups': 'expireTaskGroups',
  'expire-task-dependencies': 'expireTaskDependencies',
  'expire-worker-info': 'expireWorkerInfo',
  'expire-queue-messages': 'expireQueueMessages',
} as const satisfies Record<string, BackgroundJobName>;

export type JobName = keyof typeof JOB_NAMES;

/** The jobs that run all the time, pausing only when idle. */
export const CONTINUOUS_JOBS = ['claim-reaper', 'deadline-reaper', 'dependency-resolver'] as const satisfies readonly JobName[];
export type ContinuousJobName = (typeof CONTINUOUS_JOBS)[number];

/**
 * The expiry jobs and when they run (cron, UTC): upstream's times (procs.yml of the Taskcluster
 * monorepo), spread over the night so they do not all scan at once.
 */
export const EXPIRY_SCHEDULE = {
  'expire-worker-info': '5 0 * * *',
  'expire-tasks': '10 0 * * *',
  'expire-task-groups': '15 0 * * *',
  'expire-task-dependencies': '20 0 * * *',
  'expire-artifacts': '10 1 * * *',
  'expire-queue-messages': '23 * * * *',
} as const satisfies Record<Exclude<JobName, ContinuousJobName>, string>;
export type ExpiryJobName = keyof typeof EXPIRY_SCHEDULE;

export const ALL_JOBS = Object.keys(JOB_NAMES) as JobName[];

export const isContinuous = (name: JobName): name is ContinuousJobName => (CONTINUOUS_JOBS as readonly string[]).includes(name);

/** A job by its kebab-case name, or by its core use case's name (`expireClaims`); else undefined. */
export const jobNamed = (text: string): JobName | undefined => {
  if (Object.hasOwn(JOB_NAMES, text)) return text as JobName;
  return ALL_JOBS.find((name) => JOB_NAMES[name] === text);
};
