import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('has a default for everything', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 8080,
      rootUrl: 'http://localhost:8080',
      QUEUE_BACKEND: 'embedded',
      QUEUE_CLAIM_TIMEOUT: 1200,
      QUEUE_DATA_DIR: '.data',
      QUEUE_CLIENTS: [],
      QUEUE_ANONYMOUS_SCOPES: [],
    });
    expect(config.QUEUE_ROOT_ACCESS_TOKEN).toBeUndefined();
  });

  it('derives the root URL from PORT and strips trailing slashes', () => {
    expect(loadConfig({ PORT: '9000' }).rootUrl).toBe('http://localhost:9000');
    expect(loadConfig({ TASKCLUSTER_ROOT_URL: 'https://tc.example.com/' }).rootUrl).toBe('https://tc.example.com');
  });

  it('needs Azure credentials for the azure backend', () => {
    expect(() => loadConfig({ QUEUE_BACKEND: 'azure' })).toThrow('AZURE_STORAGE_CONNECTION_STRING');
    expect(loadConfig({ QUEUE_BACKEND: 'azure', AZURE_STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true' }).QUEUE_BACKEND).toBe('azure');
  });

  it('parses clients and anonymous scopes from JSON', () => {
    const config = loadConfig({
      QUEUE_CLIENTS: JSON.stringify([{ clientId: 'worker', accessToken: 'x'.repeat(22), scopes: ['queue:claim-work:*'] }]),
      QUEUE_ANONYMOUS_SCOPES: '["queue:ping"]',
    });
    expect(config.QUEUE_CLIENTS[0]?.clientId).toBe('worker');
    expect(config.QUEUE_ANONYMOUS_SCOPES).toEqual(['queue:ping']);
  });

  it('names every bad variable in one error', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', QUEUE_BACKEND: 'postgres', QUEUE_CLIENTS: '[{}]', AMQP_URL: 'http://x', QUEUE_ROOT_ACCESS_TOKEN: 'short' });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    for (const name of ['PORT', 'QUEUE_BACKEND', 'QUEUE_CLIENTS', 'AMQP_URL', 'QUEUE_ROOT_ACCESS_TOKEN']) {
      expect(message).toContain(`${name}:`);
    }
  });
});
