import { hawkHeader, type Credentials, type HawkOptions } from './hawk';
import { ClientError } from './taskcluster-client';

export interface SignedFetchOptions {
  readonly method?: string;
  /** Omitted: an unauthenticated request. */
  readonly credentials?: Credentials;
  readonly authorizedScopes?: readonly string[];
  /** A JSON value, or raw text sent as it is (with `content-type: application/json`). */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
  /** Overrides of the Hawk signature (forgeries, proxies). */
  readonly hawk?: Partial<HawkOptions>;
}

/** A plain `fetch` signed with a hand-made Hawk header; redirects are not followed. */
export const signedFetch = (url: string, options: SignedFetchOptions = {}): Promise<Response> => {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { ...options.headers };
  if (options.credentials) {
    headers['authorization'] = hawkHeader({
      method,
      url,
      credentials: options.credentials,
      authorizedScopes: options.authorizedScopes,
      ...options.hawk,
    });
  }
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  return fetch(url, { method, headers, body, redirect: 'manual', signal: options.signal });
};

/** The answer as taskcluster-client treats it: the JSON body of a 2xx/3xx, else a ClientError. */
export const clientResult = async (response: Response): Promise<unknown> => {
  const text = await response.text();
  const body: unknown = text && (response.headers.get('content-type') ?? '').includes('application/json') ? JSON.parse(text) : undefined;
  if (response.status < 400) return body;
  const { code, message } = (body ?? {}) as { code?: string; message?: string };
  throw new ClientError(message ?? `HTTP ${response.status}`, response.status, code ?? 'UnknownError', body);
};
