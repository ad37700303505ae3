import { cancelTask } from './tasks/cancel-task';
import { createArtifact, finishArtifact } from './artifacts/create-artifact';
import { declareProvisioner, getProvisioner, listProvisioners } from './workers/provisioners';
import { quarantineWorker } from './workers/quarantine-worker';
import {
  artifact,
  artifactInfo,
  getArtifact,
  getLatestArtifact,
  latestArtifact,
  latestArtifactInfo,
  listArtifacts,
  listLatestArtifacts,
} from './artifacts/read-artifacts';
import { pendingTasks, taskQueueCounts } from './workers/task-queue-counts';
import { listClaimedTasks, listPendingTasks } from './workers/task-queue-tasks';
import { getTaskQueue, listTaskQueues } from './workers/task-queues';
import { declareWorkerType, getWorkerType, listWorkerTypes } from './workers/worker-types';
import { declareWorker, getWorker, listWorkers } from './workers/workers';
import { changeTaskPriority } from './tasks/change-task-priority';
import { claimTask } from './work/claim-task';
import { claimWork } from './work/claim-work';
import { createTask, defineTask } from './tasks/create-task';
import { listDependentTasks } from './tasks/list-dependent-tasks';
import { status, task, tasks, statuses } from './tasks/read-tasks';
import { reclaimTask } from './work/reclaim-task';
import { rerunTask } from './tasks/rerun-task';
import { reportCompleted, reportException, reportFailed } from './work/resolve-run';
import { scheduleTask } from './tasks/schedule-task';
import { cancelTaskGroup, getTaskGroup, listTaskGroup, sealTaskGroup } from './tasks/task-groups';

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
