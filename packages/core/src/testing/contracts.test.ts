import { describeArtifactStoreContract } from './contracts/artifact-store.contract';
import { describeBlobStoreContract } from './contracts/blob-store.contract';
import { describeClaimStoreContract } from './contracts/claim-store.contract';
import { describeDependencyStoreContract } from './contracts/dependency-store.contract';
import { describeEventPublisherContract } from './contracts/event-publisher.contract';
import { describePendingQueueContract } from './contracts/pending-queue.contract';
import { describeTaskGroupStoreContract } from './contracts/task-group-store.contract';
import { describeTaskStoreContract } from './contracts/task-store.contract';
import { describeTimerQueueContract } from './contracts/timer-queue.contract';
import { describeWorkerInfoStoreContract } from './contracts/worker-info-store.contract';
import { InMemoryArtifactStore } from './in-memory-artifact-store';
import { InMemoryBlobStore } from './in-memory-blob-store';
import { InMemoryClaimStore } from './in-memory-claim-store';
import { InMemoryDependencyStore } from './in-memory-dependency-store';
import { InMemoryEventPublisher } from './in-memory-event-publisher';
import { InMemoryPendingQueue } from './in-memory-pending-queue';
import { InMemoryTaskGroupStore } from './in-memory-task-group-store';
import { InMemoryTaskStore } from './in-memory-task-store';
import { InMemoryTimerQueue } from './in-memory-timer-queue';
import { InMemoryWorkerInfoStore } from './in-memory-worker-info-store';

// In-memory leases trust `now`, so short real waits are enough.
const timing = { leaseMs: 40 };

describeTaskStoreContract('in-memory', async () => ({ store: new InMemoryTaskStore() }));
describeTaskGroupStoreContract('in-memory', async () => ({ store: new InMemoryTaskGroupStore() }));
describeDependencyStoreContract('in-memory', async () => ({ store: new InMemoryDependencyStore() }));
describeArtifactStoreContract('in-memory', async () => ({ store: new InMemoryArtifactStore() }));
describeWorkerInfoStoreContract('in-memory', async () => ({ store: new InMemoryWorkerInfoStore() }));
describePendingQueueContract('in-memory', async () => ({ store: new InMemoryPendingQueue() }), timing);
describeClaimStoreContract('in-memory', async () => ({ store: new InMemoryClaimStore() }), timing);
describeTimerQueueContract('in-memory', async () => ({ store: new InMemoryTimerQueue() }), timing);
describeBlobStoreContract('in-memory', async () => ({ store: new InMemoryBlobStore() }));
describeEventPublisherContract('in-memory', async () => {
  const store = new InMemoryEventPublisher();
  return { store, received: async () => store.events };
});
