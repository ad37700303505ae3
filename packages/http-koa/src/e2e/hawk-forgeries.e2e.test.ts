import { API_PREFIX } from '../http/app';
import { useE2e } from '../testing/e2e';
import { slugid } from '../testing/fixtures';
import { bewitUrl, hawkHeader, payloadHash, tamperCertificate, temporaryCredentials, type Credentials } from '../testing/hawk';
import { signedFetch, type SignedFetchOptions } from '../testing/signed-fetch';
import { ROOT } from '../testing/test-server';

// Requests signed by hand that taskcluster-client would never send: each is refused with 401
// AuthenticationFailed and `www-authenticate: hawk`. Each forgery has a control that is
// accepted, so the 401 is the forgery's doing.

const e2e = useE2e();
let taskId: string;
const url = () => `${e2e.server.rootUrl}${API_PREFIX}/task/${taskId}`;
const MINUTE = 60_000;
const now = () => Date.now();

beforeAll(async () => {
  taskId = (await e2e.f.pending()).taskId;
});

const get = (options: SignedFetchOptions, target = url()) => signedFetch(target, options);

const expectRefused = async (response: Response, reason?: RegExp) => {
  const body = (await response.json()) as { code: string; message: string };
  expect({ status: response.status, code: body.code, wwwAuthenticate: response.headers.get('www-authenticate') }).toEqual({
    status: 401,
    code: 'AuthenticationFailed',
    wwwAuthenticate: 'hawk',
  });
  if (reason) expect(body.message).toMatch(reason);
};

const expectAccepted = async (response: Response) => expect(response.status).toBe(200);

/** Temporary credentials of a fresh issuer that may do what they need here. */
const issuerAnd = (scopes: string[] = ['queue:get-task:*', 'auth:create-client:e2e/forged/*']) => e2e.newClient(scopes);

describe('Hawk header', () => {
  it('accepts the control: a request signed by hand with the right key', async () => {
    await expectAccepted(await get({ credentials: ROOT }));
  });

  it('refuses a wrong MAC', async () => {
    await expectRefused(await get({ credentials: ROOT, hawk: { key: 'not-the-access-token' } }));
  });

  it('refuses a MAC made for another resource', async () => {
    const other = `${API_PREFIX}/task/${slugid()}`;
    await expectRefused(await get({ credentials: ROOT, hawk: { resource: other } }));
  });

  it('refuses a MAC made for another method', async () => {
    await expectRefused(await get({ credentials: ROOT, hawk: { method: 'POST' } }));
  });

  it.each([
    ['16 minutes old', -16],
    ['16 minutes ahead', 16],
  ])('refuses a timestamp %s, and accepts one 14 minutes off', async (_, minutes) => {
    const ts = Math.floor((now() + minutes * MINUTE) / 1000);
    await expectRefused(await get({ credentials: ROOT, hawk: { ts } }), /stale|timestamp/i);
    const within = Math.floor((now() + Math.sign(minutes) * 14 * MINUTE) / 1000);
    await expectAccepted(await get({ credentials: ROOT, hawk: { ts: within } }));
  });

  it('checks a payload hash when one is sent', async () => {
    const { taskId: pending } = await e2e.f.pending();
    const target = `${e2e.server.rootUrl}${API_PREFIX}/task/${pending}/priority`;
    const body = JSON.stringify({ newPriority: 'high' });
    const signed = (hash: string) => signedFetch(target, { method: 'POST', credentials: ROOT, body, hawk: { method: 'POST', hash } });
    await expectAccepted(await signed(payloadHash('application/json', body)));
    await expectRefused(await signed(payloadHash('application/json', body.replace('high', 'low'))), /payload/i);
  });

  it('refuses a timestamp that is not a number', async () => {
    const header = hawkHeader({ method: 'GET', url: url(), credentials: ROOT }).replace(/ts="\d+"/, 'ts="soon"');
    await expectRefused(await fetch(url(), { headers: { authorization: header } }));
  });

  it('refuses an unknown clientId', async () => {
    await expectRefused(await get({ credentials: { clientId: 'nobody/at-all', accessToken: 'guess' } }), /unknown client/);
  });

  it('refuses the credentials of an expired client', async () => {
    const credentials = { clientId: 'e2e/expired-client', accessToken: 'expired-secret' };
    e2e.server.addClient({ ...credentials, scopes: ['queue:get-task:*'], expires: now() - MINUTE });
    await expectRefused(await get({ credentials }), /expired/);
  });

  it('refuses a malformed header', async () => {
    await expectRefused(await fetch(url(), { headers: { authorization: 'Hawk id="x", nonsense' } }));
  });
});

