import { WriteConflict } from '../../errors';
import type { Artifact, ArtifactStore } from '../../ports/artifact-store';
import { DAY, EPOCH, iso, newId, race, readAllPages, useFixture, type ContractFactory } from './support';

const artifact = (taskId: string, runId: number, name: string, overrides: Partial<Artifact> = {}): Artifact => ({
  taskId,
  runId,
  name,
  storageType: 's3',
  contentType: 'text/plain',
  expires: iso(EPOCH + 365 * DAY),
  details: { key: `${taskId}/${runId}/${name}` },
  ...overrides,
});

/** The ArtifactStore contract: per-run artifacts by compare-and-swap, listed by name. */
export function describeArtifactStoreContract(name: string, factory: ContractFactory<ArtifactStore>): void {
  describe(`${name}: ArtifactStore contract`, () => {
    const fixture = useFixture(factory);
    const store = () => fixture().store;

    it('reads back what it created and updated', async () => {
      const a = artifact(newId(), 0, 'public/logs/live.log');
      expect(await store().get(a.taskId, 0, a.name)).toBeUndefined();
      const created = await store().create(a);
      expect(created.value).toEqual(a);
      expect(await store().get(a.taskId, 0, a.name)).toEqual(created);
      expect(await store().get(a.taskId, 1, a.name)).toBeUndefined();
      const changed = { ...a, storageType: 'reference' as const, details: { url: 'https://example.com/log' } };
      const updated = await store().update(changed, created.version);
      expect(updated.value).toEqual(changed);
      expect(updated.version).not.toBe(created.version);
      expect(await store().get(a.taskId, 0, a.name)).toEqual(updated);
    });

    it('refuses to create an artifact twice', async () => {
      const a = artifact(newId(), 0, 'public/build.tar.gz');
      const created = await store().create(a);
      await expect(store().create({ ...a, contentType: 'application/gzip' })).rejects.toBeInstanceOf(WriteConflict);
      expect(await store().get(a.taskId, 0, a.name)).toEqual(created);
    });

    it('refuses an update or a delete with a stale version; deleting an absent artifact is a no-op', async () => {
      const a = artifact(newId(), 0, 'private/secret.txt');
      const created = await store().create(a);
      const updated = await store().update({ ...a, contentType: 'text/html' }, created.version);
      await expect(store().update({ ...a, contentType: 'x/y' }, created.version)).rejects.toBeInstanceOf(WriteConflict);
      await expect(store().delete(a, created.version)).rejects.toBeInstanceOf(WriteConflict);
      expect(await store().get(a.taskId, 0, a.name)).toEqual(updated);
      await store().delete(a, updated.version);
      expect(await store().get(a.taskId, 0, a.name)).toBeUndefined();
      await expect(store().delete(a, updated.version)).resolves.toBeUndefined();
      expect((await store().list(a.taskId, 0, { limit: 10 })).items).toEqual([]);
    });

    it('lets exactly one of concurrent updates from the same version win', async () => {
      const a = artifact(newId(), 0, 'public/x');
      const created = await store().create(a);
      const { fulfilled, rejected } = await race(
        Array.from({ length: 8 }, (_, i) => () => store().update({ ...a, contentType: `text/v${i}` }, created.version)),
      );
      expect(fulfilled).toHaveLength(1);
      for (const error of rejected) expect(error).toBeInstanceOf(WriteConflict);
      expect(await store().get(a.taskId, 0, a.name)).toEqual(fulfilled[0]);
    });

    it('lists the artifacts of one run once each across pages, ordered by name', async () => {
      const taskId = newId();
      const names = ['private/b', 'public/a', 'public/logs/live.log', 'public/logs/live_backing.log', 'public/ü/ß.txt', 'z'];
      for (const n of [...names].reverse()) await store().create(artifact(taskId, 1, n));
      await store().create(artifact(taskId, 0, 'public/a'));
      await store().create(artifact(taskId, 2, 'public/a'));
      await store().create(artifact(newId(), 1, 'public/a'));
      for (const limit of [1, 2, 5, 100]) {
        const listed = await readAllPages((page) => store().list(taskId, 1, page), limit);
        expect(listed.map((a) => a.name)).toEqual(names);
        for (const a of listed) expect(a).toEqual(artifact(taskId, 1, a.name));
      }
      expect((await store().list(newId(), 0, { limit: 10 })).items).toEqual([]);
    });

    it('lists expired artifacts: only those that expire before `before`, at most `limit`', async () => {
      const taskId = newId();
      const expired = [1, 2, 3].map((i) => artifact(taskId, 0, `public/old-${i}`, { expires: iso(EPOCH - i * DAY) }));
      for (const a of [...expired, artifact(taskId, 0, 'public/now', { expires: iso(EPOCH) }), artifact(taskId, 0, 'public/new')]) {
        await store().create(a);
      }
      const all = await store().listExpired({ before: EPOCH, limit: 100 });
      expect(all.map((r) => r.value.name).sort()).toEqual(expired.map((a) => a.name).sort());
      const some = await store().listExpired({ before: EPOCH, limit: 2 });
      expect(some).toHaveLength(2);
      for (const record of some) await store().delete(record.value, record.version);
      expect(await store().listExpired({ before: EPOCH, limit: 100 })).toHaveLength(1);
    });
  });
}
