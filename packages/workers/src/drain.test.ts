import type { JobResult } from './continuous-job';
import { drain, runJobOnce } from './drain';

/** A job that hands out `results` one call at a time, then reports nothing to do. */
const scripted = (results: readonly (JobResult | Error)[]) => {
  let calls = 0;
  const run = async (): Promise<JobResult> => {
    const next = results[calls++] ?? { deleted: 0 };
    if (next instanceof Error) throw next;
    return next;
  };
  return { run, calls: () => calls };
};

describe('drain', () => {
  it('runs batches until one finds nothing to do', async () => {
    const job = scripted([{ deleted: 100 }, { deleted: 100 }, { deleted: 7 }]);
    expect(await drain(job.run)).toEqual({ batches: 4, done: 207, failed: 0, complete: true });
    expect(job.calls()).toBe(4);
  });

  it('stops when a batch only met failures (they would come back forever), counting them', async () => {
    const job = scripted([{ deleted: 98, failed: 2 }, { deleted: 0, failed: 2 }, { deleted: 50 }]);
    expect(await drain(job.run)).toEqual({ batches: 2, done: 98, failed: 4, complete: true });
  });

  it('counts handled messages as progress', async () => {
    const job = scripted([{ handled: 3 }, { handled: 0 }]);
    expect(await drain(job.run)).toMatchObject({ done: 3, complete: true });
  });

  it('stops between batches when aborted, and after maxBatches', async () => {
    const controller = new AbortController();
    let calls = 0;
    const summary = await drain(
      async () => {
        if (++calls === 2) controller.abort();
        return { deleted: 1 };
      },
      { signal: controller.signal },
    );
    expect(summary).toEqual({ batches: 2, done: 2, failed: 0, complete: false });
    expect(await drain(async () => ({ deleted: 1 }), { maxBatches: 5 })).toEqual({ batches: 5, done: 5, failed: 0, complete: false });
  });

  it('throws the error of a failed batch', async () => {
    const job = scripted([{ deleted: 1 }, new Error('storage down')]);
    await expect(drain(job.run)).rejects.toThrow('storage down');
    expect(job.calls()).toBe(2);
  });
});

describe('runJobOnce', () => {
  const jobs = { expireTasks: scripted([{ deleted: 2 }]).run } as never;

  it('drains a job by its kebab-case or core name', async () => {
    expect(await runJobOnce(jobs, 'expire-tasks')).toMatchObject({ done: 2, complete: true });
    expect(await runJobOnce(jobs, 'expireTasks')).toMatchObject({ done: 0, complete: true });
  });

  it('rejects an unknown name, listing the known ones', async () => {
    await expect(runJobOnce(jobs, 'retire-tasks')).rejects.toThrow(/claim-reaper, deadline-reaper/);
  });
});
