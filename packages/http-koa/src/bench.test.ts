import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

// `pnpm bench` measures issue 3's targets: this keeps the script (server and load generator in
// processes of their own) running and its report whole, at 5% of its durations. It asserts what
// was done, never how fast.
const script = path.resolve(__dirname, '../bench/run.js');
const results = path.join(os.tmpdir(), `http-bench-${process.pid}`);
afterAll(() => fs.rmSync(results, { recursive: true, force: true }));

const runBench = async (): Promise<Record<string, any>> => {
  const env = { ...process.env, BENCH_SCALE: '0.05', BENCH_RESULTS_DIR: results };
  const { stdout } = await promisify(execFile)(process.execPath, [script], { env, maxBuffer: 16 * 1024 * 1024 });
  return JSON.parse(stdout.trim().split('\n').pop()!) as Record<string, any>;
};

describe('the HTTP benchmark, at 5% of its durations', () => {
  it('drives every phase without an error and reports each figure', async () => {
    const report = await runBench();
    for (const phase of ['bare', 'lifecycle', 'wake', 'wakeLight']) {
      expect(report[phase]).toMatchObject({ errors: 0, server: { unexpectedErrors: 0 } });
    }
    expect(report.bare.requests).toBeGreaterThan(0);
    expect(report.lifecycle.lifecycles).toBeGreaterThan(0);
    expect(report.lifecycle.emptyClaims).toBe(0);
    for (const phase of ['wake', 'wakeLight']) {
      const { tasks, answered, wrongTask, wakeUp } = report[phase];
      expect(tasks).toBeGreaterThan(0);
      expect({ answered, wrongTask, samples: wakeUp.samples }).toEqual({ answered: tasks, wrongTask: 0, samples: tasks });
    }
    expect(Object.keys(report.targets)).toEqual(['throughput', 'wakeUp']);
  }, 180_000);
});
