import { useAzurite } from './azurite.test-support';
import { STORAGE_LAYOUT, StorageLayoutMismatch } from './index';
import { AzureTables } from './table-client';

// Boot refuses data of another storage layout instead of misreading it.
const azure = useAzurite('layout');

const rawTables = (prefix: string) => new AzureTables({ connectionString: azure.azurite().connectionString, prefix });

describe('stored layout', () => {
  it('marks new storage with this layout, and boots on it again (also from a second replica)', async () => {
    const prefix = azure.prefix();
    const first = azure.ports({ prefix });
    await first.ensureTables();
    const marker = await rawTables(prefix).table('Layout').get('layout', 'version');
    expect(marker?.['layout']).toBe(STORAGE_LAYOUT);
    await first.ensureTables();
    await azure.ports({ prefix }).ensureTables();
  });

  it('refuses storage that holds layout-1 rows and no marker, naming the prefix and the way out', async () => {
    const prefix = azure.prefix();
    const old = rawTables(prefix).table('TaskGroupMembers');
    await old.create({ partitionKey: 'group', rowKey: 'task' });
    const ports = azure.ports({ prefix });
    const error = await ports.ensureTables().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageLayoutMismatch);
    expect((error as Error).message).toContain(`"${prefix}" hold data of storage layout 1`);
    expect((error as Error).message).toContain('AZURE_TABLE_PREFIX');
    await old.drop();
  });

  it('refuses storage marked with another layout', async () => {
    const prefix = azure.prefix();
    await rawTables(prefix).table('Layout').create({ partitionKey: 'layout', rowKey: 'version', layout: STORAGE_LAYOUT + 1 });
    await expect(azure.ports({ prefix }).ensureTables()).rejects.toThrow(`layout ${STORAGE_LAYOUT + 1}`);
  });
});
