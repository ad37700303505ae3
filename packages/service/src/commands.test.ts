import { parseCommand, USAGE } from './commands';

describe('parseCommand', () => {
  it('reads the process entries', () => {
    expect(parseCommand([])).toEqual({ kind: 'all' });
    expect(parseCommand(['web'])).toEqual({ kind: 'web' });
    expect(parseCommand(['workers'])).toEqual({ kind: 'workers' });
  });

  it('runs one job alone by its kebab-case name (or the core name)', () => {
    expect(parseCommand(['claim-reaper'])).toEqual({ kind: 'job', job: 'claim-reaper' });
    expect(parseCommand(['expire-artifacts'])).toEqual({ kind: 'job', job: 'expire-artifacts' });
    expect(parseCommand(['run', 'expire-artifacts'])).toEqual({ kind: 'run', job: 'expire-artifacts' });
    expect(parseCommand(['run', 'expireClaims'])).toEqual({ kind: 'run', job: 'claim-reaper' });
  });

  it('refuses anything else', () => {
    for (const argv of [['run'], ['run', 'retire-tasks'], ['retire-tasks'], ['web', 'extra'], ['run', 'expire-tasks', 'now']]) {
      expect(parseCommand(argv)).toBeUndefined();
    }
  });

  it('lists every job in the usage', () => {
    for (const job of ['claim-reaper', 'deadline-reaper', 'dependency-resolver', 'expire-artifacts', 'expire-tasks', 'expire-task-groups', 'expire-task-dependencies', 'expire-worker-info', 'expire-queue-messages']) {
      expect(USAGE).toContain(job);
    }
  });
});
