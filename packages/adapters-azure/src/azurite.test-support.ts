/**
 * Azurite (the `azurite` devDependency) inside this process, on free loopback ports, with
 * in-memory persistence and telemetry off, for this package's `*.azure.test.ts` files. Each test
 * file starts its own and stops it in `afterAll`; nothing is written to disk and nothing leaves
 * loopback.
 *
 * The servers run in a worker thread of the test process: still in-process (no child process,
 * nothing to clean up if jest dies), but on their own event loop, so on a 2-core machine they use
 * the second core instead of competing with the SDK and the core for the test's thread.
 *
 * The package root cannot be imported (its `main` needs `vscode`) and has no typings, so the
 * servers are loaded from `dist/src` (../shared/infra-notes.md §2b).
 */
import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';
import { Worker } from 'node:worker_threads';
import { createAzurePorts, type AzurePorts, type AzurePortsOptions } from './index';

/** Azurite's well-known development account. */
export const AZURITE_ACCOUNT = 'devstoreaccount1';
export const AZURITE_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export type AzuriteService = 'table' | 'queue' | 'blob';

export interface Azurite {
  /** A connection string with every started service's endpoint. */
  readonly connectionString: string;
  readonly tableEndpoint?: string;
  readonly queueEndpoint?: string;
  readonly blobEndpoint?: string;
  stop(): Promise<void>;
}

/** The worker: plain CommonJS, run with `eval`, so it needs no build step and no jest transform. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const path = require('node:path');
const { root, services } = workerData;
const load = (p) => require(path.join(root, 'dist', 'src', p)).default;
const telemetry = require(path.join(root, 'dist', 'src', 'common', 'Telemetry'));
// Only the CLI initialises telemetry; switch it off anyway, so nothing can leave loopback.
if (telemetry.AzuriteTelemetryClient) telemetry.AzuriteTelemetryClient.enableTelemetry = false;
const host = '127.0.0.1';
const memory = true;
const servers = {};
if (services.includes('table')) {
  const Server = load('table/TableServer'), Configuration = load('table/TableConfiguration');
  // (host, port, keepAliveTimeout, metadataDBPath, enableDebugLog, enableAccessLog, accessLogWriteStream,
  //  debugLogFilePath, loose, skipApiVersionCheck, cert, key, pwd, oauth, disableProductStyleUrl, isMemoryPersistence)
  servers.table = new Server(new Configuration(host, 0, undefined, 'table.json', false, false, undefined, undefined,
    false, true, '', '', '', undefined, false, memory));
}
for (const [service, prefix] of [['queue', 'queue/Queue'], ['blob', 'blob/Blob']]) {
  if (!services.includes(service)) continue;
  const Server = load(prefix + 'Server'), Configuration = load(prefix + 'Configuration');
  const persistence = [{ locationId: 'Default', locationPath: service + '-data', maxConcurrency: 1 }];
  // (host, port, keepAliveTimeout, metadataDBPath, extentDBPath, persistencePathArray, enableAccessLog,
  //  accessLogWriteStream, enableDebugLog, debugLogFilePath, loose, skipApiVersionCheck, cert, key, pwd,
  //  oauth, disableProductStyleUrl, isMemoryPersistence)
  servers[service] = new Server(new Configuration(host, 0, undefined, service + '.json', service + '-extent.json',
    persistence, false, undefined, false, undefined, false, true, '', '', '', undefined, false, memory));
}
const all = Object.values(servers);
Promise.all(all.map((server) => server.start())).then(
  () => parentPort.postMessage({ started: Object.fromEntries(Object.entries(servers).map(([name, server]) => [name, server.getHttpServerAddress()])) }),
  (error) => parentPort.postMessage({ error: String(error && error.stack || error) }),
);
parentPort.on('message', async (message) => {
  if (message !== 'stop') return;
  await Promise.allSettled(all.map((server) => server.close()));
  await Promise.allSettled(all.map((server) => server.clean()));
  parentPort.postMessage({ stopped: true });
});
`;

const azuriteRoot = (): string => {
  try {
    return dirname(require.resolve('azurite/package.json'));
  } catch (error) {
    throw new Error(
      `Azurite is not installed: the azure adapter tests need the devDependency azurite@3.37.0 of @taskcluster-queue/adapters-azure (pnpm install). ${String(error)}`,
    );
  }
};

type WorkerMessage = { started: Partial<Record<AzuriteService, string>> } | { error: string } | { stopped: true };

const nextMessage = (worker: Worker, what: string): Promise<WorkerMessage> =>
  new Promise((resolve, reject) => {
    const onMessage = (message: WorkerMessage) => {
      cleanup();
      resolve(message);
    };
    const onError = (error: Error) => {
      cleanup();
      reject(new Error(`Azurite's thread failed while ${what}: ${error.stack ?? error.message}`));
    };
    const onExit = (code: number) => {
      cleanup();
      reject(new Error(`Azurite's thread exited (code ${code}) while ${what}`));
    };
    const cleanup = () => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  });

/** Starts the given services (default: table and queue) of an in-memory Azurite on free ports. */
export const startAzurite = async (services: readonly AzuriteService[] = ['table', 'queue']): Promise<Azurite> => {
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { root: azuriteRoot(), services: [...services] } });
  let started: Partial<Record<AzuriteService, string>>;
  try {
    const message = await nextMessage(worker, 'starting');
    if (!('started' in message)) throw new Error('error' in message ? message.error : 'unexpected message');
    started = message.started;
  } catch (error) {
    await worker.terminate();
    throw new Error(`Azurite did not start: ${error instanceof Error ? error.message : String(error)}`);
  }
  const endpoint = (service: AzuriteService) => started[service] && `${started[service]}/${AZURITE_ACCOUNT}`;
  const [tableEndpoint, queueEndpoint, blobEndpoint] = [endpoint('table'), endpoint('queue'), endpoint('blob')];
  const parts = [
    'DefaultEndpointsProtocol=http',
    `AccountName=${AZURITE_ACCOUNT}`,
    `AccountKey=${AZURITE_KEY}`,
    tableEndpoint && `TableEndpoint=${tableEndpoint}`,
    queueEndpoint && `QueueEndpoint=${queueEndpoint}`,
    blobEndpoint && `BlobEndpoint=${blobEndpoint}`,
  ];
  return {
    connectionString: `${parts.filter(Boolean).join(';')};`,
    tableEndpoint,
    queueEndpoint,
    blobEndpoint,
    stop: async () => {
      const stopped = nextMessage(worker, 'stopping');
      worker.postMessage('stop');
      try {
        await stopped;
      } finally {
        await worker.terminate();
      }
    },
  };
};

/** Table prefixes of one test file: `<file tag><random><counter>` (letters and digits). */
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
