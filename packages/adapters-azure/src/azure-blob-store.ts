import {
  BlobSASPermissions,
  BlobServiceClient,
  generateBlobSASQueryParameters,
  SASProtocol,
  StorageSharedKeyCredential,
  type BlockBlobClient,
  type ContainerClient,
} from '@azure/storage-blob';
import type { BlobRef, BlobStore, BlobVisibility } from '@taskcluster-queue/core';

const MINUTE = 60 * 1000;
/** SAS start times are backdated this much, for clients whose clock runs behind (as upstream). */
const CLOCK_SKEW = 15 * MINUTE;
/** Azure's rule for container names: 3–63 lowercase letters, digits and single hyphens. */
const CONTAINER_NAME = /^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$/;

export interface AzureBlobStoreOptions {
  readonly accountName: string;
  /** The account's shared key (base64): signs the SAS URLs and authorizes `delete`/`ensureContainers`. */
  readonly accountKey: string;
  /** Default `https://<accountName>.blob.core.windows.net`; Azurite's is `http://127.0.0.1:<port>/<account>`. */
  readonly blobEndpoint?: string;
  /** Container of `public/...` artifacts, readable without credentials (public access level `blob`). */
  readonly publicContainer: string;
  /** Container of every other artifact; read only through SAS URLs. Must differ from `publicContainer`. */
  readonly privateContainer: string;
  /** Lifetime of SAS read URLs for private artifacts, ms (default 30 minutes, as upstream). */
  readonly privateUrlLifetime?: number;
  /**
   * The clock `expires` of `createUpload` is measured on (default `Date.now`): the queue's clock,
   * so a fake clock in tests still gives URLs the lifetime the core asked for. SAS start and
   * expiry times themselves are dated by the wall clock, which is what Azure checks them against.
   */
  readonly now?: () => number;
}

/**
 * Artifact bytes in two Azure Blob Storage containers: `public/...` names in the public one (public
 * access level `blob`), read by plain URL; everything else in the private one, read by a SAS URL.
 * Blob names are the core's keys (`<taskId>/<runId>/<name>`). Workers upload with one
 * `PUT <putUrl>` carrying `x-ms-blob-type: BlockBlob` and the artifact's `Content-Type` (stored as
 * the blob's type); the SAS allows create and write of that one blob until the upload expiry.
 */
export class AzureBlobStore implements BlobStore {
  /** The service client `delete` and `ensureContainers` use. */
  readonly client: BlobServiceClient;
  private readonly credential: StorageSharedKeyCredential;
  private readonly containers: Readonly<Record<BlobVisibility, ContainerClient>>;
  private readonly protocol: SASProtocol;
  private readonly privateUrlLifetime: number;
  private readonly now: () => number;

  constructor(options: AzureBlobStoreOptions) {
    const { accountName, accountKey, publicContainer, privateContainer } = options;
    if (!accountName || !accountKey) throw new TypeError('AzureBlobStore: accountName and accountKey are required');
    for (const name of [publicContainer, privateContainer]) {
      if (!CONTAINER_NAME.test(name ?? '')) {
        throw new TypeError(`AzureBlobStore: invalid container name ${JSON.stringify(name)} (3–63 lowercase letters, digits, single hyphens)`);
      }
    }
    // A shared container would make private artifacts readable by plain URL.
    if (publicContainer === privateContainer) throw new TypeError('AzureBlobStore: publicContainer and privateContainer must differ');
    const endpoint = (options.blobEndpoint ?? `https://${accountName}.blob.core.windows.net`).replace(/\/+$/, '');
    if (!/^https?:\/\/[^/]/.test(endpoint)) throw new TypeError(`AzureBlobStore: blobEndpoint must be an http(s) URL, got ${endpoint}`);
    const privateUrlLifetime = options.privateUrlLifetime ?? 30 * MINUTE;
    if (!(privateUrlLifetime >= 1000)) throw new RangeError(`AzureBlobStore: privateUrlLifetime must be at least 1 s, got ${privateUrlLifetime}`);

    this.credential = new StorageSharedKeyCredential(accountName, accountKey);
    this.client = new BlobServiceClient(endpoint, this.credential);
    this.containers = {
      public: this.client.getContainerClient(publicContainer),
      private: this.client.getContainerClient(privateContainer),
    };
    // Only Azurite (or another local emulator) is plain HTTP; against https, SAS URLs refuse http.
    this.protocol = endpoint.startsWith('https:') ? SASProtocol.Https : SASProtocol.HttpsAndHttp;
    this.privateUrlLifetime = privateUrlLifetime;
    this.now = options.now ?? (() => Date.now());
  }

