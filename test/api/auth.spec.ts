import { ProjectRole } from '@quire/core';
import { dbSnapshot, GraphQLClient, GraphQLResponse, startTestApp, TestApp, waitFor } from '@quire/testing';
import { anonymous, expectRefused, freshEmail, lastMailTo, OPS, sha256, tokenOf } from './helpers';

const PASSWORD = 'correct horse battery';

describe('sessions: bearer tokens and the session cookie', () => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp({ label: 'auth' }); });
  afterAll(async () => { await t?.close(); });

  async function signIn(client: GraphQLClient, email: string, password = PASSWORD) {
    return client.request<{ signIn: { token: string; user: { id: string; email: string } } }>(OPS.signIn, { input: { email, password } });
  }

  it('signs in with e-mail and password and answers with a bearer token for API clients', async () => {
    const email = freshEmail();
    const { user } = await t.person([], undefined, { email });
    const result = await signIn(anonymous(t), email.toUpperCase());
    expect(result.errors).toBeUndefined();
    expect(result.data?.signIn.user).toEqual({ id: user.id, email });
    const me = await new GraphQLClient(t.url, result.data?.signIn.token).data<{ me: { id: string } }>(OPS.me);
    expect(me.me.id).toBe(user.id);
  });

  it('sets the web session in an httpOnly, SameSite cookie for the whole site, not marked Secure over plain http', async () => {
    const email = freshEmail();
    await t.person([], undefined, { email });
    const browser = anonymous(t);
    const result = await signIn(browser, email);
    const cookie = result.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^quire_session=[\w-]{40,};/);
    expect(cookie).toMatch(/; HttpOnly/i);
    expect(cookie).toMatch(/; SameSite=Lax/i);
    expect(cookie).toMatch(/; Path=\//);
    expect(cookie).toMatch(/; Expires=/);
    expect(cookie).not.toMatch(/; Secure/i);
    // The cookie alone, with no bearer token, is the browser's session.
    const me = await browser.data<{ me: { email: string } }>(OPS.me);
    expect(me.me.email).toBe(email);
  });

  it('refuses a wrong password and an unknown address alike, so answers do not reveal who has an account', async () => {
    const email = freshEmail();
    await t.person([], undefined, { email });
    const wrong = await expectRefused(t, anonymous(t), OPS.signIn, { input: { email, password: 'not the password' } }, 'INVALID_CREDENTIALS');
    const unknown = await expectRefused(t, anonymous(t), OPS.signIn, { input: { email: freshEmail(), password: PASSWORD } }, 'INVALID_CREDENTIALS');
    expect(unknown.errors?.[0].message).toBe(wrong.errors?.[0].message);
  });

  it('signs out: the session is deleted, its token stops working and the cookie is cleared', async () => {
    const email = freshEmail();
    const { user } = await t.person([], undefined, { email });
    const browser = anonymous(t);
    const token = (await signIn(browser, email)).data?.signIn.token as string;
    const result = await browser.request(OPS.signOut);
    expect(result.data).toEqual({ signOut: true });
    expect(result.headers.get('set-cookie')).toMatch(/^quire_session=;.*Expires=Thu, 01 Jan 1970/);
    expect(await t.dataSource.query('SELECT 1 FROM sessions WHERE token_hash = $1', [sha256(token)])).toEqual([]);
    expect(await new GraphQLClient(t.url, token).data(OPS.me)).toEqual({ me: null });
    expect((await t.dataSource.query('SELECT count(*)::int AS n FROM sessions WHERE user_id = $1', [user.id]))[0].n).toBe(1); // the fixture's own
  });

  it('treats an expired session as no session', async () => {
    const person = await t.person([]);
    await t.dataSource.query(`UPDATE sessions SET expires_at = now() - interval '1 minute' WHERE user_id = $1`, [person.user.id]);
    expect(await person.client.data(OPS.me)).toEqual({ me: null });
    await expectRefused(t, person.client, OPS.updateMyProfile, { input: { displayName: 'Still me' } }, 'UNAUTHENTICATED');
  });

  it('treats an unknown or oversized token as no session', async () => {
    expect(await new GraphQLClient(t.url, 'made-up-token').data(OPS.me)).toEqual({ me: null });
    expect(await new GraphQLClient(t.url, 'x'.repeat(5000)).data(OPS.me)).toEqual({ me: null });
  });

  it('refuses a cross-site form post carrying the session cookie (CSRF), and changes nothing', async () => {
    const email = freshEmail();
    await t.person([], undefined, { email });
    const browser = anonymous(t);
    await signIn(browser, email);
    const before = await dbSnapshot(t.dataSource);
    const res = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', cookie: browser.cookie as string },
      body: JSON.stringify({ query: OPS.updateMyProfile, variables: { input: { displayName: 'Forged' } } }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as GraphQLResponse<unknown>).errors?.[0].extensions?.code).toBe('BAD_REQUEST');
    expect(await dbSnapshot(t.dataSource)).toEqual(before);
  });
});

