/**
 * Azurite (the Azure Storage emulator from npm) inside this process: the embedded default of the
 * service keeps its data on disk with it, and the tests run it in memory. Telemetry is off and it
 * listens on loopback only.
 *
 * The servers run in a worker thread: still in-process (no child process to clean up), but on
 * their own event loop, so on a 2-core machine they use the second core instead of competing
 * with the SDK and the core.
 *
 * The package root cannot be imported (its `main` needs `vscode`) and has no typings, so the
 * servers are loaded from `dist/src` (../shared/infra-notes.md §2b).
 */
import { dirname } from 'node:path';
import { Worker } from 'node:worker_threads';

/** Azurite's well-known development account. */
export const AZURITE_ACCOUNT = 'devstoreaccount1';
export const AZURITE_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export type AzuriteService = 'table' | 'blob';

export interface Azurite {
  /** A connection string with every started service's endpoint. */
  readonly connectionString: string;
  readonly tableEndpoint?: string;
  readonly blobEndpoint?: string;
  stop(): Promise<void>;
}

/** The worker: plain CommonJS, run with `eval`, so it needs no build step and no jest transform. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const path = require('node:path');
const { root, services, location } = workerData;
const load = (p) => require(path.join(root, 'dist', 'src', p)).default;
const telemetry = require(path.join(root, 'dist', 'src', 'common', 'Telemetry'));
// Only the CLI initialises telemetry; switch it off anyway, so nothing can leave loopback.
if (telemetry.AzuriteTelemetryClient) telemetry.AzuriteTelemetryClient.enableTelemetry = false;
const host = '127.0.0.1';
const memory = !location;
const at = (file) => (location ? path.join(location, file) : file);
const servers = {};
if (services.includes('table')) {
  const Server = load('table/TableServer'), Configuration = load('table/TableConfiguration');
  // (host, port, keepAliveTimeout, metadataDBPath, enableDebugLog, enableAccessLog, accessLogWriteStream,
  //  debugLogFilePath, loose, skipApiVersionCheck, cert, key, pwd, oauth, disableProductStyleUrl, isMemoryPersistence)
  servers.table = new Server(new Configuration(host, 0, undefined, at('__azurite_db_table__.json'), false, false, undefined, undefined,
    false, true, '', '', '', undefined, false, memory));
}
if (services.includes('blob')) {
  const Server = load('blob/BlobServer'), Configuration = load('blob/BlobConfiguration');
  const persistence = [{ locationId: 'Default', locationPath: at('__blobstorage__'), maxConcurrency: 1 }];
  // (host, port, keepAliveTimeout, metadataDBPath, extentDBPath, persistencePathArray, enableAccessLog,
  //  accessLogWriteStream, enableDebugLog, debugLogFilePath, loose, skipApiVersionCheck, cert, key, pwd,
  //  oauth, disableProductStyleUrl, isMemoryPersistence)
  servers.blob = new Server(new Configuration(host, 0, undefined, at('__azurite_db_blob__.json'), at('__azurite_db_blob_extent__.json'),
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
  // On disk, closing saves the data; in memory, cleaning frees it.
  if (memory) await Promise.allSettled(all.map((server) => server.clean()));
  parentPort.postMessage({ stopped: true });
});
`;

const azuriteRoot = (): string => {
  try {
    return dirname(require.resolve('azurite/package.json'));
  } catch (error) {
    throw new Error(
      `Azurite is not installed: the embedded backend and the azure adapter tests need azurite@3.37.0, a dependency of @taskcluster-queue/adapters-azure (pnpm install). ${String(error)}`,
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

/**
 * Starts Azurite's services (default: tables) on free loopback ports: in memory, or keeping its
 * data under `location` (saved when `stop` closes it gracefully).
 */
export const startAzurite = async (
  options: { services?: readonly AzuriteService[]; location?: string } = {},
): Promise<Azurite> => {
  const services = options.services ?? ['table'];
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { root: azuriteRoot(), services: [...services], location: options.location },
  });
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
  const [tableEndpoint, blobEndpoint] = [endpoint('table'), endpoint('blob')];
  const parts = [
    'DefaultEndpointsProtocol=http',
    `AccountName=${AZURITE_ACCOUNT}`,
    `AccountKey=${AZURITE_KEY}`,
    tableEndpoint && `TableEndpoint=${tableEndpoint}`,
    blobEndpoint && `BlobEndpoint=${blobEndpoint}`,
  ];
  return {
    connectionString: `${parts.filter(Boolean).join(';')};`,
    tableEndpoint,
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
