export { createApp, API_PREFIX, type AppOptions, type RequestObservation } from './http/app';
export { STATUS_OF } from './http/errors';
export { apiReference, exchangesReference, openApiDocument } from './http/reference';
export { queueEndpoints, Reply, type Endpoint, type Call, type Stability } from './endpoints';
export { StaticAuthenticator, type Authenticator, type ClientRecord } from './auth/authenticator';
export { HmacCredentialIssuer, type IssuingClient } from './auth/temporary-credentials';
export { AuthenticationFailed } from './auth/auth-error';
