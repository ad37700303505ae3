import Hawk from '@hapi/hawk';
import type { KeyObject } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { satisfies } from '@taskcluster-queue/core';
import { AuthenticationFailed } from './auth-error';
import type { Authenticator } from './authenticator';
import { validAt, verifyCertificate } from './certificate';
import type { Verified, VerifiedCertificates } from './verified-certificates';
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
  /** Certificates verified before (one per app); without it, every certificate is verified. */
  readonly certificates?: VerifiedCertificates;
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
    // Parsed here and again inside Hawk.server.authenticate: the certificate in `ext` decides the
    // key Hawk checks the MAC with, and Hawk takes no parsed header. Checking the MAC by hand
    // instead would rewrite Hawk's timestamp, host and bound checks, for a few µs a request.
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

  const known = extText ? options.certificates?.recall(hawkId, extText) : undefined;
  const ext = known?.ext ?? parseExt(extText);
  const certificate = known ? known.certificate : typeof ext.certificate === 'string' ? parseCertificate(ext.certificate) : ext.certificate;
  const issuerId = (certificate as { issuer?: unknown } | undefined)?.issuer;
  const client = await authenticator.client(typeof issuerId === 'string' ? issuerId : hawkId);
  if (!client) throw new AuthenticationFailed(`unknown client ${JSON.stringify(hawkId)}`);
  const time = now();
  if (client.expires !== undefined && client.expires <= time) throw new AuthenticationFailed(`client ${client.clientId} has expired`);
  let resolved: { key: string | KeyObject; scopes: readonly string[] };
  let verified: Verified | undefined;
  if (certificate === undefined) {
    resolved = { key: keyOf(client, client.accessToken), scopes: client.scopes };
  } else if (known !== undefined && known.issuer === client && validAt(known.start, known.expires, time)) {
    resolved = known;
  } else {
    const result = verifyCertificate(certificate, hawkId, client, time);
    resolved = result;
    const { start } = certificate as { start: number };
    verified = { ext, certificate, issuer: client, key: result.key, scopes: result.scopes, start, expires: result.expires };
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
  if (verified !== undefined) options.certificates?.remember(hawkId, extText!, verified);

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
