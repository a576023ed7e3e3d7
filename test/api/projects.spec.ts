import { ProjectRole } from '@quire/core';
import { GraphQLClient, startTestApp, TestApp } from '@quire/testing';
import { expectRefused, OPS } from './helpers';

interface MembersPage {
  members: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string }; nodes: { roles: ProjectRole[]; user: { id: string; email: string | null; displayName: string } }[] };
}

describe('projects and their members', () => {
  let t: TestApp;
  let root: GraphQLClient;

  beforeAll(async () => {
    t = await startTestApp({ label: 'projects' });
    root = (await t.person([], undefined, { installationAdmin: true })).client;
  });
  afterAll(async () => { await t?.close(); });

  describe('creating and changing a project', () => {
    it('lets an installation admin create a project from a slug and a title, with the defaults, as its ADMIN', async () => {
      const data = await root.data<{ createProject: { id: string } }>(OPS.createProject, { input: { slug: 'ambtenaren-200', title: '  Ambtenaren!  ' } });
      expect(data.createProject).toMatchObject({
        slug: 'ambtenaren-200', title: 'Ambtenaren!', language: 'nl', targetPortraitCount: 100, wordLimitMin: 600, wordLimitMax: 1200,
        selfSignUp: false, allowedEmailDomains: [], myRoles: [ProjectRole.MEMBER, ProjectRole.AUTHOR, ProjectRole.EDITOR, ProjectRole.ADMIN],
      });
      const [membership] = await t.dataSource.query('SELECT roles FROM project_memberships WHERE project_id = $1', [data.createProject.id]);
      expect(membership.roles).toEqual([ProjectRole.ADMIN]);
      const events = await t.dataSource.query('SELECT action, data FROM audit_events WHERE project_id = $1', [data.createProject.id]);
      expect(events).toEqual([{ action: 'project.created', data: { slug: 'ambtenaren-200', title: 'Ambtenaren!' } }]);
    });

    it('refuses a slug in use with CONFLICT and changes nothing', async () => {
      await root.data(OPS.createProject, { input: { slug: 'taken', title: 'First' } });
      await expectRefused(t, root, OPS.createProject, { input: { slug: 'taken', title: 'Second' } }, 'CONFLICT');
    });

    it('makes one project when the same slug is asked for several times at once; the others get CONFLICT', async () => {
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => root.request(OPS.createProject, { input: { slug: 'race', title: `Racer ${i}` } })));
      expect(results.map((r) => r.errors?.[0]?.extensions?.code ?? 'OK').sort()).toEqual([...Array(7).fill('CONFLICT'), 'OK']);
      expect((await t.dataSource.query(`SELECT count(*)::int AS n FROM projects WHERE slug = 'race'`))[0].n).toBe(1);
    });

    it('lets a project admin change the settings, normalising the e-mail domains, and audits what changed', async () => {
      const project = await t.project();
      const admin = await t.person([ProjectRole.ADMIN], project);
      const data = await admin.client.data(OPS.updateProject, {
        id: project.id,
        input: { title: 'Nieuwe titel', selfSignUp: true, allowedEmailDomains: [' @MinBZK.nl', 'minbzk.nl', 'Rijksoverheid.NL'], wordLimitMin: 500, wordLimitMax: 900 },
      });
      expect(data).toEqual({ updateProject: { id: project.id, title: 'Nieuwe titel', description: '', selfSignUp: true, allowedEmailDomains: ['minbzk.nl', 'rijksoverheid.nl'], wordLimitMin: 500, wordLimitMax: 900 } });
      const [event] = await t.dataSource.query(`SELECT actor_id, data->'changed' AS changed FROM audit_events WHERE project_id = $1 AND action = 'project.updated'`, [project.id]);
      expect(event.actor_id).toBe(admin.user.id);
      expect([...event.changed].sort()).toEqual(['allowedEmailDomains', 'selfSignUp', 'title', 'wordLimitMax', 'wordLimitMin']);
    });

    it('lists the projects a person takes part in, and every project for an installation admin', async () => {
      const [a, b] = [await t.project(), await t.project()];
      const person = await t.person([ProjectRole.MEMBER], a);
      expect(await person.client.data(OPS.projects)).toEqual({ projects: [{ id: a.id, slug: a.slug, myRoles: [ProjectRole.MEMBER] }] });
      const all = await root.data<{ projects: { id: string }[] }>(OPS.projects);
      expect(all.projects.map((p) => p.id)).toEqual(expect.arrayContaining([a.id, b.id]));
    });
  });

  describe('roles', () => {
    it('replaces a member\'s roles and audits the change', async () => {
      const project = await t.project();
      const admin = await t.person([ProjectRole.ADMIN], project);
      const member = await t.person([ProjectRole.MEMBER], project);
      const data = await admin.client.data(OPS.setMemberRoles, { projectId: project.id, userId: member.user.id, roles: [ProjectRole.EDITOR, ProjectRole.MEMBER, ProjectRole.EDITOR] });
      expect(data).toEqual({ setMemberRoles: [ProjectRole.MEMBER, ProjectRole.EDITOR] });
      expect(await member.client.data(OPS.project, { slug: project.slug })).toMatchObject({ project: { myRoles: [ProjectRole.MEMBER, ProjectRole.EDITOR] } });
      const [event] = await t.dataSource.query(`SELECT data FROM audit_events WHERE project_id = $1 AND action = 'member.roles_set'`, [project.id]);
      expect(event.data).toEqual({ from: [ProjectRole.MEMBER], to: [ProjectRole.MEMBER, ProjectRole.EDITOR] });
    });

    it('removes a member with an empty list of roles, after which the project is closed to them', async () => {
      const project = await t.project();
      const admin = await t.person([ProjectRole.ADMIN], project);
      const member = await t.person([ProjectRole.MEMBER], project);
      expect(await admin.client.data(OPS.setMemberRoles, { projectId: project.id, userId: member.user.id, roles: [] })).toEqual({ setMemberRoles: [] });
      expect(await member.client.errorCode(OPS.project, { slug: project.slug })).toBe('NOT_FOUND');
      expect(await t.dataSource.query(`SELECT action FROM audit_events WHERE project_id = $1 AND entity_id = $2 ORDER BY seq DESC LIMIT 1`, [project.id, member.user.id])).toEqual([{ action: 'member.removed' }]);
    });

    it('keeps the last admin: demoting or removing them is CONFLICT and changes nothing', async () => {
      const project = await t.project();
      const admin = await t.person([ProjectRole.ADMIN], project);
      await expectRefused(t, admin.client, OPS.setMemberRoles, { projectId: project.id, userId: admin.user.id, roles: [ProjectRole.MEMBER] }, 'CONFLICT');
      await expectRefused(t, admin.client, OPS.setMemberRoles, { projectId: project.id, userId: admin.user.id, roles: [] }, 'CONFLICT');
      // With a second admin, one may step down.
      await t.person([ProjectRole.ADMIN], project);
      expect((await admin.client.request(OPS.setMemberRoles, { projectId: project.id, userId: admin.user.id, roles: [ProjectRole.MEMBER] })).errors).toBeUndefined();
    });
  });

  describe('the member list', () => {
    it('pages through members by name without skipping or repeating, and filters by role', async () => {
      const project = await t.project();
      const people = [];
      for (let i = 0; i < 5; i++) people.push(await t.person(i % 2 ? [ProjectRole.MEMBER, ProjectRole.AUTHOR] : [ProjectRole.MEMBER], project));
      const client = people[0].client;
      const seen: string[] = [];
      let after: string | null = null;
      for (;;) {
        const page: MembersPage = await client.data(OPS.members, { projectId: project.id, first: 2, after });
        expect(page.members.totalCount).toBe(5);
        seen.push(...page.members.nodes.map((n) => n.user.displayName));
        if (!page.members.pageInfo.hasNextPage) break;
        after = page.members.pageInfo.endCursor;
      }
      const names = people.map((p) => p.user.displayName);
      expect(seen).toEqual([...names].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
      const authors = await client.data<MembersPage>(OPS.members, { projectId: project.id, role: ProjectRole.AUTHOR });
      expect(authors.members.totalCount).toBe(2);
      expect(authors.members.nodes.every((n) => n.roles.includes(ProjectRole.AUTHOR))).toBe(true);
    });

    it('shows e-mail addresses to admins only, and to each person their own', async () => {
      const project = await t.project();
      const admin = await t.person([ProjectRole.ADMIN], project);
      const member = await t.person([ProjectRole.MEMBER], project);
      const asAdmin = await admin.client.data<MembersPage>(OPS.members, { projectId: project.id });
      expect(asAdmin.members.nodes.map((n) => n.user.email).sort()).toEqual([admin.user.email, member.user.email].sort());
      const asMember = await member.client.data<MembersPage>(OPS.members, { projectId: project.id });
      const emails = Object.fromEntries(asMember.members.nodes.map((n) => [n.user.id, n.user.email]));
      expect(emails).toEqual({ [admin.user.id]: null, [member.user.id]: member.user.email });
    });
  });
});
