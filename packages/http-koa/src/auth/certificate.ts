import { satisfies } from '@taskcluster-queue/core';
import { AuthenticationFailed } from './auth-error';
import type { ClientRecord } from './authenticator';
import { constantTimeEqual, hmacBase64, hmacBase64url, keyOf, type HmacKey } from './hmac';

/** Temporary credentials (a certificate signed by an issuing client), as Taskcluster defines them. */
export interface Certificate {
  readonly version: 1;
  readonly scopes: readonly string[];
  readonly start: number;
  readonly expiry: number;
  readonly seed: string;
  readonly signature: string;
  readonly issuer?: string;
}

const MAX_LIFETIME = 31 * 24 * 60 * 60 * 1000;
const SKEW = 5 * 60 * 1000;

/** Whether a certificate from `start` to `expiry` is valid at `now`, within the allowed skew. */
export const validAt = (start: number, expiry: number, now: number): boolean => start <= now + SKEW && expiry >= now - SKEW;

/** The text a certificate's signature covers. */
export const certificateText = (cert: Omit<Certificate, 'signature'>, clientId: string, scopesLine = 'scopes:'): string =>
  [
    'version:1',
    ...(cert.issuer !== undefined ? [`clientId:${clientId}`, `issuer:${cert.issuer}`] : []),
    `seed:${cert.seed}`,
    `start:${cert.start}`,
    `expiry:${cert.expiry}`,
    scopesLine,
    ...cert.scopes,
  ].join('\n');

/** The access token temporary credentials are used with: derived from the issuer's secret and the seed. */
export const temporaryAccessToken = (issuerKey: HmacKey, seed: string): string => hmacBase64url(issuerKey, seed);

const isScopeList = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((s) => typeof s === 'string' && /^[\x20-\x7e]*$/.test(s));

/**
 * Checks a certificate presented with Hawk id `clientId`, issued by `issuer`; returns the key
 * the request must be signed with, and the certificate's scopes and expiry.
 */
export const verifyCertificate = (
  raw: unknown,
  clientId: string,
  issuer: ClientRecord,
  now: number,
): { key: string; scopes: readonly string[]; expires: number } => {
  const cert = (typeof raw === 'string' ? parseJson(raw) : raw) as Partial<Certificate> & Record<string, unknown>;
  if (typeof cert !== 'object' || cert === null) throw new AuthenticationFailed('certificate must be an object');
  if (cert.version !== 1) throw new AuthenticationFailed('certificate version must be 1');
  if (typeof cert.seed !== 'string' || cert.seed.length !== 44) throw new AuthenticationFailed('certificate seed must be 44 characters');
  if (typeof cert.start !== 'number' || typeof cert.expiry !== 'number') {
    throw new AuthenticationFailed('certificate start and expiry must be numbers');
  }
  if (!isScopeList(cert.scopes)) throw new AuthenticationFailed('certificate scopes must be a list of scopes');
  if (typeof cert.signature !== 'string') throw new AuthenticationFailed('certificate signature is missing');
  if (cert.start > now + SKEW) throw new AuthenticationFailed('certificate is not valid yet');
  if (cert.expiry < now - SKEW) throw new AuthenticationFailed('certificate has expired');
  // (validAt says the same for a certificate verified before.)
  if (cert.expiry - cert.start > MAX_LIFETIME) throw new AuthenticationFailed('certificate lifetime exceeds 31 days');
  // `*` satisfies every scope (the certificate's are plain scopes, no expressions): skip the algebra.
  const holdsAll = issuer.scopes.includes('*');
  if (cert.issuer !== undefined) {
    if (typeof cert.issuer !== 'string' || cert.issuer === clientId) throw new AuthenticationFailed('certificate issuer is invalid');
    if (!holdsAll && !satisfies(issuer.scopes, `auth:create-client:${clientId}`)) {
      throw new AuthenticationFailed(`issuer ${cert.issuer} may not create client ${clientId}`);
    }
  } else if ('clientId' in cert) {
    throw new AuthenticationFailed('an unnamed certificate must not name a clientId');
  }
  if (!holdsAll && !satisfies(issuer.scopes, { AllOf: cert.scopes })) {
    throw new AuthenticationFailed(`issuer ${issuer.clientId} does not hold every scope of the certificate`);
  }
  const signed = cert as Certificate;
  const key = keyOf(issuer, issuer.accessToken);
  // taskcluster-client signs `scopes:\n` for an empty list; upstream's server signs `scopes:`.
  const signedAs = (scopesLine?: string) => constantTimeEqual(hmacBase64(key, certificateText(signed, clientId, scopesLine)), signed.signature);
  if (!signedAs() && !signedAs('scopes:\n')) throw new AuthenticationFailed('certificate signature is invalid');
  return { key: temporaryAccessToken(key, signed.seed), scopes: signed.scopes, expires: signed.expiry };
};

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    throw new AuthenticationFailed('certificate is not valid JSON');
  }
};
