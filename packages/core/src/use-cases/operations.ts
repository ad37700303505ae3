import { cancelTask } from './cancel-task';
import { createArtifact, finishArtifact } from './create-artifact';
import { declareProvisioner, getProvisioner, listProvisioners } from './provisioners';
import { quarantineWorker } from './quarantine-worker';
import {
  artifact,
  artifactInfo,
  getArtifact,
  getLatestArtifact,
  latestArtifact,
  latestArtifactInfo,
  listArtifacts,
  listLatestArtifacts,
} from './read-artifacts';
import { pendingTasks, taskQueueCounts } from './task-queue-counts';
import { listClaimedTasks, listPendingTasks } from './task-queue-tasks';
import { getTaskQueue, listTaskQueues } from './task-queues';
import { declareWorkerType, getWorkerType, listWorkerTypes } from './worker-types';
import { declareWorker, getWorker, listWorkers } from './workers';
import { changeTaskPriority } from './change-task-priority';
import { claimTask } from './claim-task';
import { claimWork } from './claim-work';
import { createTask, defineTask } from './create-task';
import { listDependentTasks } from './list-dependent-tasks';
import { status, task, tasks, statuses } from './read-tasks';
import { reclaimTask } from './reclaim-task';
import { rerunTask } from './rerun-task';
import { reportCompleted, reportException, reportFailed } from './resolve-run';
import { scheduleTask } from './schedule-task';
import { cancelTaskGroup, getTaskGroup, listTaskGroup, sealTaskGroup } from './task-groups';

/** Every API operation, named as the taskcluster-client method. */
export const operations = {
  task,
  status,
  tasks,
  statuses,
  createTask,
  defineTask,
  scheduleTask,
  rerunTask,
  cancelTask,
  changeTaskPriority,
  listDependentTasks,
  listTaskGroup,
  getTaskGroup,
  sealTaskGroup,
  cancelTaskGroup,
  claimWork,
  claimTask,
  reclaimTask,
  reportCompleted,
  reportFailed,
  reportException,
  createArtifact,
  finishArtifact,
  getArtifact,
  getLatestArtifact,
  artifact,
  latestArtifact,
  artifactInfo,
  latestArtifactInfo,
  listArtifacts,
  listLatestArtifacts,
  listProvisioners,
  getProvisioner,
  declareProvisioner,
  listWorkerTypes,
  getWorkerType,
  declareWorkerType,
  listTaskQueues,
  getTaskQueue,
  listWorkers,
  getWorker,
  quarantineWorker,
  declareWorker,
  pendingTasks,
  taskQueueCounts,
  listPendingTasks,
  listClaimedTasks,
};