describe('session cookie behind https', () => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp({ label: 'authhttps', env: { PUBLIC_URL: 'https://quire.example.org' } }); });
  afterAll(async () => { await t?.close(); });

  it('marks the cookie Secure when Quire is served over https', async () => {
    const email = freshEmail();
    await t.person([], undefined, { email });
    const result = await anonymous(t).request(OPS.signIn, { input: { email, password: PASSWORD } });
    expect(result.headers.get('set-cookie')).toMatch(/; Secure/i);
  });
});

describe('self sign-up', () => {
  let t: TestApp;
  let open: { id: string; slug: string };
  let closed: { slug: string };

  beforeAll(async () => {
    t = await startTestApp({ label: 'signup' });
    const root = (await t.person([], undefined, { installationAdmin: true })).client;
    const create = (slug: string, selfSignUp: boolean) =>
      root.data<{ createProject: { id: string; slug: string } }>(OPS.createProject, { input: { slug, title: slug, selfSignUp, allowedEmailDomains: ['minbzk.nl', '@Rijksoverheid.NL'] } });
    open = (await create('open-book', true)).createProject;
    closed = (await create('closed-book', false)).createProject;
  });
  afterAll(async () => { await t?.close(); });

  const signUp = (projectSlug: string, email: string, password = PASSWORD) => ({ input: { projectSlug, email, displayName: 'Nieuwe Ambtenaar', password } });

  it('lets a person with an allow-listed address join as a MEMBER, signed in at once', async () => {
    const email = freshEmail('rijksoverheid.nl');
    const result = await anonymous(t).request<{ signUp: { token: string; user: { id: string } } }>(OPS.signUp, signUp(open.slug, email.toUpperCase()));
    expect(result.errors).toBeUndefined();
    const client = new GraphQLClient(t.url, result.data?.signUp.token);
    expect(await client.data(OPS.project, { slug: open.slug })).toMatchObject({ project: { myRoles: [ProjectRole.MEMBER] } });
    const events: { action: string }[] = await t.dataSource.query('SELECT action FROM audit_events WHERE project_id = $1 AND entity_id = $2 ORDER BY seq', [open.id, result.data?.signUp.user.id]);
    expect(events.map((e) => e.action)).toEqual(['member.roles_granted']);
  });

  it.each([
    ['a project that does not allow sign-up', () => signUp(closed.slug, freshEmail('minbzk.nl'))],
    ['an address outside the allow-list', () => signUp(open.slug, freshEmail('gmail.com'))],
    ['a subdomain of an allowed domain', () => signUp(open.slug, freshEmail('evil.minbzk.nl'))],
    ['an allowed domain as a prefix of another', () => signUp(open.slug, freshEmail('minbzk.nl.evil.com'))],
    ['a project that does not exist', () => signUp('no-such-book', freshEmail('minbzk.nl'))],
  ])('refuses %s with SIGN_UP_NOT_ALLOWED and changes nothing', async (_case, variables) => {
    await expectRefused(t, anonymous(t), OPS.signUp, variables(), 'SIGN_UP_NOT_ALLOWED');
  });

  it('refuses an address that has an account with CONFLICT, and changes nothing', async () => {
    const email = freshEmail('minbzk.nl');
    await t.person([], undefined, { email });
    await expectRefused(t, anonymous(t), OPS.signUp, signUp(open.slug, email), 'CONFLICT');
  });

  it('refuses a password that is too short with BAD_USER_INPUT, and changes nothing', async () => {
    await expectRefused(t, anonymous(t), OPS.signUp, signUp(open.slug, freshEmail('minbzk.nl'), 'too-short'), 'BAD_USER_INPUT');
  });

  it('makes one account when the same address signs up several times at once; the others get CONFLICT', async () => {
    const email = freshEmail('minbzk.nl');
    const results = await Promise.all(Array.from({ length: 8 }, () => anonymous(t).request(OPS.signUp, signUp(open.slug, email))));
    const codes = results.map((r) => r.errors?.[0]?.extensions?.code ?? 'OK').sort();
    expect(codes).toEqual([...Array(7).fill('CONFLICT'), 'OK']);
    expect((await t.dataSource.query('SELECT count(*)::int AS n FROM users WHERE email = $1', [email]))[0].n).toBe(1);
  });
});

