import { backgroundJobs } from '@taskcluster-queue/core';
import { validate } from 'node-cron';
import { ALL_JOBS, CONTINUOUS_JOBS, EXPIRY_SCHEDULE, JOB_NAMES, isContinuous, jobNamed } from './job-names';

describe('job names', () => {
  it('name every background job of the core once', () => {
    expect(Object.values(JOB_NAMES).sort()).toEqual(Object.keys(backgroundJobs).sort());
  });

  it('split the jobs into the continuous ones and the scheduled ones', () => {
    expect([...CONTINUOUS_JOBS, ...Object.keys(EXPIRY_SCHEDULE)].sort()).toEqual([...ALL_JOBS].sort());
    expect(ALL_JOBS.filter(isContinuous)).toEqual(['claim-reaper', 'deadline-reaper', 'dependency-resolver']);
  });

  it('schedule the expiry jobs at upstream times', () => {
    expect(EXPIRY_SCHEDULE).toEqual({
      'expire-artifacts': '10 1 * * *',
      'expire-tasks': '10 0 * * *',
      'expire-task-groups': '15 0 * * *',
      'expire-task-dependencies': '20 0 * * *',
      'expire-worker-info': '5 0 * * *',
      'expire-queue-messages': '23 * * * *',
    });
    for (const expression of Object.values(EXPIRY_SCHEDULE)) expect(validate(expression)).toBe(true);
  });

  it('accept the kebab-case name and the core use case name', () => {
    expect(jobNamed('claim-reaper')).toBe('claim-reaper');
    expect(jobNamed('expireClaims')).toBe('claim-reaper');
    expect(jobNamed('expire-artifacts')).toBe('expire-artifacts');
    expect(jobNamed('retire-tasks')).toBeUndefined();
    expect(jobNamed('toString')).toBeUndefined();
  });
});
