import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Helpers of the tests that spawn the built service (`pnpm test` builds before jest runs). */

export const MAIN = join(__dirname, '..', 'dist', 'main.js');

export const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

export interface Service {
  readonly child: ChildProcess;
  /** Everything it printed on stdout so far. */
  output(): string;
  /** Resolves once stdout contains `text`; rejects if the process exits first. */
  waitFor(text: string): Promise<void>;
  /** SIGTERM, then its exit code. */
  stop(): Promise<number | null>;
  /** Its exit code, once it exits by itself. */
  exited: Promise<number | null>;
}

/**
 * Starts `main.js <args>` with `env` over the current environment (backend `memory` unless `env`
 * says otherwise), in a data directory of its own, removed when it exits unless `dataDir` is given.
 */
export const startService = (args: readonly string[], env: Record<string, string>, options: { dataDir?: string } = {}): Service => {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'tq-service-'));
  const child = spawn(process.execPath, [MAIN, ...args], {
    env: { ...process.env, QUEUE_BACKEND: 'memory', QUEUE_DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    for (const listener of listeners) listener();
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve)).finally(() => {
    if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
  });
  return {
    child,
    exited,
    output: () => stdout,
    waitFor: (text) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (!stdout.includes(text)) return;
          listeners.delete(check);
          resolve();
        };
        listeners.add(check);
        check();
        void exited.then((code) => reject(new Error(`exited with ${code} before printing ${text}:\n${stdout}\n${stderr}`)));
      }),
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
};

/** Polls `probe` every 100 ms until it returns a value (not undefined), for at most `ms`. */
export const eventually = async <T>(probe: () => Promise<T | undefined>, ms: number, what: string): Promise<T> => {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};
