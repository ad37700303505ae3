import type { TaskCredentials } from '../schemas/work';

export interface CredentialRequest {
  readonly clientId: string;
  readonly scopes: readonly string[];
  /** ms since the epoch. */
  readonly start: number;
  readonly expiry: number;
}

/** Mints temporary credentials (certificates) for a claimed run, signed by the queue's own client. */
export interface CredentialIssuer {
  issue(request: CredentialRequest): Promise<TaskCredentials>;
}
