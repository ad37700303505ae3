import Hawk from '@hapi/hawk';
import type { KeyObject } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { satisfies } from '@taskcluster-queue/core';
import { AuthenticationFailed } from './auth-error';
import type { Authenticator } from './authenticator';
import type { ClientRecord } from './authenticator';
import { verifyCertificate } from './certificate';
import { keyOf } from './hmac';

/** Who is calling, and with which scopes (after certificates and authorizedScopes). */
export interface Identity {
  readonly clientId: string;
  readonly scopes: readonly string[];
}

export interface AuthenticateOptions {
  readonly authenticator: Authenticator;
  readonly now: () => number;
  /** Raw request body, to check a Hawk payload hash when the client sent one. */
  readonly body?: string;
}

const SKEW_SECONDS = 15 * 60;

interface Ext {
  certificate?: unknown;
  authorizedScopes?: unknown;
}

const parseExt = (ext: string | undefined): Ext => {
  if (!ext) return {};
  try {
    const parsed: unknown = JSON.parse(Buffer.from(ext, 'base64').toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null) throw new Error('not an object');
    return parsed as Ext;
  } catch {
    throw new AuthenticationFailed('ext is not base64-encoded JSON');
  }
};

/** Host and port as the client saw them: honours a TLS-terminating proxy's x-forwarded-* headers. */
const hostAndPort = (req: IncomingMessage): { host?: string; port?: number } => {
  const forwardedHost = req.headers['x-forwarded-host'];
  const forwardedPort = req.headers['x-forwarded-port'];
  const forwardedProto = req.headers['x-forwarded-proto'];
  const host = typeof forwardedHost === 'string' ? forwardedHost.split(',')[0]!.trim().replace(/:\d+$/, '') : undefined;
  if (typeof forwardedPort === 'string') return { host, port: Number(forwardedPort.split(',')[0]) };
  if (typeof forwardedProto === 'string' && forwardedProto.split(',')[0]!.trim() === 'https') return { host, port: 443 };
  return host ? { host } : {};
};

const bewitOf = (url: string): string | undefined => (url.includes('bewit=') ? /[?&]bewit=([^&]*)/.exec(url)?.[1] : undefined);

/** A certificate already verified for a Hawk id, with the ext it came in and the issuer record that checked it. */
interface Verified {
  readonly ext: Ext;
  readonly certificate: unknown;
  readonly issuer: ClientRecord;
  readonly key: string;
  readonly scopes: readonly string[];
  readonly start: number;
  readonly expires: number;
}

const VERIFIED_LIMIT = 10_000;
const CERTIFICATE_SKEW = 5 * 60 * 1000;

/**
 * Workers sign every call of a run (reclaim, artifacts, resolution) with the same temporary
 * credentials: their certificate is verified once, then found here by Hawk id and the exact ext
 * text. A hit still needs the very issuer record that verified it (a changed secret or scope set
 * is a new record, so a miss) and a certificate within its validity now; the Hawk MAC is checked
 * on every request regardless.
 */
const verified = new Map<string, Verified>();

const remember = (key: string, entry: Verified) => {
  if (verified.size >= VERIFIED_LIMIT) verified.delete(verified.keys().next().value!);
  verified.set(key, entry);
};

/**
 * Authenticates a request with Hawk (header or bewit), temporary credentials and
 * authorizedScopes (queue-api-reference §3); no credentials at all means the anonymous scopes.
 */
export const authenticate = async (req: IncomingMessage, options: AuthenticateOptions): Promise<Identity> => {
  const { authenticator, now } = options;
  const header = req.headers.authorization;
  const bewit = bewitOf(req.url ?? '');
  if (header === undefined && bewit === undefined) return { clientId: 'anonymous', scopes: authenticator.anonymousScopes };

  let extText: string | undefined;
  let hawkId: string;
  if (header !== undefined) {
    let attributes: { id?: string; ext?: string };
    try {
      attributes = Hawk.utils.parseAuthorizationHeader(header) as { id?: string; ext?: string };
    } catch (error) {
      throw new AuthenticationFailed(`malformed Authorization header: ${(error as Error).message}`);
    }
    extText = attributes.ext;
    hawkId = attributes.id ?? '';
  } else {
    const parts = Buffer.from(decodeURIComponent(bewit!), 'base64url').toString('utf8').split('\\');
    if (parts.length !== 4) throw new AuthenticationFailed('malformed bewit');
    hawkId = parts[0]!;
    extText = parts[3];
  }

  // Length-prefixed: no Hawk id and ext can spell another pair's key (a bewit's id may hold any character).
  const cacheKey = extText ? `${hawkId.length}:${hawkId}${extText}` : undefined;
  const known = cacheKey === undefined ? undefined : verified.get(cacheKey);
  const ext = known?.ext ?? parseExt(extText);
  const certificate = known ? known.certificate : typeof ext.certificate === 'string' ? parseCertificate(ext.certificate) : ext.certificate;
  const issuerId = (certificate as { issuer?: unknown } | undefined)?.issuer;
  const client = await authenticator.client(typeof issuerId === 'string' ? issuerId : hawkId);
  if (!client) throw new AuthenticationFailed(`unknown client ${JSON.stringify(hawkId)}`);
  const time = now();
  if (client.expires !== undefined && client.expires <= time) throw new AuthenticationFailed(`client ${client.clientId} has expired`);
  let resolved: { key: string | KeyObject; scopes: readonly string[] };
  if (certificate === undefined) {
    resolved = { key: keyOf(client, client.accessToken), scopes: client.scopes };
  } else if (known !== undefined && known.issuer === client && known.start <= time + CERTIFICATE_SKEW && known.expires >= time - CERTIFICATE_SKEW) {
    resolved = known;
  } else {
    const result = verifyCertificate(certificate, hawkId, client, time);
    resolved = result;
    const { start } = certificate as { start: number };
    remember(cacheKey!, { ext, certificate, issuer: client, key: result.key, scopes: result.scopes, start, expires: result.expires });
  }

  const credentialsFunc = async () => ({ key: resolved.key, algorithm: 'sha256' as const, id: hawkId });
  const hawkOptions = { ...hostAndPort(req), timestampSkewSec: SKEW_SECONDS, localtimeOffsetMsec: time - Date.now() };
  try {
    if (header !== undefined) {
      const { artifacts, credentials } = await Hawk.server.authenticate(req, credentialsFunc, hawkOptions);
      if (artifacts.hash) {
        const contentType = req.headers['content-type'] ?? '';
        Hawk.server.authenticatePayload(options.body ?? '', credentials, artifacts, contentType);
      }
    } else {
      await Hawk.uri.authenticate(req, credentialsFunc, hawkOptions);
    }
  } catch (error) {
    throw new AuthenticationFailed(`Hawk verification failed: ${(error as Error).message}`);
  }

  let scopes = [...resolved.scopes, ...authenticator.anonymousScopes];
  if (ext.authorizedScopes !== undefined) {
    const authorized = ext.authorizedScopes;
    if (!Array.isArray(authorized) || !authorized.every((s) => typeof s === 'string')) {
      throw new AuthenticationFailed('authorizedScopes must be a list of scopes');
    }
    if (!satisfies(scopes, { AllOf: authorized })) {
      throw new AuthenticationFailed('authorizedScopes go beyond the scopes of the credentials');
    }
    scopes = [...authorized, ...authenticator.anonymousScopes];
  }
  return { clientId: hawkId, scopes };
};

const parseCertificate = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    throw new AuthenticationFailed('certificate is not valid JSON');
  }
};
