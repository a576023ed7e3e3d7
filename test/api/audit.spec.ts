import { randomUUID } from 'node:crypto';
import { ProjectRole, systemActor } from '@quire/core';
import { AuditService } from '@quire/domain/audit';
import { Project } from '@quire/domain/projects';
import { GraphQLClient, GraphQLResponse, startTestApp, TestApp } from '@quire/testing';
import { freshEmail, OPS } from './helpers';

interface AuditNode { id: string; action: string; entityType: string; entityId: string; actorId: string | null; actorKind: string; data: string; requestId: string | null }
interface AuditPage { auditEvents: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: AuditNode[] } }

describe('the audit log', () => {
  let t: TestApp;
  let project: Project;
  let admin: { client: GraphQLClient; token: string; user: { id: string } };
  let editor: { client: GraphQLClient; user: { id: string } };

  beforeAll(async () => {
    t = await startTestApp({ label: 'audit' });
    project = await t.project();
    admin = await t.person([ProjectRole.ADMIN], project);
    editor = await t.person([ProjectRole.EDITOR], project);
    // A history: the editor invites three people, the admin retitles the project twice.
    for (let i = 0; i < 3; i++) await editor.client.data(OPS.inviteMember, { projectId: project.id, input: { email: freshEmail(), roles: [ProjectRole.MEMBER] } });
    for (const title of ['Eerste titel', 'Tweede titel']) await admin.client.data(OPS.updateProject, { id: project.id, input: { title } });
  });
  afterAll(async () => { await t?.close(); });

  const read = (variables: Record<string, unknown>) => admin.client.data<AuditPage>(OPS.auditEvents, { projectId: project.id, ...variables });

  it('shows an admin the project\'s events newest first, with who did what', async () => {
    const { auditEvents } = await read({});
    expect(auditEvents.nodes.map((n) => n.action)).toEqual([
      'project.updated', 'project.updated', 'invitation.created', 'invitation.created', 'invitation.created',
      'member.roles_granted', 'member.roles_granted', 'project.created',
    ]);
    expect(auditEvents.totalCount).toBe(8);
    expect(auditEvents.nodes[0]).toMatchObject({ actorId: admin.user.id, actorKind: 'user', entityType: 'project', entityId: project.id });
    expect(JSON.parse(auditEvents.nodes[0].data)).toEqual({ changed: ['title'] });
  });

  it.each([
    ['action', () => ({ action: 'invitation.created' }), 3],
    ['entity type', () => ({ entityType: 'project' }), 3],
    ['entity', () => ({ entityId: editor.user.id }), 1],
    ['actor', () => ({ actorId: editor.user.id }), 3],
    ['actor and action', () => ({ actorId: admin.user.id, action: 'invitation.created' }), 0],
    ['an actor who did nothing here', () => ({ actorId: randomUUID() }), 0],
  ])('filters by %s', async (_by, filter, count) => {
    const { auditEvents } = await read({ filter: filter() });
    expect(auditEvents.totalCount).toBe(count);
    expect(auditEvents.nodes).toHaveLength(count);
    for (const node of auditEvents.nodes) expect(node).toMatchObject(filter());
  });

  it('pages through the log without skipping or repeating an event', async () => {
    const all = (await read({ first: 100 })).auditEvents.nodes.map((n) => n.id);
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: AuditPage = await read({ first: 3, after });
      seen.push(...page.auditEvents.nodes.map((n) => n.id));
      if (!page.auditEvents.pageInfo.hasNextPage) break;
      after = page.auditEvents.pageInfo.endCursor;
    }
    expect(seen).toEqual(all);
  });

  it('carries the request id of the change, taken from the X-Request-Id header when the caller sends one', async () => {
    const requestId = `trace-${randomUUID()}`;
    const res = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin.token}`, 'x-request-id': requestId },
      body: JSON.stringify({ query: OPS.updateProject, variables: { id: project.id, input: { description: 'Met een omschrijving' } } }),
    });
    expect(((await res.json()) as GraphQLResponse<unknown>).errors).toBeUndefined();
    const { auditEvents } = await read({ first: 1 });
    expect(auditEvents.nodes[0]).toMatchObject({ action: 'project.updated', requestId });
  });

  it('is append-only: the database refuses to change or delete a line', async () => {
    const [{ id }] = await t.dataSource.query('SELECT id FROM audit_events WHERE project_id = $1 LIMIT 1', [project.id]);
    await expect(t.dataSource.query(`UPDATE audit_events SET action = 'forged' WHERE id = $1`, [id])).rejects.toThrow(/append-only/);
    await expect(t.dataSource.query('DELETE FROM audit_events WHERE id = $1', [id])).rejects.toThrow(/append-only/);
    await expect(t.dataSource.query('TRUNCATE audit_events')).rejects.toThrow(/append-only/);
    expect(await t.dataSource.query('SELECT action FROM audit_events WHERE id = $1', [id])).toHaveLength(1);
  });

  it('is written in the caller\'s transaction: a change that rolls back leaves no line', async () => {
    const audit = t.app.get(AuditService);
    const before = (await read({})).auditEvents.totalCount;
    await expect(
      t.dataSource.transaction(async (tx) => {
        await audit.record(tx, systemActor('test'), { projectId: project.id, action: 'test.rolled_back', entityType: 'project', entityId: project.id });
        throw new Error('the change fails after its audit line was written');
      }),
    ).rejects.toThrow('the change fails');
    expect((await read({})).auditEvents.totalCount).toBe(before);
  });

  it('never stores secrets, whatever a caller puts in the data', async () => {
    const audit = t.app.get(AuditService);
    const entityId = randomUUID();
    await t.dataSource.transaction((tx) =>
      audit.record(tx, systemActor('test'), { projectId: project.id, action: 'test.secrets', entityType: 'user', entityId, data: { password: 'p', newPassword: 'p', tokenHash: 'h', resetToken: 't', clientSecret: 's', kept: 'yes' } }),
    );
    expect(await t.dataSource.query('SELECT data FROM audit_events WHERE entity_id = $1', [entityId])).toEqual([{ data: { kept: 'yes' } }]);
  });
});