describe('password reset', () => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp({ label: 'reset' }); });
  afterAll(async () => { await t?.close(); });

  async function requestLink(email: string): Promise<string> {
    expect(await anonymous(t).data(OPS.requestPasswordReset, { email })).toEqual({ requestPasswordReset: true });
    return tokenOf((await lastMailTo(t, email)).resetUrl);
  }

  it('answers true for an address without an account, and stores and sends nothing', async () => {
    const before = await dbSnapshot(t.dataSource);
    expect(await anonymous(t).data(OPS.requestPasswordReset, { email: freshEmail() })).toEqual({ requestPasswordReset: true });
    expect(await dbSnapshot(t.dataSource)).toEqual(before);
  });

  it('sets a new password with the e-mailed link, signs out every other session and keeps only the hash of the link', async () => {
    const email = freshEmail();
    const person = await t.person([], undefined, { email });
    const token = await requestLink(email);
    expect(await t.dataSource.query('SELECT token_hash FROM password_resets WHERE user_id = $1', [person.user.id])).toEqual([{ token_hash: sha256(token) }]);

    const result = await anonymous(t).request<{ resetPassword: { token: string } }>(OPS.resetPassword, { token, password: 'a brand new passphrase' });
    expect(result.errors).toBeUndefined();
    expect(await person.client.data(OPS.me)).toEqual({ me: null });
    expect(await new GraphQLClient(t.url, result.data?.resetPassword.token).data(OPS.me)).toMatchObject({ me: { id: person.user.id } });
    expect((await anonymous(t).request(OPS.signIn, { input: { email, password: 'a brand new passphrase' } })).errors).toBeUndefined();
    expect(await anonymous(t).errorCode(OPS.signIn, { input: { email, password: PASSWORD } })).toBe('INVALID_CREDENTIALS');
  });

  it('works once: the same link again is TOKEN_INVALID and changes nothing', async () => {
    const email = freshEmail();
    await t.person([], undefined, { email });
    const token = await requestLink(email);
    await anonymous(t).data(OPS.resetPassword, { token, password: 'a brand new passphrase' });
    await expectRefused(t, anonymous(t), OPS.resetPassword, { token, password: 'yet another passphrase' }, 'TOKEN_INVALID');
  });

  it('refuses an expired link with TOKEN_INVALID and changes nothing', async () => {
    const email = freshEmail();
    await t.person([], undefined, { email });
    const token = await requestLink(email);
    await t.dataSource.query(`UPDATE password_resets SET expires_at = now() - interval '1 second' WHERE token_hash = $1`, [sha256(token)]);
    await expectRefused(t, anonymous(t), OPS.resetPassword, { token, password: 'a brand new passphrase' }, 'TOKEN_INVALID');
  });

  it('spends older links of the same person when one is used', async () => {
    const email = freshEmail();
    await t.person([], undefined, { email });
    const older = await requestLink(email);
    const newer = await requestLink(email);
    await anonymous(t).data(OPS.resetPassword, { token: newer, password: 'a brand new passphrase' });
    await expectRefused(t, anonymous(t), OPS.resetPassword, { token: older, password: 'an attacker passphrase' }, 'TOKEN_INVALID');
  });

  it('refuses a new password that is too short, changes nothing and leaves the link usable', async () => {
    const email = freshEmail();
    await t.person([], undefined, { email });
    const token = await requestLink(email);
    await expectRefused(t, anonymous(t), OPS.resetPassword, { token, password: 'short' }, 'BAD_USER_INPUT');
    expect((await anonymous(t).request(OPS.resetPassword, { token, password: 'long enough now' })).errors).toBeUndefined();
  });

  it('lets one of several simultaneous uses of a link win', async () => {
    const email = freshEmail();
    await t.person([], undefined, { email });
    const token = await requestLink(email);
    const results = await Promise.all(Array.from({ length: 4 }, (_, i) => anonymous(t).request(OPS.resetPassword, { token, password: `passphrase number ${i}` })));
    expect(results.map((r) => r.errors?.[0]?.extensions?.code ?? 'OK').sort()).toEqual(['OK', 'TOKEN_INVALID', 'TOKEN_INVALID', 'TOKEN_INVALID']);
  });
});

