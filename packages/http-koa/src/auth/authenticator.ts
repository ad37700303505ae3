/** A client the queue accepts: Taskcluster-style id, secret and scopes. */
export interface ClientRecord {
  readonly clientId: string;
  readonly accessToken: string;
  readonly scopes: readonly string[];
  /** ms since the epoch; credentials of an expired client are refused. */
  readonly expires?: number;
}

/**
 * Where clients and their scopes come from: a static list from configuration today, a remote
 * Taskcluster auth service later.
 */
export interface Authenticator {
  /**
   * The client's record. A record is never changed in place: a changed secret, scope set or
   * expiry is a new object, so a certificate verified against one record is trusted again only
   * while `client` answers that same object (see VerifiedCertificates).
   */
  client(clientId: string): Promise<ClientRecord | undefined>;
  /** Scopes of unauthenticated requests, and added to every authenticated caller. */
  readonly anonymousScopes: readonly string[];
}

export class StaticAuthenticator implements Authenticator {
  private readonly clients: ReadonlyMap<string, ClientRecord>;

  constructor(
    clients: readonly ClientRecord[],
    readonly anonymousScopes: readonly string[] = [],
  ) {
    this.clients = new Map(clients.map((client) => [client.clientId, client]));
  }

  async client(clientId: string): Promise<ClientRecord | undefined> {
    return this.clients.get(clientId);
  }
}
