import { ProjectRole } from '@quire/core';
import { Project } from '@quire/domain/projects';
import { GraphQLClient, startTestApp, TestApp } from '@quire/testing';
import { anonymous, expectRefused, freshEmail, invite, lastMailTo, OPS, sha256, tokenOf } from './helpers';

const PASSWORD = 'correct horse battery';

describe('invitations', () => {
  let t: TestApp;
  let project: Project;
  let admin: GraphQLClient;

  beforeAll(async () => {
    t = await startTestApp({ label: 'invitations' });
    project = await t.project();
    admin = (await t.person([ProjectRole.ADMIN], project)).client;
  });
  afterAll(async () => { await t?.close(); });

  const accept = (token: string, extra: Record<string, unknown> = { displayName: 'Nieuwe Auteur', password: PASSWORD }) => ({ input: { token, ...extra } });

  it('stores only the hash of the link, mails the link through the outbox and shows what it offers', async () => {
    const email = freshEmail();
    const { token, id } = await invite(admin, project.id, email.toUpperCase(), [ProjectRole.AUTHOR]);
    const rows: Record<string, unknown>[] = await t.dataSource.query('SELECT * FROM invitations WHERE id = $1', [id]);
    expect(rows[0]).toMatchObject({ email, token_hash: sha256(token), roles: [ProjectRole.AUTHOR], accepted_at: null });
    expect(JSON.stringify(rows[0])).not.toContain(token);
    expect(tokenOf((await lastMailTo(t, email)).acceptUrl)).toBe(token);
    expect(await anonymous(t).data(OPS.invitation, { token })).toEqual({
      invitation: { email, projectTitle: project.title, projectSlug: project.slug, roles: [ProjectRole.AUTHOR], accountExists: false },
    });
  });

  it('makes an account with the invited roles for a newcomer, signs them in and marks the invitation used', async () => {
    const email = freshEmail();
    const { token, id } = await invite(admin, project.id, email, [ProjectRole.MEMBER, ProjectRole.AUTHOR]);
    const result = await anonymous(t).request<{ acceptInvitation: { token: string; user: { id: string; email: string } } }>(OPS.acceptInvitation, accept(token));
    expect(result.errors).toBeUndefined();
    const user = result.data?.acceptInvitation.user;
    expect(user?.email).toBe(email);
    const newcomer = new GraphQLClient(t.url, result.data?.acceptInvitation.token);
    expect(await newcomer.data(OPS.project, { slug: project.slug })).toMatchObject({ project: { myRoles: [ProjectRole.MEMBER, ProjectRole.AUTHOR] } });
    expect(await t.dataSource.query('SELECT accepted_by_id FROM invitations WHERE id = $1 AND accepted_at IS NOT NULL', [id])).toEqual([{ accepted_by_id: user?.id }]);
    const actions: { action: string }[] = await t.dataSource.query('SELECT action FROM audit_events WHERE actor_id = $1::uuid OR entity_id IN ($1::text, $2::text) ORDER BY seq', [user?.id, id]);
    expect(actions.map((a) => a.action)).toEqual(['invitation.created', 'user.created', 'member.roles_granted', 'invitation.accepted']);
  });

  it('adds the invited roles to the roles a signed-in person already holds', async () => {
    const person = await t.person([ProjectRole.MEMBER], project);
    const { token } = await invite(admin, project.id, person.user.email, [ProjectRole.EDITOR]);
    expect(await anonymous(t).data(OPS.invitation, { token })).toMatchObject({ invitation: { accountExists: true } });
    expect((await person.client.request(OPS.acceptInvitation, accept(token, {}))).errors).toBeUndefined();
    expect(await person.client.data(OPS.project, { slug: project.slug })).toMatchObject({ project: { myRoles: [ProjectRole.MEMBER, ProjectRole.EDITOR] } });
  });

  it('refuses a used invitation with INVITATION_USED, in the preview and on accepting, and changes nothing', async () => {
    const { token } = await invite(admin, project.id, freshEmail(), [ProjectRole.MEMBER]);
    await anonymous(t).data(OPS.acceptInvitation, accept(token));
    await expectRefused(t, anonymous(t), OPS.invitation, { token }, 'INVITATION_USED');
    await expectRefused(t, anonymous(t), OPS.acceptInvitation, accept(token, { displayName: 'Someone Else', password: PASSWORD }), 'INVITATION_USED');
    const signedIn = await t.person([]);
    await expectRefused(t, signedIn.client, OPS.acceptInvitation, accept(token, {}), 'INVITATION_USED');
  });

  it('refuses an expired invitation with INVITATION_EXPIRED and changes nothing', async () => {
    const { token, id } = await invite(admin, project.id, freshEmail(), [ProjectRole.MEMBER]);
    await t.dataSource.query(`UPDATE invitations SET expires_at = now() - interval '1 second' WHERE id = $1`, [id]);
    await expectRefused(t, anonymous(t), OPS.invitation, { token }, 'INVITATION_EXPIRED');
    await expectRefused(t, anonymous(t), OPS.acceptInvitation, accept(token), 'INVITATION_EXPIRED');
    await expectRefused(t, (await t.person([])).client, OPS.acceptInvitation, accept(token, {}), 'INVITATION_EXPIRED');
  });

  it('gives an invitation its expiry from the configured lifetime', async () => {
    const { id } = await invite(admin, project.id, freshEmail(), [ProjectRole.MEMBER]);
    const [row]: { hours: number }[] = await t.dataSource.query('SELECT round(extract(epoch FROM expires_at - created_at) / 3600)::int AS hours FROM invitations WHERE id = $1', [id]);
    expect(row.hours).toBe(t.config.invitationTtlHours);
  });

  it('refuses a link that was never issued with TOKEN_INVALID and changes nothing', async () => {
    await expectRefused(t, anonymous(t), OPS.invitation, { token: 'never-issued' }, 'TOKEN_INVALID');
    await expectRefused(t, anonymous(t), OPS.acceptInvitation, accept('never-issued'), 'TOKEN_INVALID');
  });

  it('refuses a newcomer without a name and password with BAD_USER_INPUT, and changes nothing', async () => {
    const { token } = await invite(admin, project.id, freshEmail(), [ProjectRole.MEMBER]);
    await expectRefused(t, anonymous(t), OPS.acceptInvitation, accept(token, {}), 'BAD_USER_INPUT');
    await expectRefused(t, anonymous(t), OPS.acceptInvitation, accept(token, { displayName: 'Nieuw', password: 'short' }), 'BAD_USER_INPUT');
    // The invitation is still good after the refusals.
    expect((await anonymous(t).request(OPS.acceptInvitation, accept(token))).errors).toBeUndefined();
  });

  it('asks someone whose address has an account to sign in first (CONFLICT), and changes nothing', async () => {
    const person = await t.person([]);
    const { token } = await invite(admin, project.id, person.user.email, [ProjectRole.MEMBER]);
    await expectRefused(t, anonymous(t), OPS.acceptInvitation, accept(token), 'CONFLICT');
  });

  it('lets exactly one of several simultaneous acceptances win', async () => {
    const email = freshEmail();
    const { token } = await invite(admin, project.id, email, [ProjectRole.MEMBER]);
    const results = await Promise.all(Array.from({ length: 6 }, () => anonymous(t).request(OPS.acceptInvitation, accept(token))));
    expect(results.map((r) => r.errors?.[0]?.extensions?.code ?? 'OK').sort()).toEqual(['INVITATION_USED', 'INVITATION_USED', 'INVITATION_USED', 'INVITATION_USED', 'INVITATION_USED', 'OK']);
    expect((await t.dataSource.query('SELECT count(*)::int AS n FROM users WHERE email = $1', [email]))[0].n).toBe(1);
  });

  it('lets an editor invite members and authors', async () => {
    const editor = await t.person([ProjectRole.EDITOR], project);
    const { id } = await invite(editor.client, project.id, freshEmail(), [ProjectRole.MEMBER, ProjectRole.AUTHOR]);
    expect(await t.dataSource.query('SELECT invited_by_id FROM invitations WHERE id = $1', [id])).toEqual([{ invited_by_id: editor.user.id }]);
  });

  it('lists a project\'s invitations newest first, in pages that neither skip nor repeat, even within one millisecond', async () => {
    const other = await t.project();
    const otherAdmin = (await t.person([ProjectRole.ADMIN], other)).client;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await invite(otherAdmin, other.id, freshEmail(), [ProjectRole.MEMBER])).id);
    // Three invitations made within one millisecond, as a bulk invite could: PostgreSQL keeps
    // microseconds, cursors keep milliseconds.
    await t.dataSource.query(
      `UPDATE invitations SET created_at = '2030-01-01T00:00:00.000100Z'::timestamptz + (array_position($1::uuid[], id) * interval '100 microseconds') WHERE id = ANY($1::uuid[])`,
      [ids.slice(0, 3)],
    );
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: { invitations: { totalCount: number; nodes: { id: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } } = await otherAdmin.data(OPS.invitations, { projectId: other.id, first: 2, after });
      expect(page.invitations.totalCount).toBe(5);
      seen.push(...page.invitations.nodes.map((n) => n.id));
      if (!page.invitations.pageInfo.hasNextPage) break;
      after = page.invitations.pageInfo.endCursor;
    }
    expect([...seen].sort()).toEqual([...ids].sort());
    expect(seen.slice(0, 3).sort()).toEqual(ids.slice(0, 3).sort()); // the ones dated in 2030 come first
  });
});
