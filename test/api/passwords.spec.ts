import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { ProjectRole } from '@quire/core';
import { hashPassword } from '@quire/domain/identity';
import { ApiProcess, dbSnapshot, GraphQLClient, startApiProcess, startTestApp, TestApp, waitFor } from '@quire/testing';
import { freshEmail, invite, OPS, sha256, tokenOf } from './helpers';

/** A password no other text could contain by chance, so finding it anywhere means it leaked. */
const secret = (label: string) => `${label}-${randomBytes(12).toString('hex')}`;

// argon2id with the OWASP baseline parameters (19 MiB, 2 iterations, 1 lane), salted.
const ARGON2ID = /^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/;

/** Every way a password enters Quire: self sign-up, accepting an invitation, a reset, signing in. */
async function enterPasswordsEverywhere(url: string, admin: GraphQLClient, readOutbox: (to: string) => Promise<string>) {
  const passwords = { signUp: secret('signup'), invitation: secret('invitation'), reset: secret('reset'), wrong: secret('wrong') };
  const tokens: string[] = [];
  const visitor = () => new GraphQLClient(url);
  const slug = `book-${randomBytes(4).toString('hex')}`;
  const project = (await admin.data<{ createProject: { id: string } }>(OPS.createProject, { input: { slug, title: 'Boek', selfSignUp: true, allowedEmailDomains: ['minbzk.nl'] } })).createProject;

  const signedUp = await visitor().data<{ signUp: { token: string } }>(OPS.signUp, { input: { projectSlug: slug, email: freshEmail('minbzk.nl'), displayName: 'Zelf', password: passwords.signUp } });
  tokens.push(signedUp.signUp.token);

  const invitee = freshEmail();
  const invitation = await invite(admin, project.id, invitee, [ProjectRole.AUTHOR]);
  tokens.push(invitation.token);
  const accepted = await visitor().data<{ acceptInvitation: { token: string } }>(OPS.acceptInvitation, { input: { token: invitation.token, displayName: 'Genodigd', password: passwords.invitation } });
  tokens.push(accepted.acceptInvitation.token);

  await visitor().data(OPS.requestPasswordReset, { email: invitee });
  const resetToken = tokenOf(await readOutbox(invitee));
  tokens.push(resetToken);
  tokens.push((await visitor().data<{ resetPassword: { token: string } }>(OPS.resetPassword, { token: resetToken, password: passwords.reset })).resetPassword.token);

  expect(await visitor().errorCode(OPS.signIn, { input: { email: invitee, password: passwords.wrong } })).toBe('INVALID_CREDENTIALS');
  tokens.push((await visitor().data<{ signIn: { token: string } }>(OPS.signIn, { input: { email: invitee, password: passwords.reset } })).signIn.token);
  return { passwords: Object.values(passwords), tokens };
}

describe('passwords and tokens in the database', () => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp({ label: 'passwords' }); });
  afterAll(async () => { await t?.close(); });

  it('keeps only argon2id hashes of passwords and SHA-256 hashes of tokens', async () => {
    const adminPassword = secret('admin');
    const admin = await t.person([], undefined, { installationAdmin: true, password: adminPassword });
    const readOutbox = async (to: string) => (await t.dataSource.query(`SELECT payload->>'resetUrl' AS url FROM outbox WHERE payload->>'to' = $1 ORDER BY id DESC LIMIT 1`, [to]))[0].url as string;
    const { passwords, tokens } = await enterPasswordsEverywhere(t.url, admin.client, readOutbox);

    const hashes: { password_hash: string | null }[] = await t.dataSource.query('SELECT password_hash FROM users');
    expect(hashes.length).toBe(3); // the admin, the one who signed up, the invitee
    for (const { password_hash } of hashes) expect(password_hash).toMatch(ARGON2ID);
    expect(new Set(hashes.map((h) => h.password_hash)).size).toBe(hashes.length); // salted: no two alike

    const sessionHashes: { token_hash: string }[] = await t.dataSource.query('SELECT token_hash FROM sessions');
    expect(sessionHashes.map((s) => s.token_hash)).toEqual(expect.arrayContaining([sha256(tokens[0]), sha256(tokens[tokens.length - 1])]));

    // Nowhere in any table, except that the outbox's e-mail jobs carry the links they send.
    const { outbox, ...everythingElse } = await dbSnapshot(t.dataSource);
    const stored = JSON.stringify(everythingElse);
    for (const text of [adminPassword, ...passwords, ...tokens]) expect(stored).not.toContain(text);
    expect(JSON.stringify(outbox)).not.toContain(adminPassword);
    for (const password of passwords) expect(JSON.stringify(outbox)).not.toContain(password);
  });
});

describe('what the api process logs', () => {
  let api: ApiProcess;
  let db: Client;
  beforeAll(async () => {
    api = await startApiProcess({ label: 'logs' });
    db = new Client({ connectionString: api.database.url });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await api?.stop();
  });

  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${api.url}${path}`, { headers: { accept: 'text/html', ...headers } });

  it('writes JSON lines that carry the request id (the caller\'s X-Request-Id when sent), and never a password or token', async () => {
    const adminEmail = freshEmail();
    const adminPassword = secret('admin');
    await db.query(`INSERT INTO users (email, display_name, locale, password_hash, installation_admin) VALUES ($1, 'Beheer', 'nl', $2, true)`, [adminEmail, await hashPassword(adminPassword)]);
    const admin = new GraphQLClient(api.url);
    const signedIn = await admin.data<{ signIn: { token: string } }>(OPS.signIn, { input: { email: adminEmail, password: adminPassword } });
    admin.token = signedIn.signIn.token;
    const readOutbox = async (to: string) => (await db.query(`SELECT payload->>'resetUrl' AS url FROM outbox WHERE payload->>'to' = $1 ORDER BY id DESC LIMIT 1`, [to])).rows[0].url as string;
    const { passwords, tokens } = await enterPasswordsEverywhere(api.url, admin, readOutbox);

    // People open the links in their mail; a client misuses GET for a mutation.
    const [invitationToken, resetToken] = [tokens[1], tokens[3]];
    await get(`/invitation/${invitationToken}`, { 'x-request-id': 'open-invitation-link' });
    await get(`/reset-password/${resetToken}?from=mail`);
    await get(`/graphql?query=${encodeURIComponent(`mutation { signIn(input: { email: "${adminEmail}", password: "${adminPassword}" }) { token } }`)}`, { 'apollo-require-preflight': 'true' });
    await fetch(`${api.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': 'trace-me-123' }, body: JSON.stringify({ query: OPS.me }) });
    // The logger writes asynchronously: wait for the line of the last request.
    await waitFor(() => api.lines().some((line) => line.includes('"id":"trace-me-123"')), 'the log line of the last request');

    const lines = api.lines();
    const records = lines.map((line) => JSON.parse(line) as { req?: { id?: string; url?: string } });
    expect(records.find((r) => r.req?.id === 'open-invitation-link')?.req?.url).toBe('/invitation/[redacted]');
    for (const record of records.filter((r) => r.req)) expect(record.req?.id).toEqual(expect.any(String));
    const output = lines.join('\n');
    for (const text of [adminPassword, signedIn.signIn.token, ...passwords, ...tokens]) expect(output).not.toContain(text);
  });
});
