import { artifactCases } from './artifacts';
import type { EndpointCases } from './case';
import { healthCases } from './health';
import { taskCases } from './tasks';
import { workCases } from './work';
import { workerCases } from './workers';

export type { EndpointCase, EndpointCases, ErrorPath, Expected, HappyPath } from './case';

/** A happy path and an error path for every endpoint of the table, by endpoint name. */
export const endpointCases: EndpointCases = {
  ...healthCases,
  ...taskCases,
  ...workCases,
  ...artifactCases,
  ...workerCases,
};
