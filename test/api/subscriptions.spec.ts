import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { ProjectRole } from '@quire/core';
import { startTestApp, TestApp } from '@quire/testing';

describe('GraphQL subscriptions over graphql-ws, fed by Redis pub/sub', () => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp({ label: 'subs' }); });
  afterAll(async () => { await t?.close(); });

  function subscribe(token: string | undefined, query: string, variables: Record<string, unknown>) {
    const client = createClient({ url: `${t.url.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams: token ? { authorization: `Bearer ${token}` } : {}, retryAttempts: 0 });
    const iterator = client.iterate({ query, variables });
    return { iterator, dispose: () => client.dispose() };
  }

  it('pushes a project change to a participant', async () => {
    const project = await t.project();
    const admin = await t.person([ProjectRole.ADMIN], project);
    const member = await t.person([ProjectRole.MEMBER], project);
    const sub = subscribe(member.token, 'subscription($id: ID!) { projectUpdated(projectId: $id) { id title } }', { id: project.id });
    const next = sub.iterator.next();
    await new Promise((r) => setTimeout(r, 300));
    await admin.client.data('mutation($id: ID!) { updateProject(id: $id, input: { title: "Nieuwe titel" }) { id } }', { id: project.id });
    const event = await next;
    expect(event.value).toEqual({ data: { projectUpdated: { id: project.id, title: 'Nieuwe titel' } } });
    await sub.dispose();
  });

  it('refuses a connection without a session', async () => {
    const project = await t.project();
    const sub = subscribe(undefined, 'subscription($id: ID!) { projectUpdated(projectId: $id) { id } }', { id: project.id });
    const event = await sub.iterator.next();
    expect((event.value as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    await sub.dispose();
  });

  it('refuses a person outside the project', async () => {
    const project = await t.project();
    const outsider = await t.person([]);
    const sub = subscribe(outsider.token, 'subscription($id: ID!) { projectUpdated(projectId: $id) { id } }', { id: project.id });
    const event = await sub.iterator.next();
    expect((event.value as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe('FORBIDDEN');
    await sub.dispose();
  });
});
