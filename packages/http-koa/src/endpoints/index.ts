import { artifactEndpoints } from './artifacts';
import type { Endpoint } from './endpoint';
import { healthEndpoints, type HealthInfo } from './health';
import { taskEndpoints } from './tasks';
import { workEndpoints } from './work';
import { workerEndpoints } from './workers';

export type { Call, Endpoint, Stability } from './endpoint';
export { Reply } from './endpoint';
export type { HealthInfo } from './health';

/** The endpoint table of Queue API v1: the one source of routes, auth, validation and references. */
export const queueEndpoints = (health: HealthInfo): readonly Endpoint[] => [
  ...healthEndpoints(health),
  ...taskEndpoints,
  ...workEndpoints,
  ...artifactEndpoints,
  ...workerEndpoints,
];
