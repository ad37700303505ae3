import { artifactCases } from './artifacts';
import type { EndpointCase, EndpointCases } from './case';
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

/** The cases of an endpoint; throws (failing the test at hand) when none were written. */
export const caseOf = (name: string): EndpointCase => {
  const cases = endpointCases[name];
  if (!cases) throw new Error(`endpoint ${name} has no case: add one to src/testing/endpoint-cases`);
  return cases;
};
