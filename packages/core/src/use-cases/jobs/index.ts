import { expireClaims } from './expire-claims';
import {
  expireQueueMessages,
  expireTaskDependencies,
  expireTaskGroups,
  expireTasks,
  expireWorkerInfo,
} from './expire-records';
import { resolveDeadlines } from './resolve-deadlines';
import { resolveDependencies } from './resolve-dependencies';
import { expireArtifacts } from './expire-artifacts';

/** The background jobs: continuous (reapers, resolver) first, then the daily expiry jobs. */
export const backgroundJobs = {
  expireClaims,
  resolveDeadlines,
  resolveDependencies,
  expireArtifacts,
  expireTasks,
  expireTaskGroups,
  expireTaskDependencies,
  expireWorkerInfo,
  expireQueueMessages,
};
