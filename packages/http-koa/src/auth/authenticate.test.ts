import type { IncomingMessage } from 'node:http';
import { hawkHeader, temporaryCredentials, type Credentials } from '../testing/hawk';
import { AuthenticationFailed } from './auth-error';
import { authenticate } from './authenticate';
import type { Authenticator, ClientRecord } from './authenticator';
import { VerifiedCertificates, type Verified } from './verified-certificates';

// A verified certificate is remembered (by Hawk id and ext text) so the next calls of a worker
// skip its verification: these check that nothing the verification decides is skipped with it.

const URL = 'http://localhost:8080/api/queue/v1/task/abc/runs/0/completed';
const ISSUER: ClientRecord = { clientId: 'static/queue', accessToken: 'issuer-secret', scopes: ['*'] };

const request = (credentials: Credentials, key?: string): IncomingMessage =>
  ({
    method: 'POST',
    url: new globalThis.URL(URL).pathname,
    headers: { host: 'localhost:8080', authorization: hawkHeader({ method: 'POST', url: URL, credentials, ...(key && { key }) }) },
  }) as unknown as IncomingMessage;

const authenticatorWith = (issuer: () => ClientRecord): Authenticator => ({
  client: async (clientId) => (clientId === issuer().clientId ? issuer() : undefined),
  anonymousScopes: [],
});

const credentialsFor = (clientId: string, options: { expiry?: number } = {}) =>
  temporaryCredentials({ issuer: ISSUER, clientId, scopes: ['queue:resolve-task:abc/0'], ...options });

describe('authenticate with a certificate seen before', () => {
  it('accepts the same temporary credentials again, with the same scopes', async () => {
    const credentials = credentialsFor('worker/one');
    const options = { authenticator: authenticatorWith(() => ISSUER), now: () => Date.now(), certificates: new VerifiedCertificates() };
    const first = await authenticate(request(credentials), options);
    const second = await authenticate(request(credentials), options);
    expect(second).toEqual(first);
    expect(second).toEqual({ clientId: 'worker/one', scopes: ['queue:resolve-task:abc/0'] });
  });

  it('verifies again when the issuer record changed: a new secret refuses it', async () => {
    const credentials = credentialsFor('worker/two');
    let issuer = ISSUER;
    const options = { authenticator: authenticatorWith(() => issuer), now: () => Date.now(), certificates: new VerifiedCertificates() };
    await authenticate(request(credentials), options);
    issuer = { ...ISSUER, accessToken: 'rotated-secret' };
    await expect(authenticate(request(credentials), options)).rejects.toThrow('certificate signature is invalid');
  });

  it('verifies again when the issuer record changed: fewer scopes refuse it', async () => {
    const credentials = credentialsFor('worker/three');
    let issuer = ISSUER;
    const options = { authenticator: authenticatorWith(() => issuer), now: () => Date.now(), certificates: new VerifiedCertificates() };
    await authenticate(request(credentials), options);
    issuer = { ...ISSUER, scopes: ['auth:create-client:worker/three'] };
    await expect(authenticate(request(credentials), options)).rejects.toThrow('does not hold every scope of the certificate');
  });

  it('refuses it once expired, and a wrong MAC always', async () => {
    const expiry = Date.now() + 60_000;
    const credentials = credentialsFor('worker/four', { expiry });
    let now = Date.now();
    const options = { authenticator: authenticatorWith(() => ISSUER), now: () => now, certificates: new VerifiedCertificates() };
    await authenticate(request(credentials), options);
    await expect(authenticate(request(credentials, 'not-the-access-token'), options)).rejects.toThrow(AuthenticationFailed);
    now = expiry + 10 * 60_000;
    await expect(authenticate(request(credentials), options)).rejects.toThrow('certificate has expired');
  });
});

describe('the verified certificates kept', () => {
  it('are only those that passed the whole check, Hawk MAC included', async () => {
    const certificates = new VerifiedCertificates();
    const options = { authenticator: authenticatorWith(() => ISSUER), now: () => Date.now(), certificates };
    const credentials = credentialsFor('worker/five');
    await expect(authenticate(request(credentials, 'not-the-access-token'), options)).rejects.toThrow(AuthenticationFailed);
    expect(certificates.size).toBe(0);
    await authenticate(request(credentials), options);
    expect(certificates.size).toBe(1);
  });

  it('are at most `limit`, the least recently used going first', () => {
    const certificates = new VerifiedCertificates(2);
    const entry = {} as Verified;
    certificates.remember('a', 'ext', entry);
    certificates.remember('b', 'ext', entry);
    certificates.recall('a', 'ext');
    certificates.remember('c', 'ext', entry);
    expect([certificates.recall('a', 'ext'), certificates.recall('b', 'ext'), certificates.recall('c', 'ext')]).toEqual([entry, undefined, entry]);
    certificates.remember('d', 'x'.repeat(5000), entry);
    expect(certificates.recall('d', 'x'.repeat(5000))).toBeUndefined();
  });
});
