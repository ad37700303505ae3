import {
  describeArtifactStoreContract,
  describeClaimStoreContract,
  describeDependencyStoreContract,
  describePendingQueueContract,
  describeTaskGroupStoreContract,
  describeTaskStoreContract,
  describeTimerQueueContract,
  describeWorkerInfoStoreContract,
} from '@taskcluster-queue/core/testing';
import { useAzurite } from './azurite.test-support';
import type { AzureStoragePorts } from './index';

// Every storage contract suite of the core against the Azure adapters on Azurite. Each test gets
// fresh tables under its own prefix, dropped after it.
const azure = useAzurite('contract');

const fixture =
  <K extends keyof AzureStoragePorts>(port: K) =>
  async () => {
    const ports = azure.ports({ shards: 4 });
    return { store: ports[port], cleanup: () => ports.dropTables() };
  };

// The leases trust the `now` they are given (no service-side visibility timeout), so the default
// lease suffices; shorter would only race the requests on a busy machine.
const timing = { leaseMs: 1000 };

describeTaskStoreContract('azure-table', fixture('tasks'));
describeTaskGroupStoreContract('azure-table', fixture('taskGroups'));
describeDependencyStoreContract('azure-table', fixture('dependencies'));
describeArtifactStoreContract('azure-table', fixture('artifacts'));
describeWorkerInfoStoreContract('azure-table', fixture('workerInfo'));
describePendingQueueContract('azure-table', fixture('pending'), timing);
describeClaimStoreContract('azure-table', fixture('claims'), timing);
describeTimerQueueContract('azure-table', fixture('timers'), timing);