describe('sessions kept in memory by api processes', () => {
  let t: TestApp;
  let other: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ label: 'sessioncache' });
    // A second api process on the same database and Redis, as behind a load balancer.
    other = await startTestApp({ label: 'sessioncache', resume: { database: t.database, prefix: t.config.redisPrefix } });
  });
  afterAll(async () => {
    await other?.stop();
    await t?.close();
  });

  /** Who the token is on each process, after a moment for an announcement to arrive (well under the cache's minute). */
  async function meOnBoth(token: string, expected: string | null): Promise<void> {
    const meOn = async (app: TestApp) => ((await new GraphQLClient(app.url, token).data<{ me: { id: string } | null }>(OPS.me)).me?.id ?? null);
    await waitFor(async () => (await meOn(t)) === expected && (await meOn(other)) === expected, `the session to be ${expected ?? 'gone'} on both processes`, { timeoutMs: 5000 });
  }

  it('ends a session on every process when it signs out on one', async () => {
    const email = freshEmail();
    const { user } = await t.person([], undefined, { email });
    const token = (await anonymous(t).request<{ signIn: { token: string } }>(OPS.signIn, { input: { email, password: PASSWORD } })).data?.signIn.token as string;
    await meOnBoth(token, user.id);
    expect(await new GraphQLClient(t.url, token).data(OPS.signOut)).toEqual({ signOut: true });
    await meOnBoth(token, null);
  });

  it('ends every session of a person on every process when their password is reset', async () => {
    const email = freshEmail();
    const person = await t.person([], undefined, { email });
    await meOnBoth(person.token, person.user.id);
    expect(await anonymous(other).data(OPS.requestPasswordReset, { email })).toEqual({ requestPasswordReset: true });
    const resetToken = tokenOf((await lastMailTo(other, email)).resetUrl);
    await anonymous(other).data(OPS.resetPassword, { token: resetToken, password: 'a brand new passphrase' });
    await meOnBoth(person.token, null);
  });
});

