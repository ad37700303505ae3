import { DomainError } from '../errors';
import type { AbortSignalLike } from '../ports/clock';
import type { QueueEvent } from '../ports/event-publisher';
import { realClock } from '../real-clock';
import { SLUGID_PATTERN } from '../schemas/common';
import { FakeClock } from './fake-clock';
import { InMemoryBlobStore } from './in-memory-blob-store';
import { InMemoryCredentialIssuer } from './in-memory-credential-issuer';
import { InMemoryEventPublisher } from './in-memory-event-publisher';
import { base64url, InMemoryIdGenerator } from './in-memory-ids';
import { InMemoryPendingQueue } from './in-memory-pending-queue';
import { createInMemoryPorts } from './in-memory-ports';
import { InMemoryWorkNotifier } from './in-memory-work-notifier';
import { decodeContinuationToken, encodeContinuationToken, pageByKey } from './paging';

/** Tests of what the in-memory adapters offer beyond their ports (the ports have contract suites). */

const abortable = () => {
  const listeners = new Set<() => void>();
  const signal: AbortSignalLike & { aborted: boolean } = {
    aborted: false,
    addEventListener: (_type, listener) => void listeners.add(listener),
    removeEventListener: (_type, listener) => void listeners.delete(listener),
  };
  const abort = () => {
    signal.aborted = true;
    for (const listener of [...listeners]) listener();
  };
  return { signal, abort };
};

const settled = async (promise: Promise<unknown>): Promise<boolean> => {
  let done = false;
  void promise.then(() => (done = true));
  for (let i = 0; i < 10; i++) await Promise.resolve();
  return done;
};

const event = (exchange: QueueEvent['exchange']): QueueEvent => ({ exchange, routingKey: 'primary', cc: [], payload: {} });

describe('InMemoryIdGenerator', () => {
  it('makes distinct v4 slugids', () => {
    const ids = new InMemoryIdGenerator();
    const made = Array.from({ length: 2000 }, () => ids.slugid());
    for (const id of made) expect(id).toMatch(SLUGID_PATTERN);
    for (const id of made) expect(id.startsWith('-')).toBe(false);
    expect(new Set(made).size).toBe(made.length);
  });

  it('encodes base64url without padding', () => {
    expect(base64url(Uint8Array.from([]))).toBe('');
    expect(base64url(Uint8Array.from([0xfb]))).toBe('-w');
    expect(base64url(Uint8Array.from([0xfb, 0xff]))).toBe('-_8');
    expect(base64url(Uint8Array.from([0x66, 0x6f, 0x6f, 0x62]))).toBe('Zm9vYg');
  });
});

describe('continuation tokens', () => {
  it('round-trip any key', () => {
    for (const key of ['', 'a', 'public/logs/live.log', 'ü/ß/€/😀', 'a\u0000b', '\ud800lone']) {
      const token = encodeContinuationToken(key);
      expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(decodeContinuationToken(token)).toBe(key);
    }
  });

  it('refuse anything they did not make, as InvalidRequestArguments', () => {
    const valid = encodeContinuationToken('key');
    for (const token of ['', '!!!!', 'abc', 'a', `${valid}A`, valid.slice(0, -1), 'aGVsbG8', '_____']) {
      expect(() => decodeContinuationToken(token)).toThrow(DomainError);
      try {
        decodeContinuationToken(token);
      } catch (error) {
        expect((error as DomainError).code).toBe('InvalidRequestArguments');
      }
    }
  });

  it('refuse an invalid limit', () => {
    for (const limit of [0, -1, 1.5, Number.NaN]) {
      expect(() => pageByKey(['a'], (x) => x, { limit })).toThrow(DomainError);
    }
  });

  it('resume after the key even when it was deleted meanwhile', () => {
    const first = pageByKey(['a', 'b', 'c', 'd'], (x) => x, { limit: 2 });
    expect(first.items).toEqual(['a', 'b']);
    const next = pageByKey(['a', 'c', 'd'], (x) => x, { limit: 2, continuationToken: first.continuationToken });
    expect(next).toEqual({ items: ['c', 'd'] });
  });
});

describe('InMemoryEventPublisher', () => {
  it('records published events in order, by exchange, until cleared', async () => {
    const events = new InMemoryEventPublisher();
    await events.publish([event('task-defined'), event('task-pending')]);
    await events.publish([event('task-defined')]);
    expect(events.events.map((e) => e.exchange)).toEqual(['task-defined', 'task-pending', 'task-defined']);
    expect(events.ofExchange('task-defined')).toHaveLength(2);
    events.clear();
    expect(events.events).toEqual([]);
  });

  it('fails the next n publishes without recording them', async () => {
    const events = new InMemoryEventPublisher();
    const boom = new Error('broker down');
    events.failNext(2, boom);
    await expect(events.publish([event('task-running')])).rejects.toBe(boom);
    await expect(events.publish([event('task-running')])).rejects.toBe(boom);
    expect(events.events).toEqual([]);
    await events.publish([event('task-running')]);
    expect(events.events).toHaveLength(1);
    events.failNext();
    await expect(events.publish([])).rejects.toThrow('failNext');
    expect(events.acceptedCount).toBe(1);
  });

  it('with record: false counts accepted events and keeps none', async () => {
    const events = new InMemoryEventPublisher({ record: false });
    await events.publish([event('task-defined'), event('task-pending')]);
    expect(events.acceptedCount).toBe(2);
    expect(events.events).toEqual([]);
  });
});

