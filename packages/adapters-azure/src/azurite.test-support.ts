/**
 * Azurite for this package's `*.azure.test.ts` files: in memory, one per test file, each test on
 * its own table prefix.
 */
import { randomBytes } from 'node:crypto';
import { startAzurite, type Azurite } from './embedded-azurite';
import { createAzurePorts, type AzurePorts, type AzurePortsOptions } from './index';

export { startAzurite, type Azurite };

export const prefixes = (fileTag: string) => {
  const run = randomBytes(3).toString('hex');
  let counter = 0;
  return () => `${fileTag}${run}n${++counter}`;
};

/**
 * Azurite for one test file: started in `beforeAll` (the file fails, loudly, when it cannot
 * start), stopped in `afterAll`; `ports()` makes adapters on a fresh prefix, dropped after the file.
 */
export const useAzurite = (fileTag: string) => {
  let azurite: Azurite | undefined;
  const made: AzurePorts[] = [];
  const nextPrefix = prefixes(fileTag);
  beforeAll(async () => {
    azurite = await startAzurite();
  }, 60_000);
  afterAll(async () => {
    await Promise.allSettled(made.splice(0).map((ports) => ports.dropTables()));
    await azurite?.stop();
    azurite = undefined;
  }, 60_000);
  const running = (): Azurite => {
    if (!azurite) throw new Error('Azurite is not running (see the error of beforeAll)');
    return azurite;
  };
  return {
    azurite: running,
    prefix: nextPrefix,
    /** Storage ports on a prefix (a fresh one unless given). */
    ports: (options: Partial<AzurePortsOptions> = {}): AzurePorts => {
      const ports = createAzurePorts({ connectionString: running().connectionString, prefix: nextPrefix(), ...options });
      made.push(ports);
      return ports;
    },
  };
};