describe('temporary credentials', () => {
  it('accepts the control: untampered named and unnamed credentials', async () => {
    const issuer = issuerAnd();
    await expectAccepted(await get({ credentials: temporaryCredentials({ issuer, scopes: ['queue:get-task:*'] }) }));
    await expectAccepted(await get({ credentials: temporaryCredentials({ issuer, clientId: 'e2e/forged/ok', scopes: ['queue:get-task:*'] }) }));
  });

  it('refuses a certificate whose scopes were changed', async () => {
    const issuer = issuerAnd(['queue:*']);
    const honest = temporaryCredentials({ issuer, scopes: [`queue:get-task:${slugid()}`] });
    const forged = tamperCertificate(honest, (certificate) => {
      certificate['scopes'] = ['queue:get-task:*'];
    });
    await expectRefused(await get({ credentials: forged }), /signature/);
  });

  it('refuses a certificate whose expiry was moved', async () => {
    const issuer = issuerAnd();
    const honest = temporaryCredentials({ issuer, scopes: ['queue:get-task:*'] });
    const forged = tamperCertificate(honest, (certificate) => {
      certificate['expiry'] = (certificate['expiry'] as number) + 60_000;
    });
    await expectRefused(await get({ credentials: forged }), /signature/);
  });

  it('refuses an expired certificate', async () => {
    const credentials = temporaryCredentials({ issuer: issuerAnd(), scopes: ['queue:get-task:*'], start: now() - 120 * MINUTE, expiry: now() - 60 * MINUTE });
    await expectRefused(await get({ credentials }), /expired/);
  });

  it('refuses a certificate valid for more than 31 days', async () => {
    const credentials = temporaryCredentials({ issuer: issuerAnd(), scopes: ['queue:get-task:*'], expiry: now() + 32 * 24 * 60 * MINUTE });
    await expectRefused(await get({ credentials }), /31 days/);
  });

  it('refuses a named certificate whose issuer may not create that client', async () => {
    const issuer = issuerAnd(['queue:get-task:*', 'auth:create-client:e2e/other/*']);
    const credentials = temporaryCredentials({ issuer, clientId: 'e2e/forged/named', scopes: ['queue:get-task:*'] });
    await expectRefused(await get({ credentials }), /may not create client/);
  });

  it('refuses a certificate naming an unknown issuer', async () => {
    const stranger = { clientId: 'e2e/unknown-issuer', accessToken: 'never-registered' };
    const credentials = temporaryCredentials({ issuer: stranger, clientId: 'e2e/forged/stranger', scopes: ['queue:get-task:*'] });
    await expectRefused(await get({ credentials }), /unknown client/);
  });

  it('refuses a certificate with scopes its issuer does not hold', async () => {
    const issuer = issuerAnd(['queue:status:*']);
    await expectRefused(await get({ credentials: temporaryCredentials({ issuer, scopes: ['queue:get-task:*'] }) }), /does not hold/);
  });

  it('refuses authorizedScopes beyond the certificate', async () => {
    const credentials = temporaryCredentials({ issuer: issuerAnd(), scopes: [`queue:get-task:${taskId}`] });
    await expectAccepted(await get({ credentials, authorizedScopes: [`queue:get-task:${taskId}`] }));
    await expectRefused(await get({ credentials, authorizedScopes: ['queue:get-task:*'] }), /authorizedScopes/);
  });

  it('refuses authorizedScopes beyond a permanent client', async () => {
    const credentials: Credentials = e2e.newClient([`queue:get-task:${taskId}`]);
    await expectRefused(await get({ credentials, authorizedScopes: ['queue:status:*'] }), /authorizedScopes/);
  });
});

describe('bewit', () => {
  it('accepts the control: the URL buildSignedUrl makes', async () => {
    await expectAccepted(await fetch(await e2e.root.buildSignedUrl('task', taskId)));
  });

  it('refuses a tampered bewit', async () => {
    const signed: string = await e2e.root.buildSignedUrl('task', taskId);
    const bewit = new URL(signed).searchParams.get('bewit')!;
    const [id, exp, mac, ext] = Buffer.from(bewit, 'base64url').toString('utf8').split('\\') as [string, string, string, string];
    const forgedMac = `${mac.startsWith('A') ? 'B' : 'A'}${mac.slice(1)}`;
    const forged = Buffer.from([id, exp, forgedMac, ext].join('\\')).toString('base64url');
    await expectRefused(await fetch(signed.replace(bewit, forged)));
    const later = Buffer.from([id, String(Number(exp) + 3600), mac, ext].join('\\')).toString('base64url');
    await expectRefused(await fetch(signed.replace(bewit, later)));
  });

  it('refuses a bewit used for another resource', async () => {
    const signed: string = await e2e.root.buildSignedUrl('task', taskId);
    await expectRefused(await fetch(signed.replace(`/task/${taskId}`, `/task/${taskId}/status`)));
  });

  it('refuses an expired bewit', async () => {
    const expiredUrl = bewitUrl({ url: url(), credentials: ROOT, exp: Math.floor(now() / 1000) - 60 });
    await expectRefused(await fetch(expiredUrl), /expired/i);
  });

  it('refuses a bewit on anything but GET', async () => {
    const signed: string = await e2e.root.buildSignedUrl('task', taskId);
    await expectRefused(await fetch(signed.replace(`/task/${taskId}`, `/task/${taskId}/cancel`), { method: 'POST' }));
  });

  it('refuses garbage in place of a bewit', async () => {
    await expectRefused(await fetch(`${url()}?bewit=not-a-bewit`));
  });
});
