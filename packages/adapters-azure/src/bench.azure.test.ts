import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';

// `pnpm bench` counts the storage requests of a lifecycle (issue 4): this keeps the script
// running, at 2 sampled lifecycles and 64 concurrent ones, and holds the count where the README
// says it is. Counting is deterministic (one lifecycle at a time); nothing here is timed.
const script = path.resolve(__dirname, '../bench/run.js');

const runBench = async (): Promise<Record<string, any>> => {
  const env = { ...process.env, BENCH_SAMPLES: '2', BENCH_LIFECYCLES: '64' };
  const { stdout } = await promisify(execFile)(process.execPath, [script], { env, maxBuffer: 16 * 1024 * 1024 });
  return JSON.parse(stdout.trim().split('\n').pop()!) as Record<string, any>;
};

describe('the storage benchmark on Azurite', () => {
  it('counts 22 requests per lifecycle, as the README tables them, plus 8 poll queries', async () => {
    const { lifecycle, throughput } = await runBench();
    expect(lifecycle).toEqual({
      portCalls: 21,
      requests: 22,
      pollQueries: 8,
      idlePass: 12,
      phases: {
        createTask: 4,
        claimWork: 8,
        reportCompleted: 4,
        'resolveDependencies (the resolved notice)': 6,
        'resolveDeadlines (the deadline timer, later)': 0,
      },
    });
    expect(throughput.lifecycles).toBe(64);
  }, 180_000);
});