  /** The container a blob of this visibility lives in. */
  containerOf(visibility: BlobVisibility): string {
    return this.containers[visibility].containerName;
  }

  private blob({ key, visibility }: BlobRef): BlockBlobClient {
    return this.containers[visibility].getBlockBlobClient(key);
  }

  /** The blob's URL with a SAS for `permissions`, valid from 15 minutes ago for `lifetime` ms from now (wall clock). */
  private sasUrl(ref: BlobRef, permissions: string, lifetime: number): string {
    const client = this.blob(ref);
    const wallNow = Date.now();
    const sas = generateBlobSASQueryParameters(
      {
        containerName: client.containerName,
        blobName: client.name,
        permissions: BlobSASPermissions.parse(permissions),
        startsOn: new Date(wallNow - CLOCK_SKEW),
        // Rounded down to a whole second (SAS times have no milliseconds), never outliving what was asked.
        expiresOn: new Date(Math.floor((wallNow + lifetime) / 1000) * 1000),
        protocol: this.protocol,
      },
      this.credential,
    );
    return `${client.url}?${sas.toString()}`;
  }

  async createUpload(blob: BlobRef & { contentType: string; expires: number }): Promise<{ putUrl: string }> {
    const lifetime = blob.expires - this.now();
    if (!(lifetime > 0)) throw new RangeError(`AzureBlobStore: the upload expiry is already past (${lifetime} ms from now)`);
    // No content type in the SAS: its `rsct` override only applies to responses of reads, so the
    // blob's type is the Content-Type header of the worker's PUT.
    return { putUrl: this.sasUrl(blob, 'cw', Math.max(1000, lifetime)) };
  }

  async downloadUrl(blob: BlobRef): Promise<string> {
    if (blob.visibility === 'public') return this.blob(blob).url;
    return this.sasUrl(blob, 'r', this.privateUrlLifetime);
  }

  async delete(blob: BlobRef): Promise<void> {
    // A missing blob is fine; a missing container is an error (so expiry keeps the record).
    await this.blob(blob).deleteIfExists();
  }

  /**
   * Creates both containers if missing (the public one with public access level `blob`), for the
   * service to call at start; resolves to the names it created. Fails if an existing public
   * container is not publicly readable, or an existing private one is. (Storage accounts created
   * since late 2023 refuse public access until "Allow Blob anonymous access" is enabled.)
   */
  async ensureContainers(): Promise<string[]> {
    const created: string[] = [];
    for (const visibility of ['public', 'private'] as const) {
      const container = this.containers[visibility];
      const result = await container.createIfNotExists(visibility === 'public' ? { access: 'blob' } : {});
      if (result.succeeded) {
        created.push(container.containerName);
        continue;
      }
      const { blobPublicAccess } = await container.getProperties();
      if ((visibility === 'public') !== (blobPublicAccess !== undefined)) {
        throw new Error(
          `AzureBlobStore: the ${visibility} container ${container.containerName} exists with public access ${blobPublicAccess ?? 'off'}; ` +
            `it must be ${visibility === 'public' ? "'blob'" : 'off'}`,
        );
      }
    }
    return created;
  }
}
