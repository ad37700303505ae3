import { toJsonSchemas } from '@taskcluster-queue/core';
import type { Endpoint } from '../endpoints';
import { apiReference, exchangesReference, openApiDocument } from './reference';

/** Documents served as they are: references, OpenAPI, and the JSON Schemas they point to. */
export const referenceRoutes = (endpoints: readonly Endpoint[], rootUrl: string) => [
  { path: '/references/queue/v1/api.json', body: apiReference(endpoints, rootUrl) },
  { path: '/references/queue/v1/exchanges.json', body: exchangesReference(rootUrl) },
  { path: '/api/queue/v1/openapi.json', body: openApiDocument(endpoints, rootUrl) },
  ...Object.entries(toJsonSchemas()).map(([name, body]) => ({ path: `/schemas/queue/${name}.json`, body })),
];
