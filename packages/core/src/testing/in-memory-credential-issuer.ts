import type { CredentialIssuer, CredentialRequest } from '../ports/credential-issuer';
import type { TaskCredentials } from '../schemas/work';
import { base64url, randomBytes } from './in-memory-ids';

export interface IssuedCredentials {
  readonly request: CredentialRequest;
  readonly credentials: TaskCredentials;
}

/**
 * Mints temporary credentials shaped like Taskcluster's (a version-1 certificate with scopes,
 * start, expiry, seed, signature and issuer) and records every request.
 *
 * A test fake: the signature is a random placeholder and the access token is not derived from
 * the seed, so no Taskcluster service would accept these. The HTTP package signs real ones.
 */
export class InMemoryCredentialIssuer implements CredentialIssuer {
  private readonly log: IssuedCredentials[] = [];

  private readonly issuer: string;

  private readonly record: boolean;

  /**
   * `issuer`: the clientId the certificates name as their signer. `record: false`: keep no log
   * of what was issued (as a real issuer), for long runs.
   */
  constructor(options: { issuer?: string; record?: boolean } = {}) {
    this.issuer = options.issuer ?? 'queue-in-memory';
    this.record = options.record ?? true;
  }

  async issue(request: CredentialRequest): Promise<TaskCredentials> {
    // One draw of randomness for the three values (seed, signature placeholder, token).
    const random = base64url(randomBytes(99));
    const certificate = {
      version: 1,
      scopes: [...request.scopes],
      start: request.start,
      expiry: request.expiry,
      seed: random.slice(0, 44),
      signature: random.slice(44, 88),
      issuer: this.issuer,
    };
    const credentials: TaskCredentials = {
      clientId: request.clientId,
      accessToken: random.slice(88),
      certificate: JSON.stringify(certificate),
    };
    if (this.record) this.log.push({ request, credentials });
    return credentials;
  }

  /** Every issued request with the credentials it got, oldest first. */
  get issued(): readonly IssuedCredentials[] {
    return this.log;
  }
}
