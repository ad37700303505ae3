import type { QueueConfig } from '../config';
import type { QueuePorts } from '../ports';

/** What every use case runs with: the ports and the deployment settings. */
export interface UseCaseContext {
  readonly ports: QueuePorts;
  readonly config: QueueConfig;
}
