import { randomBytes } from 'node:crypto';
import { createQueue, unrestrictedCaller } from '@taskcluster-queue/core';
import { createInMemoryPorts, describeBlobStoreContract, randomSlugid } from '@taskcluster-queue/core/testing';
import { AZURITE_ACCOUNT, AZURITE_KEY, startAzurite, type Azurite } from './embedded-azurite';
import { AzureBlobStore, type AzureBlobStoreOptions } from './index';

// The blob store on Azurite's blob service, which (unlike s3rver) checks SAS signatures,
// permissions and expiry, and containers' public access level.

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const run = randomBytes(3).toString('hex');
const containers = { publicContainer: `tq-public-${run}`, privateContainer: `tq-private-${run}` };
let azurite: Azurite | undefined;

const options = (extra: Partial<AzureBlobStoreOptions> = {}): AzureBlobStoreOptions => {
  if (!azurite?.blobEndpoint) throw new Error("Azurite's blob service is not running (see the error of beforeAll)");
  return { accountName: AZURITE_ACCOUNT, accountKey: AZURITE_KEY, blobEndpoint: azurite.blobEndpoint, ...containers, ...extra };
};
const openStore = (extra: Partial<AzureBlobStoreOptions> = {}) => new AzureBlobStore(options(extra));

beforeAll(async () => {
  azurite = await startAzurite({ services: ['table', 'blob'] });
  await openStore().ensureContainers();
}, 60_000);
afterAll(async () => {
  await azurite?.stop();
  azurite = undefined;
}, 60_000);

const key = (name: string) => `${randomBytes(6).toString('hex')}/0/${name}`;

/** The worker's upload: one PUT of a block blob. */
const put = async (url: string, body: Uint8Array, contentType: string) => {
  const response = await fetch(url, { method: 'PUT', body, headers: { 'x-ms-blob-type': 'BlockBlob', 'content-type': contentType } });
  return { status: response.status, text: await response.text() };
};
const get = async (url: string) => {
  const response = await fetch(url);
  return { status: response.status, body: Buffer.from(await response.arrayBuffer()), contentType: response.headers.get('content-type') };
};
/** The URL with one query parameter replaced. */
const withParam = (url: string, name: string, value: string) => {
  const changed = new URL(url);
  changed.searchParams.set(name, value);
  return changed.toString();
};
/** The signature with its first character changed (still valid base64). */
const tampered = (url: string) => {
  const sig = new URL(url).searchParams.get('sig')!;
  return withParam(url, 'sig', `${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}`);
};

describeBlobStoreContract('AzureBlobStore on Azurite', async () => ({ store: openStore() }));

