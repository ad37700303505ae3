export { FakeClock, FAKE_CLOCK_START } from './fake-clock';
export { realClock } from '../real-clock';
export { InMemoryIdGenerator, randomSlugid, randomBytes, base64url } from './in-memory-ids';
export { VersionedMap } from './versioned-map';
export {
  encodeContinuationToken,
  decodeContinuationToken,
  compareKeys,
  sortByKey,
  paginate,
  pageByKey,
} from './paging';
export { InMemoryTaskStore } from './in-memory-task-store';
export { InMemoryTaskGroupStore } from './in-memory-task-group-store';
export { InMemoryDependencyStore } from './in-memory-dependency-store';
export { InMemoryArtifactStore } from './in-memory-artifact-store';
export { InMemoryWorkerInfoStore } from './in-memory-worker-info-store';
export { InMemoryPendingQueue } from './in-memory-pending-queue';
export { InMemoryClaimStore } from './in-memory-claim-store';
export { InMemoryTimerQueue } from './in-memory-timer-queue';
export { InMemoryEventPublisher } from './in-memory-event-publisher';
export { InMemoryBlobStore, type InMemoryUpload, type InMemoryBlobStoreOptions } from './in-memory-blob-store';
export { InMemoryCredentialIssuer, type IssuedCredentials } from './in-memory-credential-issuer';
export { InMemoryWorkNotifier } from './in-memory-work-notifier';
export { createInMemoryPorts, type InMemoryPorts, type InMemoryPortsOptions } from './in-memory-ports';
export {
  type ContractFactory,
  type ContractFixture,
  type LeaseTiming,
  DEFAULT_LEASE_MS,
} from './contracts/support';
export { describeTaskStoreContract } from './contracts/task-store.contract';
export { describeTaskGroupStoreContract } from './contracts/task-group-store.contract';
export { describeDependencyStoreContract } from './contracts/dependency-store.contract';
export { describeArtifactStoreContract } from './contracts/artifact-store.contract';
export { describeWorkerInfoStoreContract } from './contracts/worker-info-store.contract';
export { describePendingQueueContract } from './contracts/pending-queue.contract';
export { describeClaimStoreContract } from './contracts/claim-store.contract';
export { describeTimerQueueContract } from './contracts/timer-queue.contract';
export { describeBlobStoreContract } from './contracts/blob-store.contract';
export { describeEventPublisherContract, type EventPublisherFixture } from './contracts/event-publisher.contract';
export { createInMemoryQueue, type InMemoryQueue, type InMemoryQueueOptions } from './create-in-memory-queue';