describe('InMemoryBlobStore', () => {
  it('keeps upload metadata, gives memory:// URLs and records deletions', async () => {
    let now = 1_000;
    const blobs = new InMemoryBlobStore({ now: () => now, downloadTtlMs: 500 });
    const ref = { key: 'T/0/public/a b.txt', visibility: 'public' as const };
    const secret = { key: 'T/0/private/x', visibility: 'private' as const };
    expect(await blobs.createUpload({ ...ref, contentType: 'text/plain', expires: 9_000 })).toEqual({
      putUrl: 'memory://public/T/0/public/a%20b.txt?expires=9000',
    });
    expect(blobs.has(ref)).toBe(true);
    expect(blobs.has({ ...ref, visibility: 'private' })).toBe(false);
    expect(blobs.upload(ref)?.contentType).toBe('text/plain');
    expect(await blobs.downloadUrl(ref)).toBe('memory://public/T/0/public/a%20b.txt');
    now = 2_000;
    expect(await blobs.downloadUrl(secret)).toBe('memory://private/T/0/private/x?expires=2500');
    await blobs.delete(ref);
    await blobs.delete(secret);
    expect(blobs.has(ref)).toBe(false);
    expect(blobs.deleted).toEqual([ref, secret]);
  });
});

describe('InMemoryCredentialIssuer', () => {
  it('with record: false issues the same way and keeps no log', async () => {
    const issuer = new InMemoryCredentialIssuer({ record: false });
    const credentials = await issuer.issue({ clientId: 'c', scopes: ['a'], start: 1000, expiry: 2000 });
    expect(JSON.parse(credentials.certificate)).toMatchObject({ version: 1, scopes: ['a'], issuer: 'queue-in-memory' });
    expect(issuer.issued).toEqual([]);
  });

  it('issues certificate-shaped credentials and records the requests', async () => {
    const issuer = new InMemoryCredentialIssuer({ issuer: 'queue-client' });
    const request = { clientId: 'task-client/T/0/on/g/w/until/1', scopes: ['a', 'b'], start: 1000, expiry: 2000 };
    const first = await issuer.issue(request);
    const second = await issuer.issue(request);
    expect(first.clientId).toBe(request.clientId);
    expect(first.accessToken).not.toBe(second.accessToken);
    const certificate = JSON.parse(first.certificate) as Record<string, unknown>;
    expect(certificate).toEqual({
      version: 1,
      scopes: ['a', 'b'],
      start: 1000,
      expiry: 2000,
      seed: expect.stringMatching(/^[A-Za-z0-9_-]{44}$/),
      signature: expect.any(String),
      issuer: 'queue-client',
    });
    expect(issuer.issued).toEqual([
      { request, credentials: first },
      { request, credentials: second },
    ]);
  });
});

describe('InMemoryWorkNotifier', () => {
  it('wakes the longest-waiting call of one task queue per notify', async () => {
    const work = new InMemoryWorkNotifier();
    const a = work.wait('p/a', abortable().signal);
    const a2 = work.wait('p/a', abortable().signal);
    const b = work.wait('p/b', abortable().signal);
    expect(work.waiting('p/a')).toBe(2);
    work.notify('p/a');
    expect(await settled(a)).toBe(true);
    expect(await settled(a2)).toBe(false);
    expect(await settled(b)).toBe(false);
    work.notify('p/a');
    expect(await settled(a2)).toBe(true);
    work.notify('p/a'); // nobody waits: nothing is remembered
    const later = work.wait('p/a', abortable().signal);
    expect(await settled(later)).toBe(false);
    work.notify('p/a');
    expect(await settled(later)).toBe(true);
    expect(work.waiting('p/a')).toBe(0);
  });

  it('stops waiting when the signal aborts', async () => {
    const work = new InMemoryWorkNotifier();
    const { signal, abort } = abortable();
    const waiting = work.wait('p/a', signal);
    abort();
    expect(await settled(waiting)).toBe(true);
    expect(work.waiting('p/a')).toBe(0);
    expect(await settled(work.wait('p/a', signal))).toBe(true);
  });
});

describe('realClock', () => {
  it('tells the wall time and sleeps in real time, or until aborted', async () => {
    expect(Math.abs(realClock.now() - Date.now())).toBeLessThan(50);
    const started = Date.now();
    await realClock.sleep(30);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    const { signal, abort } = abortable();
    const long = realClock.sleep(60_000, signal);
    abort();
    await long;
  });
});

describe('createInMemoryPorts', () => {
  it('gives every port, on a fake clock unless given another', async () => {
    const ports = createInMemoryPorts();
    expect(ports.clock).toBeInstanceOf(FakeClock);
    expect(ports.blobs.s3).not.toBe(ports.blobs.azure);
    await ports.clock.advance(1000);
    const clock = new FakeClock(5);
    expect(createInMemoryPorts({ clock }).clock).toBe(clock);
    expect(createInMemoryPorts({ clock: realClock }).clock).toBe(realClock);
    await ports.blobs.s3.createUpload({ key: 'k', visibility: 'private', contentType: 'x/y', expires: 1 });
    expect(await ports.blobs.s3.downloadUrl({ key: 'k', visibility: 'private' })).toBe(
      `memory://private/k?expires=${ports.clock.now() + 30 * 60 * 1000}`,
    );
  });
});
