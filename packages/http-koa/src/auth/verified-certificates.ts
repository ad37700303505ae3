import type { ClientRecord } from './authenticator';

/** A certificate verified for a Hawk id: the ext it came in, the issuer record that checked it, and what it grants. */
export interface Verified {
  readonly ext: { readonly certificate?: unknown; readonly authorizedScopes?: unknown };
  readonly certificate: unknown;
  readonly issuer: ClientRecord;
  readonly key: string;
  readonly scopes: readonly string[];
  readonly start: number;
  readonly expires: number;
}

/** Hawk's own bound on a header; a longer ext is verified every time rather than kept. */
const MAX_EXT = 4096;

/**
 * Workers sign every call of a run (reclaim, artifacts, resolution) with the same temporary
 * credentials: their certificate is verified once, then found here by Hawk id and the exact ext
 * text. Only what passed the whole check, Hawk MAC included, is kept, so nobody adds entries
 * without a valid signature. A hit still needs the very issuer record that verified it (see
 * `Authenticator.client`) and a certificate within its validity now; the MAC is checked on every
 * request regardless. At most `limit` entries, the least recently used going first.
 */
export class VerifiedCertificates {
  private readonly entries = new Map<string, Verified>();

  constructor(private readonly limit = 10_000) {}

  get size(): number {
    return this.entries.size;
  }

  recall(hawkId: string, extText: string): Verified | undefined {
    const key = keyOf(hawkId, extText);
    const entry = this.entries.get(key);
    if (entry !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    return entry;
  }

  remember(hawkId: string, extText: string, entry: Verified): void {
    if (extText.length > MAX_EXT) return;
    if (this.entries.size >= this.limit) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(keyOf(hawkId, extText), entry);
  }
}

/** Length-prefixed: no Hawk id and ext can spell another pair's key (a bewit's id may hold any character). */
const keyOf = (hawkId: string, extText: string) => `${hawkId.length}:${hawkId}${extText}`;
