import { OIDC_CALLBACK_PATH, safeReturnPath } from '@quire/domain/identity';
import { freePort, startTestApp, TestApp } from '@quire/testing';
import { Browser } from './browser';
import { startTestProvider, TestProvider } from './test-provider';

describe('OpenID Connect sign-in, not configured', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ label: 'oidcoff' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers 404 on its routes', async () => {
    const browser = new Browser(t.url);
    expect((await browser.get('/auth/oidc/start?returnTo=/p/book')).status).toBe(404);
    expect((await browser.get(`${OIDC_CALLBACK_PATH}?code=x&state=y`)).status).toBe(404);
  });

  it('reports that sign-in with the organisation is off', async () => {
    const data = await t.client.data<{ authConfig: { oidcEnabled: boolean; oidcLabel: string } }>('{ authConfig { oidcEnabled oidcLabel } }');
    expect(data.authConfig).toEqual({ oidcEnabled: false, oidcLabel: '' });
  });
});

describe('OpenID Connect sign-in while the provider is down', () => {
  let t: TestApp;
  let provider: TestProvider | undefined;
  let providerPort: number;
  let appPort: number;

  beforeAll(async () => {
    [providerPort, appPort] = [await freePort(), await freePort()];
    t = await startTestApp({
      label: 'oidcdown',
      port: appPort,
      env: { OIDC_ISSUER: `http://127.0.0.1:${providerPort}`, OIDC_CLIENT_ID: 'quire', OIDC_CLIENT_SECRET: 'not used while down' },
    });
  });
  afterAll(async () => {
    await t?.close();
    await provider?.stop();
  });

  it('sends the person back with a code, and tries discovery again once the provider is up', async () => {
    const browser = new Browser(t.url);
    const down = new URL((await browser.get('/auth/oidc/start')).headers.get('location') as string, t.url);
    expect(down.pathname).toBe('/sign-in');
    expect(down.searchParams.get('error')).toBe('OIDC_PROVIDER_UNAVAILABLE');

    provider = await startTestProvider({ port: providerPort, redirectUri: `${t.url}${OIDC_CALLBACK_PATH}`, accounts: {} });
    const up = new URL((await browser.get('/auth/oidc/start')).headers.get('location') as string);
    expect(up.origin).toBe(provider.issuer);
    expect(up.searchParams.get('code_challenge_method')).toBe('S256');
    expect(up.searchParams.get('redirect_uri')).toBe(`${t.url}${OIDC_CALLBACK_PATH}`);
  });
});

describe('safeReturnPath', () => {
  const site = 'https://quire.example';

  it.each([
    ['/p/book', '/p/book'],
    ['/p/book?tab=votes#top', '/p/book?tab=votes#top'],
    ['/p/../admin', '/admin'],
  ])('keeps a path on this site: %s', (given, kept) => {
    expect(safeReturnPath(given, site)).toBe(kept);
  });

  it.each([
    undefined,
    ['/p/book'],
    '',
    'p/book',
    'https://evil.example/',
    'https://quire.example.evil.example/',
    '//evil.example',
    '///evil.example',
    '/\\evil.example',
    '/.//evil.example',
    '/%2e//evil.example',
    '/\t/evil.example',
    'javascript:alert(1)',
  ])('refuses anything else: %p', (given) => {
    expect(safeReturnPath(given, site)).toBe('/');
  });

  it('refuses an overlong path', () => {
    expect(safeReturnPath(`/${'x'.repeat(3000)}`, site)).toBe('/');
  });
});
