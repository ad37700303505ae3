import { createQueue, DomainError, realClock, unrestrictedCaller } from '@taskcluster-queue/core';
import { createInMemoryPorts, randomSlugid } from '@taskcluster-queue/core/testing';
import { useAzurite } from './azurite.test-support';
import { createAzurePorts, RequestCounter, TABLES } from './index';
import { taskDef } from './replicas.test-support';
import type { TaskRecord } from '@taskcluster-queue/core';

// Entity size limits, JSON splitting, keys of any length, lazy tables, and the request counter.
const azure = useAzurite('tables');

const record = (payload: Record<string, unknown>): TaskRecord => {
  const taskId = randomSlugid();
  const definition = { ...taskDef(), taskGroupId: taskId, provisionerId: 'replicas', workerType: 'wt', schedulerId: '-', projectId: 'none', dependencies: [], requires: 'all-completed', routes: [], priority: 'lowest', retries: 5, expires: new Date(Date.now() + 86_400_000).toISOString(), scopes: [], tags: {}, extra: {}, payload } as unknown as TaskRecord['definition'];
  return { taskId, definition, runs: [], retriesLeft: 5 };
};

describe('entities larger than one property', () => {
  it('stores a record over several properties and reads it back exactly, astral characters across the seams', async () => {
    const { tasks } = azure.ports();
    // 40 KiB blocks of text whose astral characters (surrogate pairs) fall on every offset.
    const text = Array.from({ length: 9 }, (_, i) => `${'x'.repeat(31_990 + i)}😀${'y'.repeat(8000)}𝄞`).join('');
    const task = record({ text, nested: { list: Array.from({ length: 1000 }, (_, i) => i) } });
    const created = await tasks.create(task);
    expect((await tasks.get(task.taskId))?.value).toEqual(task);
    const changed = { ...task, retriesLeft: 4 };
    const updated = await tasks.update(changed, created.version);
    expect(await tasks.get(task.taskId)).toEqual(updated);
    expect(updated.value).toEqual(changed);
  });

  it('refuses, with a 400 before sending anything, a record over Azure’s 1 MiB entity limit', async () => {
    const requests = new RequestCounter();
    const { tasks } = azure.ports({ onRequest: requests.record });
    const task = record({ blob: 'z'.repeat(600_000) }); // 1.2 MB as UTF-16
    const error = await tasks.create(task).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'InputError', details: { errorCode: 'EntityTooLarge' } });
    expect((error as Error).message).toMatch(/1 MiB/);
    expect([...requests.byTable.keys()]).toEqual([]); // not even the table was created
    expect(await tasks.get(task.taskId)).toBeUndefined();
  });

  it('makes createTask answer InputError (400), never a 500, for a task too large to store', async () => {
    const memory = createInMemoryPorts({ clock: realClock });
    const storage = azure.ports();
    const queue = createQueue({ ...memory, tasks: storage.tasks, taskGroups: storage.taskGroups, timers: storage.timers });
    const taskId = randomSlugid();
    await expect(queue.createTask(unrestrictedCaller, taskId, taskDef({ payload: { blob: 'z'.repeat(600_000) } }))).rejects.toMatchObject({
      code: 'InputError',
    });
    expect(await storage.tasks.get(taskId)).toBeUndefined();
  });
});

describe('keys', () => {
  it('stores artifact names of any allowed length and lists them in name order', async () => {
    const { artifacts } = azure.ports();
    const taskId = randomSlugid();
    const names = [
      'public/a',
      `public/${'a/'.repeat(300)}x`, // 607 characters, escaped beyond a key's length
      `public/${'a/'.repeat(300)}y`,
      `public/${'b'.repeat(1017)}`, // 1024 characters
      'public/logs/live.log',
      'private/#?\\~',
    ];
    for (const name of names) {
      await artifacts.create({ taskId, runId: 0, name, storageType: 'reference', contentType: 'text/plain', expires: new Date(Date.now() + 86_400_000).toISOString(), details: { url: 'https://example.com' } });
    }
    for (const name of names) expect((await artifacts.get(taskId, 0, name))?.value.name).toBe(name);
    const listed = (await artifacts.list(taskId, 0, { limit: 100 })).items.map((a) => a.name);
    expect(new Set(listed)).toEqual(new Set(names));
    // Exact order, except among names sharing their first 400 escaped characters (ordered by hash).
    const comparable = (name: string) => name.slice(0, 150);
    expect(listed.map(comparable)).toEqual([...names].sort().map(comparable));
  });

  it('refuses an invalid continuation token as InvalidRequestArguments', async () => {
    const { taskGroups } = azure.ports();
    await expect(taskGroups.listMembers(randomSlugid(), { limit: 10, continuationToken: 'bogus' })).rejects.toMatchObject({
      code: 'InvalidRequestArguments',
    });
    await expect(taskGroups.listMembers(randomSlugid(), { limit: 0 })).rejects.toMatchObject({ code: 'InvalidRequestArguments' });
  });
});

