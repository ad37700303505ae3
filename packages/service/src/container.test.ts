import { loadConfig } from './config';
import { MEMORY_BACKEND } from './backend';
import { createContainer, resolveAll } from './container';
import { TOKENS } from './tokens';

describe('the composition root', () => {
  it('resolves every binding for the memory backend', async () => {
    const container = createContainer(loadConfig({ QUEUE_BACKEND: 'memory' }), 'a-root-access-token-for-tests', () => undefined, MEMORY_BACKEND);
    expect(() => resolveAll(container)).not.toThrow();
    const queue = container.get(TOKENS.queue);
    expect(queue.config.claimTimeout).toBe(1_200_000);
    expect(await container.get(TOKENS.authenticator).client('static/taskcluster/root')).toMatchObject({ scopes: ['*'] });
    await container.get(TOKENS.events).close?.();
  });
});
