import { createHash, createHmac, randomBytes } from 'node:crypto';

/**
 * Hawk and temporary credentials made by hand with node:crypto, following
 * queue-api-reference §2-§3, so tests can sign what taskcluster-client signs and also forge
 * what it never would (stale timestamps, other resources, tampered certificates).
 */

export interface Credentials {
  readonly clientId: string;
  readonly accessToken: string;
  /** Temporary credentials: the certificate as JSON text, as taskcluster-client takes it. */
  readonly certificate?: string;
}

const hmac = (key: string, text: string): string => createHmac('sha256', key).update(text, 'utf8').digest('base64');
const base64urlNoPad = (base64: string): string => base64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

/** `ext` as the client sends it: base64 JSON of `{certificate (as an object), authorizedScopes}`. */
export const extOf = (credentials: Credentials, authorizedScopes?: readonly string[]): string | undefined => {
  if (credentials.certificate === undefined && authorizedScopes === undefined) return undefined;
  const ext = {
    ...(credentials.certificate !== undefined && { certificate: JSON.parse(credentials.certificate) as unknown }),
    ...(authorizedScopes !== undefined && { authorizedScopes }),
  };
  return Buffer.from(JSON.stringify(ext)).toString('base64');
};

export interface HawkOptions {
  readonly method: string;
  /** The request URL; its path+query is the signed resource and its host/port the signed ones. */
  readonly url: string;
  readonly credentials: Credentials;
  readonly authorizedScopes?: readonly string[];
  /** Overrides, for forgeries and proxies. */
  readonly ts?: number;
  readonly nonce?: string;
  readonly resource?: string;
  readonly host?: string;
  readonly port?: number;
  readonly ext?: string;
  readonly key?: string;
  /** A payload hash (`payloadHash(...)`), which taskcluster-client never sends. */
  readonly hash?: string;
}

/** Hawk's payload hash of a body sent with `contentType` (parameters left out). */
export const payloadHash = (contentType: string, body: string): string =>
  createHash('sha256').update(`hawk.1.payload\n${contentType}\n${body}\n`).digest('base64');

const defaultPort = (url: URL) => (url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80);

/** An `Authorization: Hawk ...` header (SHA-256, no payload hash), as hawk's client builds it. */
export const hawkHeader = (options: HawkOptions): string => {
  const url = new URL(options.url);
  const ts = options.ts ?? Math.floor(Date.now() / 1000);
  const nonce = options.nonce ?? randomBytes(4).toString('hex').slice(0, 6);
  const ext = options.ext ?? extOf(options.credentials, options.authorizedScopes);
  const normalized = [
    'hawk.1.header',
    ts,
    nonce,
    options.method.toUpperCase(),
    options.resource ?? url.pathname + url.search,
    (options.host ?? url.hostname).toLowerCase(),
    options.port ?? defaultPort(url),
    options.hash ?? '',
    (ext ?? '').replace(/\\/g, '\\\\').replace(/\n/g, '\\n'),
    '',
  ].join('\n');
  const mac = hmac(options.key ?? options.credentials.accessToken, normalized);
  const attributes = [`id="${options.credentials.clientId}"`, `ts="${ts}"`, `nonce="${nonce}"`];
  if (options.hash !== undefined) attributes.push(`hash="${options.hash}"`);
  if (ext !== undefined) attributes.push(`ext="${ext}"`);
  attributes.push(`mac="${mac}"`);
  return `Hawk ${attributes.join(', ')}`;
};

export interface BewitOptions {
  readonly url: string;
  readonly credentials: Credentials;
  /** Unix seconds; default 15 minutes from now. */
  readonly exp?: number;
}

/** `url` with a `bewit` query parameter appended (a signed GET URL). */
export const bewitUrl = (options: BewitOptions): string => {
  const url = new URL(options.url);
  const exp = options.exp ?? Math.floor(Date.now() / 1000) + 900;
  const ext = extOf(options.credentials) ?? '';
  const normalized = ['hawk.1.bewit', exp, '', 'GET', url.pathname + url.search, url.hostname, defaultPort(url), '', ext, ''].join('\n');
  const mac = hmac(options.credentials.accessToken, normalized);
  const bewit = base64urlNoPad(Buffer.from(`${options.credentials.clientId}\\${exp}\\${mac}\\${ext}`).toString('base64'));
  return `${options.url}${url.search ? '&' : '?'}bewit=${bewit}`;
};

export interface TemporaryCredentialsOptions {
  readonly issuer: Credentials;
  readonly scopes: readonly string[];
  /** ms since the epoch; default now - 1 minute. */
  readonly start?: number;
  /** ms since the epoch; default now + 1 hour. */
  readonly expiry?: number;
  /** Named temporary credentials: their own clientId (the issuer needs `auth:create-client:<it>`). */
  readonly clientId?: string;
  /** Sign `scopes:\n` + scopes as taskcluster-client does (differs from upstream for no scopes). */
  readonly clientStyle?: boolean;
}

/** Temporary credentials by the recipe of queue-api-reference §3.5 (unnamed unless `clientId`). */
export const temporaryCredentials = (options: TemporaryCredentialsOptions): Credentials => {
  const { issuer, scopes, clientId } = options;
  const start = options.start ?? Date.now() - 60_000;
  const expiry = options.expiry ?? Date.now() + 3600_000;
  const seed = base64urlNoPad(randomBytes(33).toString('base64'));
  const lines = [
    'version:1',
    ...(clientId !== undefined ? [`clientId:${clientId}`, `issuer:${issuer.clientId}`] : []),
    `seed:${seed}`,
    `start:${start}`,
    `expiry:${expiry}`,
  ];
  const text = options.clientStyle ? `${lines.join('\n')}\nscopes:\n${scopes.join('\n')}` : [...lines, 'scopes:', ...scopes].join('\n');
  const certificate = {
    version: 1,
    scopes: [...scopes],
    start,
    expiry,
    seed,
    signature: hmac(issuer.accessToken, text),
    ...(clientId !== undefined && { issuer: issuer.clientId }),
  };
  return {
    clientId: clientId ?? issuer.clientId,
    accessToken: base64urlNoPad(hmac(issuer.accessToken, seed)),
    certificate: JSON.stringify(certificate),
  };
};

/** The same credentials with the certificate changed by `edit` (signature left as it was). */
export const tamperCertificate = (credentials: Credentials, edit: (certificate: Record<string, unknown>) => void): Credentials => {
  const certificate = JSON.parse(credentials.certificate ?? '{}') as Record<string, unknown>;
  edit(certificate);
  return { ...credentials, certificate: JSON.stringify(certificate) };
};
