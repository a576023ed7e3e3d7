import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { ProjectRole, systemActor } from '@quire/core';
import { Project, ProjectsService } from '@quire/domain/projects';
import { GraphQLClient, startTestApp, TestApp } from '@quire/testing';
import { expectRefused, freshEmail, invite, OPS } from './helpers';

/**
 * Two book projects on one installation. Nothing of project B (its settings, members, invitations
 * or audit log) is visible to the people of project A, whatever their role there, and nothing
 * they do can change it; and A's own lists never contain B's records.
 */
interface Side {
  project: Project;
  people: Record<'admin' | 'editor' | 'member', { client: GraphQLClient; token: string; user: { id: string } }>;
  invitationIds: string[];
}

describe('project isolation', () => {
  let t: TestApp;
  let a: Side;
  let b: Side;
  let both: { client: GraphQLClient; user: { id: string } };

  async function side(): Promise<Side> {
    const project = await t.project();
    const people = {
      admin: await t.person([ProjectRole.ADMIN], project),
      editor: await t.person([ProjectRole.MEMBER, ProjectRole.EDITOR], project),
      member: await t.person([ProjectRole.MEMBER], project),
    };
    const invitationIds = [(await invite(people.admin.client, project.id, freshEmail(), [ProjectRole.AUTHOR])).id];
    await people.admin.client.data(OPS.updateProject, { id: project.id, input: { description: 'Alleen voor ons' } });
    return { project, people, invitationIds };
  }

  beforeAll(async () => {
    t = await startTestApp({ label: 'isolation' });
    a = await side();
    b = await side();
    both = await t.person([ProjectRole.MEMBER], a.project);
    await t.dataSource.transaction((tx) => t.app.get(ProjectsService).grantRoles(tx, systemActor('test'), b.project.id, both.user.id, [ProjectRole.MEMBER, ProjectRole.EDITOR]));
  });
  afterAll(async () => { await t?.close(); });

  const roles = ['admin', 'editor', 'member'] as const;

  it.each(roles)('lists only project A to its %s', async (role) => {
    expect(await a.people[role].client.data(OPS.projects)).toEqual({ projects: [expect.objectContaining({ id: a.project.id })] });
  });

  it.each(roles)('tells A\'s %s that project B does not exist', async (role) => {
    await expectRefused(t, a.people[role].client, OPS.project, { slug: b.project.slug }, 'NOT_FOUND');
  });

  describe.each(roles)('A\'s %s', (role) => {
    it.each([
      ['members', OPS.members, () => ({ projectId: b.project.id })],
      ['invitations', OPS.invitations, () => ({ projectId: b.project.id })],
      ['auditEvents', OPS.auditEvents, () => ({ projectId: b.project.id })],
      ['updateProject', OPS.updateProject, () => ({ id: b.project.id, input: { title: 'Overgenomen' } })],
      ['inviteMember', OPS.inviteMember, () => ({ projectId: b.project.id, input: { email: freshEmail(), roles: [ProjectRole.MEMBER] } })],
      ['setMemberRoles', OPS.setMemberRoles, () => ({ projectId: b.project.id, userId: b.people.member.user.id, roles: [ProjectRole.ADMIN] })],
    ])('is refused %s of project B, and changes nothing', async (_operation, query, variables) => {
      await expectRefused(t, a.people[role].client, query, variables(), 'FORBIDDEN');
    });
  });

  it('does not let A\'s admin reach B\'s people through project A', async () => {
    await expectRefused(t, a.people.admin.client, OPS.setMemberRoles, { projectId: a.project.id, userId: b.people.member.user.id, roles: [ProjectRole.MEMBER] }, 'NOT_FOUND');
  });

  it('keeps B\'s people, invitations and events out of A\'s lists', async () => {
    const admin = a.people.admin.client;
    const members = await admin.data<{ members: { nodes: { user: { id: string } }[] } }>(OPS.members, { projectId: a.project.id });
    expect(members.members.nodes.map((n) => n.user.id).sort()).toEqual([...Object.values(a.people).map((p) => p.user.id), both.user.id].sort());
    const invitations = await admin.data<{ invitations: { nodes: { id: string }[] } }>(OPS.invitations, { projectId: a.project.id });
    expect(invitations.invitations.nodes.map((n) => n.id)).toEqual(a.invitationIds);
    const events = await admin.data<{ auditEvents: { nodes: { entityId: string; actorId: string | null }[] } }>(OPS.auditEvents, { projectId: a.project.id, first: 100 });
    const ofB = new Set([b.project.id, ...b.invitationIds, ...Object.values(b.people).map((p) => p.user.id)]);
    expect(events.auditEvents.nodes.filter((e) => ofB.has(e.entityId) || ofB.has(e.actorId ?? ''))).toEqual([]);
    expect(events.auditEvents.nodes.length).toBeGreaterThan(0);
  });

  it('gives a person in both projects each project\'s own roles', async () => {
    expect(await both.client.data(OPS.project, { slug: a.project.slug })).toMatchObject({ project: { myRoles: [ProjectRole.MEMBER] } });
    expect(await both.client.data(OPS.project, { slug: b.project.slug })).toMatchObject({ project: { myRoles: [ProjectRole.MEMBER, ProjectRole.EDITOR] } });
    // Editor in B gives no editor's rights in A.
    await expectRefused(t, both.client, OPS.invitations, { projectId: a.project.id }, 'FORBIDDEN');
    await expectRefused(t, both.client, OPS.inviteMember, { projectId: a.project.id, input: { email: freshEmail(), roles: [ProjectRole.MEMBER] } }, 'FORBIDDEN');
  });

  it('refuses A\'s admin a live feed of project B', async () => {
    const client = createClient({ url: `${t.url.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${a.people.admin.token}` }, retryAttempts: 0 });
    const event = await client.iterate({ query: 'subscription($id: ID!) { projectUpdated(projectId: $id) { id title } }', variables: { id: b.project.id } }).next();
    expect((event.value as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe('FORBIDDEN');
    await client.dispose();
  });
});
