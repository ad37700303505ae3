import type { JobResult } from './continuous-job';
import { startCronSchedule, type CronSchedule, type CronScheduleOptions } from './cron-schedule';
import type { DrainSummary } from './drain';
import { EXPIRY_SCHEDULE } from './job-names';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** A job with `pending` records, deleting up to `batch` per call; `gate` holds a batch until opened. */
const recordsJob = (pending: number, batch = 10) => {
  let left = pending;
  let calls = 0;
  let gate: Promise<void> | undefined;
  let open: () => void = () => undefined;
  return {
    run: async (): Promise<JobResult> => {
      calls++;
      if (gate) await gate;
      const deleted = Math.min(batch, left);
      left -= deleted;
      return { deleted };
    },
    hold: () => {
      gate = new Promise<void>((resolve) => (open = resolve));
    },
    release: () => {
      gate = undefined;
      open();
    },
    refill: (n: number) => (left += n),
    left: () => left,
    calls: () => calls,
  };
};

describe('startCronSchedule (fake timers)', () => {
  let schedule: CronSchedule | undefined;
  const events: string[] = [];
  const summaries: Array<[string, DrainSummary]> = [];
  const errors: Array<[string, unknown]> = [];
  const start = (jobs: CronScheduleOptions['jobs']) => {
    schedule = startCronSchedule({
      jobs,
      onStart: (name) => events.push(`start ${name}`),
      onFinish: (name, summary) => {
        events.push(`finish ${name}`);
        summaries.push([name, summary]);
      },
      onError: (name, error) => errors.push([name, error]),
      onOverlap: (name) => events.push(`overlap ${name}`),
      log: (level, message) => events.push(`${level}: ${message}`),
    });
    return schedule;
  };

  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2030-01-01T23:59:00Z') });
    events.length = 0;
    summaries.length = 0;
    errors.length = 0;
  });
  afterEach(async () => {
    await schedule?.stop();
    schedule = undefined;
    jest.useRealTimers();
  });

  it('runs each job at its time (UTC) and drains it', async () => {
    const tasks = recordsJob(25);
    const artifacts = recordsJob(3);
    start([
      { name: 'expire-tasks', schedule: EXPIRY_SCHEDULE['expire-tasks'], run: tasks.run },
      { name: 'expire-artifacts', schedule: EXPIRY_SCHEDULE['expire-artifacts'], run: artifacts.run },
    ]);
    expect(schedule!.nextRuns()).toEqual({
      'expire-tasks': new Date('2030-01-02T00:10:00Z'),
      'expire-artifacts': new Date('2030-01-02T01:10:00Z'),
    });
    await jest.advanceTimersByTimeAsync(10 * MINUTE); // 00:09
    expect(tasks.calls()).toBe(0);
    await jest.advanceTimersByTimeAsync(MINUTE); // 00:10
    expect(tasks.left()).toBe(0);
    expect(summaries).toEqual([['expire-tasks', { batches: 4, done: 25, failed: 0, complete: true }]]);
    expect(artifacts.calls()).toBe(0);
    await jest.advanceTimersByTimeAsync(HOUR); // 01:10
    expect(artifacts.left()).toBe(0);
    expect(events).toEqual(['start expire-tasks', 'finish expire-tasks', 'start expire-artifacts', 'finish expire-artifacts']);
    tasks.refill(5);
    await jest.advanceTimersByTimeAsync(23 * HOUR); // next day, 00:10
    expect(tasks.left()).toBe(0);
    expect(summaries.map(([name]) => name)).toEqual(['expire-tasks', 'expire-artifacts', 'expire-tasks']);
  });

  it('runs the queue-message expiry hourly, at 23 past', async () => {
    const messages = recordsJob(0);
    start([{ name: 'expire-queue-messages', schedule: EXPIRY_SCHEDULE['expire-queue-messages'], run: messages.run }]);
    await jest.advanceTimersByTimeAsync(3 * HOUR);
    expect(messages.calls()).toBe(3); // 00:23, 01:23, 02:23
  });

  it('never overlaps a run of the same job in one process', async () => {
    const job = recordsJob(15);
    job.hold();
    start([{ name: 'every-minute', schedule: '* * * * *', run: job.run }]);
    await jest.advanceTimersByTimeAsync(MINUTE); // 00:00: starts, held
    await jest.advanceTimersByTimeAsync(2 * MINUTE); // 00:01, 00:02: still running
    expect(job.calls()).toBe(1);
    expect(events).toEqual(['start every-minute', 'overlap every-minute', 'overlap every-minute']);
    job.release();
    await jest.advanceTimersByTimeAsync(0);
    expect(job.left()).toBe(0);
    job.refill(1);
    await jest.advanceTimersByTimeAsync(MINUTE); // 00:03 runs again
    expect(job.left()).toBe(0);
    expect(events.filter((e) => e.startsWith('start'))).toHaveLength(2);
  });

  it('reports a failed run and runs again at the next time', async () => {
    let calls = 0;
    start([
      {
        name: 'flaky',
        schedule: '0 * * * *',
        run: async () => {
          if (++calls === 1) throw new Error('storage down');
          return { deleted: 0 };
        },
      },
    ]);
    await jest.advanceTimersByTimeAsync(MINUTE); // 00:00
    expect(errors).toEqual([['flaky', new Error('storage down')]]);
    await jest.advanceTimersByTimeAsync(HOUR); // 01:00
    expect(summaries).toEqual([['flaky', { batches: 1, done: 0, failed: 0, complete: true }]]);
  });

  it('on stop, lets the running batch finish, ends the drain and schedules nothing more', async () => {
    const job = recordsJob(100);
    job.hold();
    start([{ name: 'big', schedule: '* * * * *', run: job.run }]);
    await jest.advanceTimersByTimeAsync(MINUTE);
    expect(job.calls()).toBe(1);
    const stopped = schedule!.stop();
    job.release();
    await stopped;
    expect(job.calls()).toBe(1);
    expect(summaries).toEqual([['big', { batches: 1, done: 10, failed: 0, complete: false }]]);
    await jest.advanceTimersByTimeAsync(10 * MINUTE);
    expect(job.calls()).toBe(1);
    expect(await schedule!.trigger('big')).toBeUndefined();
  });

  it('rejects a bad cron expression at start', () => {
    expect(() => startCronSchedule({ jobs: [{ name: 'bad', schedule: '61 * * * *', run: async () => ({}) }], onError: () => undefined })).toThrow();
  });
});
