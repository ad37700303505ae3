import { randomBytes } from 'node:crypto';
import type { CredentialIssuer, CredentialRequest } from '@taskcluster-queue/core';
import { certificateText, temporaryAccessToken } from './certificate';
import { base64url, hmacBase64 } from './hmac';

export interface IssuingClient {
  readonly clientId: string;
  readonly accessToken: string;
}

/** A 44-character random seed, as Taskcluster's (33 random bytes in URL-safe base64). */
const seed = (): string => base64url(randomBytes(33).toString('base64'));

/**
 * Mints named temporary credentials for claimed runs, signed with the queue's own client, which
 * the same server (and any Taskcluster auth service knowing that client) verifies.
 */
export class HmacCredentialIssuer implements CredentialIssuer {
  constructor(private readonly issuer: IssuingClient) {}

  async issue(request: CredentialRequest) {
    const unsigned = {
      version: 1 as const,
      scopes: [...request.scopes],
      start: request.start,
      expiry: request.expiry,
      seed: seed(),
      issuer: this.issuer.clientId,
    };
    const signature = hmacBase64(this.issuer.accessToken, certificateText(unsigned, request.clientId));
    return {
      clientId: request.clientId,
      accessToken: temporaryAccessToken(this.issuer.accessToken, unsigned.seed),
      certificate: JSON.stringify({ ...unsigned, signature }),
    };
  }
}
