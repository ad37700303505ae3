import { ConfigError, loadConfig } from './config';

describe('loadConfig: jobs and monitoring', () => {
  it('has defaults: reaper intervals from QUEUE_REAPER_INTERVAL, no metrics port, no Sentry', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ QUEUE_REAPER_INTERVAL: 5, QUEUE_METRICS_TASK_QUEUES: 100 });
    expect(config.QUEUE_CLAIM_REAPER_INTERVAL).toBeUndefined();
    expect(config.QUEUE_METRICS_PORT).toBeUndefined();
    expect(config.SENTRY_DSN).toBeUndefined();
  });

  it('reads fractions of seconds, a metrics port and a Sentry DSN', () => {
    const config = loadConfig({
      QUEUE_CLAIM_TIMEOUT: '3',
      QUEUE_CLAIM_REAPER_INTERVAL: '0.2',
      QUEUE_DEADLINE_REAPER_INTERVAL: '1',
      QUEUE_DEPENDENCY_RESOLVER_INTERVAL: '0.5',
      QUEUE_METRICS_PORT: '9102',
      SENTRY_DSN: 'https://abc123@o1.ingest.sentry.io/42',
      SENTRY_ENVIRONMENT: 'staging',
    });
    expect(config).toMatchObject({
      QUEUE_CLAIM_TIMEOUT: 3,
      QUEUE_CLAIM_REAPER_INTERVAL: 0.2,
      QUEUE_DEADLINE_REAPER_INTERVAL: 1,
      QUEUE_DEPENDENCY_RESOLVER_INTERVAL: 0.5,
      QUEUE_METRICS_PORT: 9102,
      SENTRY_ENVIRONMENT: 'staging',
    });
  });

  it('names each bad one', () => {
    let message = '';
    try {
      loadConfig({ QUEUE_CLAIM_REAPER_INTERVAL: '0', QUEUE_METRICS_PORT: '70000', SENTRY_DSN: 'not a url' });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    for (const name of ['QUEUE_CLAIM_REAPER_INTERVAL', 'QUEUE_METRICS_PORT', 'SENTRY_DSN']) expect(message).toContain(`${name}:`);
  });
});
