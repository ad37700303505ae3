import { randomBytes, type KeyObject } from 'node:crypto';
import type { CredentialIssuer, CredentialRequest } from '@taskcluster-queue/core';
import { certificateText, temporaryAccessToken } from './certificate';
import { hmacBase64, hmacKey } from './hmac';

export interface IssuingClient {
  readonly clientId: string;
  readonly accessToken: string;
}

/** A 44-character random seed, as Taskcluster's (33 random bytes in URL-safe base64). */
const seed = (): string => randomBytes(33).toString('base64url');

/**
 * Mints named temporary credentials for claimed runs, signed with the queue's own client, which
 * the same server (and any Taskcluster auth service knowing that client) verifies.
 */
export class HmacCredentialIssuer implements CredentialIssuer {
  private readonly key: KeyObject;

  constructor(private readonly issuer: IssuingClient) {
    this.key = hmacKey(issuer.accessToken);
  }

  async issue(request: CredentialRequest) {
    const unsigned = {
      version: 1 as const,
      scopes: [...request.scopes],
      start: request.start,
      expiry: request.expiry,
      seed: seed(),
      issuer: this.issuer.clientId,
    };
    const signature = hmacBase64(this.key, certificateText(unsigned, request.clientId));
    return {
      clientId: request.clientId,
      accessToken: temporaryAccessToken(this.key, unsigned.seed),
      // Field by field (same text as spreading `unsigned`, which is slower).
      certificate: JSON.stringify({
        version: unsigned.version,
        scopes: unsigned.scopes,
        start: unsigned.start,
        expiry: unsigned.expiry,
        seed: unsigned.seed,
        issuer: unsigned.issuer,
        signature,
      }),
    };
  }
}