describe('AzureBlobStore on Azurite', () => {
  it('signs a create+write SAS for <container of the visibility>/<key>, from 15 minutes ago until the expiry', async () => {
    // The queue's clock is fake; the SAS is dated by the wall clock with the lifetime asked.
    const fake = Date.UTC(2030, 0, 1);
    const store = openStore({ now: () => fake });
    for (const [visibility, container] of [
      ['public', containers.publicContainer],
      ['private', containers.privateContainer],
    ] as const) {
      const ref = { key: key('public/a b/ü+ß?.txt'), visibility };
      const before = Date.now();
      const { putUrl } = await store.createUpload({ ...ref, contentType: 'text/plain', expires: fake + 45 * MINUTE });
      const url = new URL(putUrl);
      expect(`${url.origin}${url.pathname}`).toBe(`${azurite!.blobEndpoint}/${container}/${ref.key.split('/').map(encodeURIComponent).join('/')}`);
      expect(url.searchParams.get('sp')).toBe('cw');
      expect(url.searchParams.get('sr')).toBe('b');
      expect(url.searchParams.get('spr')).toBe('https,http'); // Azurite is plain HTTP
      const start = Date.parse(url.searchParams.get('st')!);
      const expiry = Date.parse(url.searchParams.get('se')!);
      expect(start).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 - 15 * MINUTE);
      expect(start).toBeLessThanOrEqual(Date.now() - 15 * MINUTE);
      expect(expiry).toBeGreaterThan(before + 45 * MINUTE - 1000);
      expect(expiry).toBeLessThanOrEqual(Date.now() + 45 * MINUTE);
      expect(url.searchParams.get('sig')).toBeTruthy();
    }
  });

  it('refuses an upload expiry that is already past', async () => {
    const store = openStore({ now: () => 1_000_000 });
    await expect(store.createUpload({ key: key('public/x'), visibility: 'public', contentType: 'text/plain', expires: 1_000_000 })).rejects.toThrow(
      RangeError,
    );
  });

  it('gives public blobs a plain URL and private blobs a read SAS for 30 minutes (or privateUrlLifetime)', async () => {
    const store = openStore();
    await expect(store.downloadUrl({ key: 'T/0/public/logs/live.log', visibility: 'public' })).resolves.toBe(
      `${azurite!.blobEndpoint}/${containers.publicContainer}/T/0/public/logs/live.log`,
    );
    const before = Date.now();
    const url = new URL(await store.downloadUrl({ key: 'T/0/private/secret.txt', visibility: 'private' }));
    expect(`${url.origin}${url.pathname}`).toBe(`${azurite!.blobEndpoint}/${containers.privateContainer}/T/0/private/secret.txt`);
    expect(url.searchParams.get('sp')).toBe('r');
    expect(Date.parse(url.searchParams.get('se')!)).toBeGreaterThan(before + 30 * MINUTE - 1000);
    expect(Date.parse(url.searchParams.get('se')!)).toBeLessThanOrEqual(Date.now() + 30 * MINUTE);
    const short = new URL(await openStore({ privateUrlLifetime: 5 * MINUTE }).downloadUrl({ key: 'T/0/p', visibility: 'private' }));
    expect(Date.parse(short.searchParams.get('se')!)).toBeLessThanOrEqual(Date.now() + 5 * MINUTE);
  });

  it('uploads by the putUrl with plain HTTP, downloads the same bytes and type, and deletes them', async () => {
    const store = openStore();
    for (const visibility of ['public', 'private'] as const) {
      const ref = { key: key(`${visibility === 'public' ? 'public/' : ''}dir with space/ü+ß?.bin`), visibility };
      const bytes = randomBytes(64 * 1024);
      const { putUrl } = await store.createUpload({ ...ref, contentType: 'application/x-tar', expires: Date.now() + HOUR });
      expect(await put(putUrl, bytes, 'application/x-tar')).toMatchObject({ status: 201 });
      const url = await store.downloadUrl(ref);
      expect(new URL(url).searchParams.has('sig')).toBe(visibility === 'private');
      const got = await get(url);
      expect(got.status).toBe(200);
      expect(got.body.equals(bytes)).toBe(true);
      expect(got.contentType).toBe('application/x-tar');

      await store.delete(ref);
      await store.delete(ref);
      expect((await get(url)).status).toBe(404);
    }
  });

  it('Azurite refuses tampered, read-only, expired and unsigned requests', async () => {
    const store = openStore();
    const ref = { key: key('private/secret.json'), visibility: 'private' as const };
    const body = Buffer.from('{"token":"s3cr3t"}');
    const { putUrl } = await store.createUpload({ ...ref, contentType: 'application/json', expires: Date.now() + HOUR });

    expect((await put(tampered(putUrl), body, 'application/json')).status).toBe(403);
    // Another blob, a later expiry, or more permissions than signed: the signature no longer matches.
    expect((await put(putUrl.replace('/private/secret.json', '/private/other.json'), body, 'application/json')).status).toBe(403);
    expect((await put(withParam(putUrl, 'se', '2099-01-01T00:00:00Z'), body, 'application/json')).status).toBe(403);
    expect((await put(withParam(putUrl, 'sp', 'rcwd'), body, 'application/json')).status).toBe(403);
    // The read SAS of the download URL does not allow writing.
    expect((await put(await store.downloadUrl(ref), body, 'application/json')).status).toBe(403);
    // An upload URL that expired (signed with a lifetime of a second).
    const { putUrl: short } = await store.createUpload({ key: key('private/late.json'), visibility: 'private', contentType: 'application/json', expires: Date.now() + 1 });
    await new Promise((resolve) => setTimeout(resolve, 2100));
    expect((await put(short, body, 'application/json')).status).toBe(403);

    expect((await put(putUrl, body, 'application/json')).status).toBe(201);
    const downloadUrl = await store.downloadUrl(ref);
    expect((await get(downloadUrl)).body.equals(body)).toBe(true);
    expect((await get(tampered(downloadUrl))).status).toBe(403);
    // Without a SAS the private container does not answer (Azure says 404 to anonymous reads there).
    const plain = new URL(downloadUrl);
    plain.search = '';
    expect((await get(plain.toString())).status).not.toBe(200);
    await store.delete(ref);
  });

  it('deleting from a container that does not exist fails (so expiry keeps the record)', async () => {
    const store = openStore({ privateContainer: `tq-missing-${run}` });
    await expect(store.delete({ key: 'T/0/private/a', visibility: 'private' })).rejects.toMatchObject({ statusCode: 404 });
  });

  it('ensureContainers creates both once, the public one publicly readable, and refuses a wrong access level', async () => {
    const names = { publicContainer: `tq-pub2-${run}`, privateContainer: `tq-priv2-${run}` };
    const store = openStore(names);
    await expect(store.ensureContainers()).resolves.toEqual([names.publicContainer, names.privateContainer]);
    await expect(store.ensureContainers()).resolves.toEqual([]);
    expect((await store.client.getContainerClient(names.publicContainer).getProperties()).blobPublicAccess).toBe('blob');
    expect((await store.client.getContainerClient(names.privateContainer).getProperties()).blobPublicAccess).toBeUndefined();
    // Swapped: the "private" container is public, the "public" one is not.
    const swapped = openStore({ publicContainer: names.privateContainer, privateContainer: names.publicContainer });
    await expect(swapped.ensureContainers()).rejects.toThrow(/public container .* must be 'blob'/);
  });

  it('refuses invalid options', () => {
    expect(() => openStore({ privateContainer: containers.publicContainer })).toThrow(/must differ/);
    expect(() => openStore({ publicContainer: 'Public_Artifacts' })).toThrow(/invalid container name/);
    expect(() => openStore({ accountKey: '' })).toThrow(/required/);
    expect(() => openStore({ blobEndpoint: 'blob.example.com' })).toThrow(/http/);
    expect(() => openStore({ privateUrlLifetime: 0 })).toThrow(RangeError);
    const prod = new AzureBlobStore({ accountName: 'acct', accountKey: AZURITE_KEY, ...containers });
    expect(prod.client.url).toBe('https://acct.blob.core.windows.net/');
  });

  it('serves the core: createArtifact (azure) → PUT → getArtifact redirect → the bytes; expiry deletes them', async () => {
    const ports = createInMemoryPorts();
    const store = openStore({ now: () => ports.clock.now() });
    const queue = createQueue({ ...ports, blobs: { ...ports.blobs, azure: store } }, { claimWorkWait: 0 });
    const root = unrestrictedCaller;
    const iso = (ms: number) => new Date(ms).toISOString();
    const taskId = randomSlugid();
    const now = ports.clock.now();
    await queue.createTask(root, taskId, {
      taskQueueId: 'prov/azure-blobs',
      created: iso(now),
      deadline: iso(now + DAY),
      expires: iso(now + 30 * DAY),
      payload: {},
      metadata: { name: 'azure artifacts', description: 'adapters-azure test', owner: 'me@example.com', source: 'https://example.com/src' },
    });
    const { tasks } = await queue.claimWork(root, 'prov/azure-blobs', { workerGroup: 'wg', workerId: 'w1', tasks: 1 });
    expect(tasks[0]?.status.taskId).toBe(taskId);

    const artifacts = [
      { name: 'public/build/target.tar.gz', contentType: 'application/gzip', body: randomBytes(32 * 1024), signed: false },
      { name: 'private/build/secret.json', contentType: 'application/json', body: Buffer.from('{"token":"s3cr3t"}'), signed: true },
    ];
    for (const artifact of artifacts) {
      const created = await queue.createArtifact(root, taskId, 0, artifact.name, {
        storageType: 'azure',
        expires: iso(ports.clock.now() + HOUR),
        contentType: artifact.contentType,
      });
      if (!('putUrl' in created)) throw new Error(`unexpected createArtifact response ${JSON.stringify(created)}`);
      expect(created).toMatchObject({ storageType: 'azure', contentType: artifact.contentType });
      expect(await put(created.putUrl, artifact.body, artifact.contentType)).toMatchObject({ status: 201 });

      const result = await queue.getArtifact(root, taskId, 0, artifact.name);
      if (result.kind !== 'redirect') throw new Error(`expected a redirect, got ${JSON.stringify(result)}`);
      expect(new URL(result.url).searchParams.has('sig')).toBe(artifact.signed);
      const got = await get(result.url);
      expect(got).toMatchObject({ status: 200, contentType: artifact.contentType });
      expect(got.body.equals(artifact.body)).toBe(true);
    }

    await ports.clock.advance(HOUR + 1);
    await expect(queue.jobs.expireArtifacts()).resolves.toEqual({ deleted: 2, failed: 0 });
    for (const artifact of artifacts) {
      const ref = { key: `${taskId}/0/${artifact.name}`, visibility: artifact.signed ? ('private' as const) : ('public' as const) };
      expect((await get(await store.downloadUrl(ref))).status).toBe(404);
    }
  });
});