describe('tables', () => {
  it('are created on first use, all at once by ensureTables, and dropped by dropTables', async () => {
    const requests = new RequestCounter();
    const ports = azure.ports({ onRequest: requests.record });
    await ports.tasks.get(randomSlugid());
    expect([...requests.byTable.keys()]).toEqual([ports.tableNames[0]]);
    expect(requests.total).toBe(2); // create table, read
    await ports.ensureTables();
    expect(ports.tableNames).toHaveLength(Object.keys(TABLES).length);
    // Every table, plus the look (read only) for the tables of storage layout 1.
    const probed = ['TaskGroupMembers', 'TaskGroupActiveSets', 'PendingKeys'].map((name) => ports.tableNames[0]!.replace(/Tasks$/, name));
    expect([...requests.byTable.keys()].sort()).toEqual([...ports.tableNames, ...probed].sort());
    await ports.dropTables();
    // Used again after a drop (or a drop by another process): created again.
    await expect(ports.tasks.get(randomSlugid())).resolves.toBeUndefined();
  });

  it('names tables <prefix><Name>, and refuses prefixes Azure would not accept', () => {
    const { connectionString } = azure.azurite();
    expect(createAzurePorts({ connectionString, prefix: 'Prod1' }).tableNames).toContain('Prod1Tasks');
    for (const prefix of ['', '1abc', 'has-dash', 'a'.repeat(41)]) {
      expect(() => createAzurePorts({ connectionString, prefix })).toThrow(/Invalid table prefix/);
    }
    expect(() => createAzurePorts({ prefix: 'x' })).toThrow(/connectionString/);
    expect(() => createAzurePorts({ connectionString, prefix: 'x', shards: 0 })).toThrow(/shards/);
  });

  it('connects with account name, key and endpoint as well as with a connection string', async () => {
    const { tableEndpoint } = azure.azurite();
    const ports = createAzurePorts({
      accountName: 'devstoreaccount1',
      accountKey: 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==',
      tableEndpoint: tableEndpoint as string,
      prefix: azure.prefix(),
    });
    const group = { taskGroupId: randomSlugid(), schedulerId: 's', expires: new Date().toISOString() };
    await ports.taskGroups.create(group);
    expect((await ports.taskGroups.get(group.taskGroupId))?.value).toEqual(group);
    await ports.dropTables();
  });
});

describe('claims and timers replaced by the process that wrote them', () => {
  it('cost one request (a reclaim), and a stale memory falls back to reading the key row', async () => {
    const requests = new RequestCounter();
    const prefix = azure.prefix();
    const mine = azure.ports({ prefix, onRequest: requests.record });
    const other = azure.ports({ prefix });
    const now = Date.now();
    const claim = { taskQueueId: 'replicas/wt', taskId: randomSlugid(), runId: 0, workerGroup: 'g', workerId: 'w', claimed: new Date(now).toISOString(), takenUntil: new Date(now + 60_000).toISOString() };
    await mine.claims.put(claim);
    requests.reset();
    await mine.claims.put({ ...claim, takenUntil: new Date(now + 120_000).toISOString() });
    expect(requests.total).toBe(1);
    // Replaced by another process meanwhile: this one's remembered due row is gone.
    await other.claims.put({ ...claim, takenUntil: new Date(now + 180_000).toISOString() });
    await mine.claims.put({ ...claim, takenUntil: new Date(now + 240_000).toISOString() });
    const expired = await mine.claims.leaseExpired(now + 300_000, 10, now + 310_000);
    expect(expired.map((c) => c.takenUntil)).toEqual([new Date(now + 240_000).toISOString()]);
  });
});
