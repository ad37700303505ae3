import type { BlobRef, BlobStore } from '../../ports/blob-store';
import { HOUR, newId, useFixture, type ContractFactory } from './support';

const blob = (visibility: BlobRef['visibility'], name = 'public/logs/live.log'): BlobRef => ({
  key: `${newId()}/0/${name}`,
  visibility,
});

/** The BlobStore contract: upload and download URLs, and deletion that tolerates absence. */
export function describeBlobStoreContract(name: string, factory: ContractFactory<BlobStore>): void {
  describe(`${name}: BlobStore contract`, () => {
    const fixture = useFixture(factory);
    const store = () => fixture().store;

    it('gives an upload URL for public and private blobs', async () => {
      for (const visibility of ['public', 'private'] as const) {
        const { putUrl } = await store().createUpload({
          ...blob(visibility),
          contentType: 'text/plain',
          expires: Date.now() + HOUR,
        });
        expect(typeof putUrl).toBe('string');
        expect(putUrl.length).toBeGreaterThan(0);
      }
    });

    it('gives a download URL per blob', async () => {
      const [a, b] = [blob('public'), blob('public')];
      const c = blob('private', 'private/secret.txt');
      for (const ref of [a, b, c]) {
        await store().createUpload({ ...ref, contentType: 'text/plain', expires: Date.now() + HOUR });
      }
      const urls = await Promise.all([a, b, c].map((ref) => store().downloadUrl(ref)));
      for (const url of urls) expect(url.length).toBeGreaterThan(0);
      expect(new Set(urls).size).toBe(3);
    });

    it('handles keys with spaces and non-ASCII characters', async () => {
      const ref = blob('public', 'public/dir with space/ü+ß?.txt');
      const { putUrl } = await store().createUpload({ ...ref, contentType: 'text/plain', expires: Date.now() + HOUR });
      expect(putUrl).not.toMatch(/\s/);
      expect(await store().downloadUrl(ref)).not.toMatch(/\s/);
    });

    it('deletes a blob; deleting it again, or a blob never uploaded, is not an error', async () => {
      const ref = blob('private', 'private/x.bin');
      await store().createUpload({ ...ref, contentType: 'application/octet-stream', expires: Date.now() + HOUR });
      await expect(store().delete(ref)).resolves.toBeUndefined();
      await expect(store().delete(ref)).resolves.toBeUndefined();
      await expect(store().delete(blob('public'))).resolves.toBeUndefined();
    });
  });
}