describe('rate limits on sign-in, sign-up and reset requests', () => {
  const LIMIT = 3;
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp({ label: 'ratelimit', env: { SIGN_IN_RATE_LIMIT: String(LIMIT) } }); });
  afterAll(async () => { await t?.close(); });

  /** A request from client address `ip`: the api trusts X-Forwarded-For from its loopback proxy. */
  async function from(ip: string, query: string, variables: Record<string, unknown>): Promise<GraphQLResponse<unknown>> {
    const res = await fetch(`${t.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': ip }, body: JSON.stringify({ query, variables }) });
    return (await res.json()) as GraphQLResponse<unknown>;
  }
  const codeOf = (r: GraphQLResponse<unknown>) => r.errors?.[0]?.extensions?.code ?? 'OK';

  it('refuses an account after the limit of failed attempts, even with the right password, and opens no session', async () => {
    const email = freshEmail();
    const { user } = await t.person([], undefined, { email });
    for (let i = 0; i < LIMIT; i++) expect(codeOf(await from('10.0.0.1', OPS.signIn, { input: { email, password: 'wrong password' } }))).toBe('INVALID_CREDENTIALS');
    const limited = await from('10.0.0.2', OPS.signIn, { input: { email, password: PASSWORD } });
    expect(limited.errors?.[0]).toMatchObject({ extensions: { code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) } });
    expect((await t.dataSource.query('SELECT count(*)::int AS n FROM sessions WHERE user_id = $1', [user.id]))[0].n).toBe(1); // the fixture's own
    // Another account is not affected.
    const other = freshEmail();
    await t.person([], undefined, { email: other });
    expect(codeOf(await from('10.0.0.3', OPS.signIn, { input: { email: other, password: PASSWORD } }))).toBe('OK');
  });

  it('forgives earlier mistakes after a successful sign-in', async () => {
    const email = freshEmail();
    await t.person([], undefined, { email });
    const attempt = (password: string) => from('10.0.1.1', OPS.signIn, { input: { email, password } }).then(codeOf);
    expect([await attempt('wrong one'), await attempt('wrong two'), await attempt(PASSWORD)]).toEqual(['INVALID_CREDENTIALS', 'INVALID_CREDENTIALS', 'OK']);
    expect([await attempt('wrong three'), await attempt('wrong four'), await attempt('wrong five'), await attempt(PASSWORD)]).toEqual([
      'INVALID_CREDENTIALS', 'INVALID_CREDENTIALS', 'INVALID_CREDENTIALS', 'RATE_LIMITED',
    ]);
  });

  it('limits one client address trying many accounts', async () => {
    const codes: string[] = [];
    for (let i = 0; i < LIMIT * 5 + 1; i++) codes.push(codeOf(await from('10.0.2.1', OPS.signIn, { input: { email: freshEmail(), password: PASSWORD } })));
    expect(codes.slice(0, LIMIT * 5).every((c) => c === 'INVALID_CREDENTIALS')).toBe(true);
    expect(codes[LIMIT * 5]).toBe('RATE_LIMITED');
    expect(codeOf(await from('10.0.2.2', OPS.signIn, { input: { email: freshEmail(), password: PASSWORD } }))).toBe('INVALID_CREDENTIALS');
  });

  it('limits sign-up attempts for one address', async () => {
    const email = freshEmail();
    const codes: string[] = [];
    for (let i = 0; i <= LIMIT; i++) codes.push(codeOf(await from('10.0.3.1', OPS.signUp, { input: { projectSlug: 'no-such-book', email, displayName: 'X', password: PASSWORD } })));
    expect(codes).toEqual([...Array(LIMIT).fill('SIGN_UP_NOT_ALLOWED'), 'RATE_LIMITED']);
  });

  it('limits reset requests for one address, and the refused request stores nothing', async () => {
    const email = freshEmail();
    await t.person([], undefined, { email });
    for (let i = 0; i < LIMIT; i++) expect(codeOf(await from('10.0.4.1', OPS.requestPasswordReset, { email }))).toBe('OK');
    const before = await dbSnapshot(t.dataSource);
    expect(codeOf(await from('10.0.4.1', OPS.requestPasswordReset, { email }))).toBe('RATE_LIMITED');
    expect(await dbSnapshot(t.dataSource)).toEqual(before);
  });
});
