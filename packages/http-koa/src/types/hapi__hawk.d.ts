// The parts of @hapi/hawk (which ships no types) this package uses.
declare module '@hapi/hawk' {
  import type { KeyObject } from 'node:crypto';
  import type { IncomingMessage } from 'node:http';

  interface Credentials {
    /** Hawk hands it to node:crypto's createHmac, which takes a prepared KeyObject as well. */
    key: string | KeyObject;
    algorithm: 'sha256' | 'sha1';
    [extra: string]: unknown;
  }
  interface Artifacts {
    hash?: string;
    ext?: string;
    [field: string]: unknown;
  }
  interface ServerOptions {
    host?: string;
    port?: number;
    timestampSkewSec?: number;
    localtimeOffsetMsec?: number;
  }
  type CredentialsFunc = (id: string) => Promise<Credentials | null | undefined>;

  const Hawk: {
    utils: { parseAuthorizationHeader(header: string, keys?: string[]): Record<string, string> };
    server: {
      authenticate(
        req: IncomingMessage,
        credentialsFunc: CredentialsFunc,
        options?: ServerOptions,
      ): Promise<{ credentials: Credentials; artifacts: Artifacts }>;
      authenticatePayload(payload: string, credentials: Credentials, artifacts: Artifacts, contentType: string): void;
    };
    uri: {
      authenticate(
        req: IncomingMessage,
        credentialsFunc: CredentialsFunc,
        options?: ServerOptions,
      ): Promise<{ credentials: Credentials; attributes: Record<string, unknown> }>;
    };
  };
  export default Hawk;
}
