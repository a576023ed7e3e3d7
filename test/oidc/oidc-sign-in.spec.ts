import { OIDC_CALLBACK_PATH } from '@quire/domain/identity';
import { freePort, startTestApp, TestApp } from '@quire/testing';
import { atProviderInteraction, Browser, withParam } from './browser';
import { startTestProvider, TestProvider } from './test-provider';

const ACCOUNTS = {
  ada: { email: 'Ada@Network.example', email_verified: true, name: 'Ada Lovelace' },
  existing: { email: 'existing@network.example', email_verified: true, name: 'Name At The Provider' },
  unverified: { email: 'unverified@network.example', email_verified: false, name: 'Not Verified' },
  nomail: { name: 'No Mail' },
  first: { email: 'shared@network.example', email_verified: true, name: 'First' },
  second: { email: 'shared@network.example', email_verified: true, name: 'Second' },
};
type AccountId = keyof typeof ACCOUNTS;

type Me = { me: { id: string; email: string; displayName: string; locale: string } | null };
const ME = '{ me { id email displayName locale } }';

describe('sign-in through an OpenID Connect provider', () => {
  let provider: TestProvider;
  let t: TestApp;

  beforeAll(async () => {
    const port = await freePort();
    provider = await startTestProvider({ redirectUri: `http://127.0.0.1:${port}${OIDC_CALLBACK_PATH}`, accounts: ACCOUNTS });
    t = await startTestApp({ label: 'oidc', port, env: { ...provider.env, OIDC_LABEL: 'Pleio' } });
  });
  afterAll(async () => {
    await t?.close();
    await provider?.stop();
  });

  /** Starts a sign-in in a fresh browser and logs in at the provider as `account`. */
  async function signIn(account: AccountId, returnTo = '/p/book'): Promise<{ browser: Browser; landed: URL }> {
    const browser = new Browser(t.url);
    const landed = await browser.follow(`/auth/oidc/start?returnTo=${encodeURIComponent(returnTo)}`, { rewrite: atProviderInteraction('account', account) });
    return { browser, landed };
  }

  const signInError = (landed: URL): string | null => (landed.pathname === '/sign-in' ? landed.searchParams.get('error') : null);

  async function userRows(email: string): Promise<{ id: string; oidc_issuer: string | null; oidc_subject: string | null; password_hash: string | null }[]> {
    return t.dataSource.query('SELECT id, oidc_issuer, oidc_subject, password_hash FROM users WHERE lower(email) = $1', [email]);
  }

  async function auditActions(userId: string): Promise<string[]> {
    const rows: { action: string }[] = await t.dataSource.query(`SELECT action FROM audit_events WHERE entity_type = 'user' AND entity_id = $1 ORDER BY seq`, [userId]);
    return rows.map((r) => r.action);
  }

  it('reports that sign-in with the organisation is on, under its label', async () => {
    const data = await t.client.data<{ authConfig: { oidcEnabled: boolean; oidcLabel: string } }>('{ authConfig { oidcEnabled oidcLabel } }');
    expect(data.authConfig).toEqual({ oidcEnabled: true, oidcLabel: 'Pleio' });
  });

  it('creates the account on a first sign-in, signs the person in and returns to where they were', async () => {
    const { browser, landed } = await signIn('ada', '/p/book?tab=nominations#top');
    expect(landed.href).toBe(`${t.url}/p/book?tab=nominations#top`);

    const { me } = await browser.graphql().data<Me>(ME);
    expect(me).toMatchObject({ email: 'ada@network.example', displayName: 'Ada Lovelace', locale: 'nl' });
    const [row] = await userRows('ada@network.example');
    expect(row).toMatchObject({ oidc_issuer: provider.issuer, oidc_subject: 'ada', password_hash: null });
    expect(await auditActions(row.id)).toEqual(['user.created', 'user.signed_in']);
    const sessions: { kind: string }[] = await t.dataSource.query('SELECT kind FROM sessions WHERE user_id = $1', [row.id]);
    expect(sessions).toEqual([{ kind: 'WEB' }]);
    expect(browser.cookie('quire_oidc_login')).toBeUndefined();
  });

  it('finds the same account on the next sign-in', async () => {
    const first = await signIn('ada');
    const second = await signIn('ada');
    const a = await first.browser.graphql().data<Me>(ME);
    const b = await second.browser.graphql().data<Me>(ME);
    expect(b.me?.id).toBe(a.me?.id);
    expect(await userRows('ada@network.example')).toHaveLength(1);
  });

  it('links an existing account with the same verified e-mail address', async () => {
    const { user } = await t.person([], undefined, { email: 'existing@network.example' });
    const { browser, landed } = await signIn('existing');
    expect(signInError(landed)).toBeNull();

    const { me } = await browser.graphql().data<Me>(ME);
    expect(me).toMatchObject({ id: user.id, displayName: user.displayName });
    const [row] = await userRows('existing@network.example');
    expect(row).toMatchObject({ oidc_issuer: provider.issuer, oidc_subject: 'existing' });
    expect(row.password_hash).not.toBeNull();
    expect(await auditActions(user.id)).toEqual(['user.created', 'user.oidc_linked', 'user.signed_in']);
  });

  it('refuses an e-mail address the provider has not verified, and creates nothing', async () => {
    const { browser, landed } = await signIn('unverified');
    expect(signInError(landed)).toBe('OIDC_EMAIL_UNVERIFIED');
    expect(browser.cookie('quire_session')).toBeUndefined();
    expect(await userRows('unverified@network.example')).toHaveLength(0);
  });

  it('refuses an identity without an e-mail address', async () => {
    const { landed } = await signIn('nomail');
    expect(signInError(landed)).toBe('OIDC_EMAIL_MISSING');
  });

  it('refuses to claim an account already linked to another identity at the provider', async () => {
    expect(signInError((await signIn('first')).landed)).toBeNull();
    const { browser, landed } = await signIn('second');
    expect(signInError(landed)).toBe('OIDC_ACCOUNT_CONFLICT');
    expect(browser.cookie('quire_session')).toBeUndefined();
    expect((await userRows('shared@network.example'))[0].oidc_subject).toBe('first');
  });

  it('reports a refusal at the provider', async () => {
    const browser = new Browser(t.url);
    const landed = await browser.follow('/auth/oidc/start', { rewrite: atProviderInteraction('error', 'access_denied') });
    expect(signInError(landed)).toBe('OIDC_ACCESS_DENIED');
    expect(browser.cookie('quire_session')).toBeUndefined();
  });

  describe('refuses an answer that belongs to no sign-in started in this browser', () => {
    /** Runs a sign-in as `ada` up to the provider's redirect back to the api, and answers that callback address. */
    function callbackFor(browser: Browser): Promise<URL> {
      return browser.follow('/auth/oidc/start', { rewrite: atProviderInteraction('account', 'ada'), stopAt: (next) => next.pathname === OIDC_CALLBACK_PATH });
    }

    it('with a tampered state', async () => {
      const browser = new Browser(t.url);
      const callback = await callbackFor(browser);
      const landed = await browser.follow(withParam(callback, 'state', 'forged'));
      expect(signInError(landed)).toBe('OIDC_STATE_MISMATCH');
      expect(browser.cookie('quire_session')).toBeUndefined();
    });

    it('with no state', async () => {
      const browser = new Browser(t.url);
      const callback = await callbackFor(browser);
      callback.searchParams.delete('state');
      expect(signInError(await browser.follow(callback))).toBe('OIDC_STATE_MISMATCH');
    });

    it('in another browser (login CSRF), and a second time (replay)', async () => {
      const victim = new Browser(t.url);
      const callback = await callbackFor(new Browser(t.url));
      expect(signInError(await victim.follow(callback))).toBe('OIDC_STATE_MISMATCH');
      expect(victim.cookie('quire_session')).toBeUndefined();

      // The login is used up by its callback, even when the browser kept the login cookie.
      const browser = new Browser(t.url);
      const own = await callbackFor(browser);
      const loginId = browser.cookie('quire_oidc_login') as string;
      expect(signInError(await browser.follow(own))).toBeNull();
      const replay = new Browser(t.url);
      replay.setCookie('quire_oidc_login', loginId, '/auth/oidc');
      expect(signInError(await replay.follow(own))).toBe('OIDC_STATE_MISMATCH');
    });
  });

  it.each(['https://evil.example/p/book', '//evil.example/p/book', '/\\evil.example', '/.//evil.example', 'javascript:alert(1)'])(
    'never sends the browser to another site after signing in (returnTo=%s)',
    async (returnTo) => {
      const { browser, landed } = await signIn('ada', returnTo);
      expect(landed.href).toBe(`${t.url}/`);
      expect(browser.cookie('quire_session')).toBeDefined();
    },
  );
});
