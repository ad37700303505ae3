import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The built entry point: `pnpm test` builds before jest runs. */
const MAIN = join(__dirname, '..', 'dist', 'main.js');

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

const waitForOutput = (child: ChildProcess, text: string) =>
  new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(text)) resolve(output);
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code} before printing ${text}:\n${output}`)));
  });

describe('taskcluster-queue all', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'tq-service-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('prints the root URL and credentials, keeps the token, and on SIGTERM answers waiting claimWork calls and exits 0', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [MAIN, 'all'], {
      env: {
        ...process.env,
        PORT: String(port),
        QUEUE_BACKEND: 'memory',
        QUEUE_DATA_DIR: dataDir,
        QUEUE_CLAIM_WORK_WAIT: '60',
        QUEUE_ANONYMOUS_SCOPES: JSON.stringify(['queue:claim-work:prov/wt', 'queue:worker-id:wg/w1', 'queue:list-workers:prov/wt']),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const output = await waitForOutput(child, 'TASKCLUSTER_ACCESS_TOKEN=')
    expect(output).toContain(`TASKCLUSTER_ROOT_URL=http://localhost:${port}`);
    expect(output).toContain('TASKCLUSTER_CLIENT_ID=static/taskcluster/root');
    const token = readFileSync(join(dataDir, 'root-access-token'), 'utf8').trim();
    expect(output).toContain(`TASKCLUSTER_ACCESS_TOKEN=${token}`);

    const waiting = fetch(`http://127.0.0.1:${port}/api/queue/v1/claim-work/prov%2Fwt`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ workerGroup: 'wg', workerId: 'w1', tasks: 1 }),
    });
    // The long poll is under way once claimWork has registered the worker.
    const workers = `http://127.0.0.1:${port}/api/queue/v1/provisioners/prov/worker-types/wt/workers`;
    while (((await (await fetch(workers)).json()) as { workers: unknown[] }).workers.length === 0) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const response = await waiting;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ tasks: [] });
    expect(await exited).toBe(0);
  });

  it('refuses bad configuration with a message naming the variable', async () => {
    const child = spawn(process.execPath, [MAIN, 'all'], { env: { ...process.env, PORT: 'eighty' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toContain('PORT:');
  });
});
