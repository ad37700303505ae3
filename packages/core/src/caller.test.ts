import { callerWithScopes, unrestrictedCaller } from './caller';
import { requiredScopes } from './domain/scopes';
import { DomainError } from './errors';

const caught = (f: () => void): DomainError => {
  try {
    f();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError');
};

describe('callerWithScopes', () => {
  it('passes when the scopes satisfy the expression', () => {
    const caller = callerWithScopes(['queue:get-task:*']);
    expect(caller.clientId).toBe('library');
    expect(() => caller.authorize(requiredScopes.task({ taskId: 'abc' }))).not.toThrow();
  });

  it('throws InsufficientScopes naming the missing and the required scopes', () => {
    const caller = callerWithScopes(['queue:create-task:project:none', 'queue:scheduler-id:-'], 'x');
    const task = { taskQueueId: 'prov/wt', priority: 'high' } as const;
    const expression = requiredScopes.createTask({ taskId: 't', task });
    const err = caught(() => caller.authorize(expression));
    expect(err.code).toBe('InsufficientScopes');
    expect(err.message).toContain("Client 'x' lacks scopes: AnyOf[queue:create-task:highest:prov/wt");
    expect(err.message).toContain('queue:create-task:high:prov/wt]');
    expect(err.message).toContain('(required: AllOf[queue:create-task:project:none, queue:scheduler-id:-, AnyOf[');
    expect(err.details).toEqual({
      required: expression,
      missing: { AnyOf: ['highest', 'very-high', 'high'].map((p) => `queue:create-task:${p}:prov/wt`) },
    });
  });

  it('names a single missing scope plainly', () => {
    const err = caught(() => callerWithScopes([]).authorize({ AllOf: ['a', 'b'] }));
    expect(err.message).toBe("Client 'library' lacks scopes: AllOf[a, b] (required: AllOf[a, b])");
    const one = caught(() => callerWithScopes(['a']).authorize({ AllOf: ['a', 'b'] }));
    expect(one.message).toBe("Client 'library' lacks scopes: b (required: AllOf[a, b])");
  });

  it('is not affected by later changes to the given array', () => {
    const scopes = ['a'];
    const caller = callerWithScopes(scopes);
    scopes.push('b');
    expect(() => caller.authorize('b')).toThrow(DomainError);
  });
});

describe('unrestrictedCaller', () => {
  it('holds * as root', () => {
    expect(unrestrictedCaller.clientId).toBe('root');
    expect(() =>
      unrestrictedCaller.authorize(requiredScopes.declareWorker({
        provisionerId: 'p', workerType: 'w', workerGroup: 'g', workerId: 'i', body: { expires: 'x' },
      })),
    ).not.toThrow();
  });

  it('still fails an empty AnyOf (nothing can satisfy it)', () => {
    expect(() => unrestrictedCaller.authorize({ AnyOf: [] })).toThrow(DomainError);
  });
});
