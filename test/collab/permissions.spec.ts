import * as Y from 'yjs';
import { CloseCode, DocumentStore, signTicket, sqlOfManager } from '@quire/collab-core';
import { ProjectRole } from '@quire/core';
import { GraphQLClient, setWordLimits, startTestApp, TestApp, waitFor } from '@quire/testing';
import { CollabProcess, connectClient, sleep, startCollabProcess, synced, TEST_TICKET_SECRET, TestClient, textOf, typeText } from './support';

const TICKET = `mutation($id: ID!) { collabTicket(portraitId: $id) { ticket url documentName access expiresAt } }`;
const TRANSITION = `mutation($id: ID!, $action: PortraitAction!) { transitionPortrait(portraitId: $id, action: $action) { status myAccess } }`;
const SET_TEAM = `mutation($id: ID!, $team: PortraitTeamInput!) { setPortraitTeam(portraitId: $id, team: $team) { id } }`;

interface Ticket { ticket: string; url: string; documentName: string; access: string; expiresAt: string }

/**
 * Who may write follows the portrait's team and state, enforced by the collab service: read-only
 * connections' updates are refused and never applied, and a state change or a team change made
 * through the API downgrades or closes open connections on every instance, without a reconnect.
 */
describe('collab: access', () => {
  let app: TestApp;
  let instances: CollabProcess[];
  const clients: TestClient[] = [];
  let portraitId: string;
  let documentName: string;
  const people: Record<'editor' | 'lead' | 'coAuthor' | 'member', { id: string; client: GraphQLClient }> = {} as never;

  const ticketFor = async (who: keyof typeof people): Promise<Ticket> => (await people[who].client.data<{ collabTicket: Ticket }>(TICKET, { id: portraitId })).collabTicket;
  const connect = (instance: CollabProcess, t: Ticket): TestClient => {
    const client = connectClient(instance.url, t.documentName, t.ticket, { quire: true });
    clients.push(client);
    return client;
  };
  const lastSeq = async (): Promise<number> => (await new DocumentStore(sqlOfManager(app.dataSource.manager)).lastSeqs([documentName])).get(documentName) ?? 0;

  beforeAll(async () => {
    app = await startTestApp({ label: 'collabaccess', env: { COLLAB_TICKET_SECRET: TEST_TICKET_SECRET, COLLAB_TICKET_TTL_SECONDS: '600' } });
    const project = await app.project();
    // The portrait is submitted without text.
    await setWordLimits(app.dataSource, project.id, 0);
    for (const [who, roles] of [['editor', [ProjectRole.EDITOR]], ['lead', [ProjectRole.AUTHOR]], ['coAuthor', [ProjectRole.AUTHOR]], ['member', [ProjectRole.MEMBER]]] as const) {
      const { user, client } = await app.person([...roles], project);
      people[who] = { id: user.id, client };
    }
    const [candidate] = await app.dataSource.query(`INSERT INTO candidates (project_id, name, status, match_key, surname_key) VALUES ($1, 'Aletta Jacobs', 'SELECTED', 'aletta jacobs', 'jacobs') RETURNING id`, [project.id]);
    portraitId = (await people.editor.client.data<{ createPortrait: { id: string } }>(`mutation($c: ID!) { createPortrait(candidateId: $c) { id } }`, { c: candidate.id })).createPortrait.id;
    await people.editor.client.data(SET_TEAM, { id: portraitId, team: { leadAuthorId: people.lead.id, coAuthorIds: [people.coAuthor.id], editorId: people.editor.id } });
    await people.editor.client.data(TRANSITION, { id: portraitId, action: 'START_DRAFTING' });
    documentName = `portrait:${portraitId}`;
    instances = [await startCollabProcess({ database: app.database, prefix: app.config.redisPrefix }), await startCollabProcess({ database: app.database, prefix: app.config.redisPrefix })];
  });

  afterAll(async () => {
    for (const client of clients) client.destroy();
    for (const instance of instances ?? []) await instance.stop();
    await app?.close();
  });

  it('gives authors a read-write ticket and members a read-only one, and refuses read-only updates without applying them', async () => {
    const leadTicket = await ticketFor('lead');
    const memberTicket = await ticketFor('member');
    expect(leadTicket).toMatchObject({ access: 'READ_WRITE', documentName, url: expect.stringMatching(/^ws:\/\//) });
    expect(memberTicket.access).toBe('READ_ONLY');

    const lead = connect(instances[0], leadTicket);
    const member = connect(instances[1], memberTicket);
    await Promise.all([synced(lead), synced(member)]);
    typeText(lead.doc, 'Aletta Jacobs studeerde medicijnen.');
    await waitFor(() => textOf(member.doc).includes('medicijnen') || undefined, 'the member to read what the lead wrote on the other instance');
    await waitFor(() => lead.accessModes.includes('read-write') || undefined, 'the lead to be told it may write');

    const before = await lastSeq();
    typeText(member.doc, ' GEKLADDER');
    await waitFor(() => member.denied.includes('read-only') || undefined, 'the member to be told it only reads');
    await sleep(300);
    expect(await lastSeq()).toBe(before);
    expect(textOf(lead.doc)).not.toContain('GEKLADDER');
  });

  it('downgrades the authors on every instance when the portrait is submitted, and refuses what they type after', async () => {
    const lead = connect(instances[0], await ticketFor('lead'));
    const coAuthor = connect(instances[1], await ticketFor('coAuthor'));
    await Promise.all([synced(lead), synced(coAuthor)]);
    await waitFor(() => (lead.accessModes.at(-1) === 'read-write' && coAuthor.accessModes.at(-1) === 'read-write') || undefined, 'both to be told they may write');

    await people.lead.client.data(TRANSITION, { id: portraitId, action: 'SUBMIT' });
    await waitFor(() => (lead.accessModes.at(-1) === 'read-only' && coAuthor.accessModes.at(-1) === 'read-only') || undefined, 'both instances to downgrade their authors', { timeoutMs: 3000 });
    expect(lead.denied).toContain('read-only');
    expect(lead.closes).toEqual([]);

    const before = await lastSeq();
    typeText(coAuthor.doc, ' NA HET INDIENEN');
    await waitFor(() => coAuthor.denied.includes('read-only') || undefined, 'the refusal');
    await sleep(300);
    expect(await lastSeq()).toBe(before);
    expect(textOf(lead.doc)).not.toContain('NA HET INDIENEN');

    // The editor opens the review: now the editor writes and the authors still read.
    await people.editor.client.data(TRANSITION, { id: portraitId, action: 'START_REVIEW' });
    const editor = connect(instances[1], await ticketFor('editor'));
    await synced(editor);
    await waitFor(() => editor.accessModes.at(-1) === 'read-write' || undefined, 'the editor to write during review');
    typeText(editor.doc, ' (redactie)');
    await waitFor(() => textOf(lead.doc).includes('(redactie)') || undefined, 'the lead to read the editor\u2019s change');
    expect(lead.accessModes.at(-1)).toBe('read-only');
  });

  it('closes the connection of an author taken off the team, on whichever instance it is', async () => {
    await people.editor.client.data(TRANSITION, { id: portraitId, action: 'REQUEST_CHANGES' });
    const coAuthor = connect(instances[1], await ticketFor('coAuthor'));
    await synced(coAuthor);
    await waitFor(() => coAuthor.accessModes.at(-1) === 'read-write' || undefined, 'the co-author to write again while handling requested changes');

    await people.editor.client.data(SET_TEAM, { id: portraitId, team: { leadAuthorId: people.lead.id, coAuthorIds: [], editorId: people.editor.id } });
    // Still a member of the project: reads on, writes no more.
    await waitFor(() => coAuthor.accessModes.at(-1) === 'read-only' || undefined, 'the former co-author to be downgraded', { timeoutMs: 3000 });

    await app.dataSource.query(`DELETE FROM project_memberships WHERE user_id = $1`, [people.coAuthor.id]);
    await people.editor.client.data(SET_TEAM, { id: portraitId, team: { leadAuthorId: people.lead.id, coAuthorIds: [], editorId: null } });
    await waitFor(() => coAuthor.closes.some((c) => c.code === CloseCode.forbidden) || undefined, 'the connection of someone without access to be closed', { timeoutMs: 3000 });
  });

  it('downgrades and closes connections to several documents by its periodic re-check when no change was announced', async () => {
    const checking = await startCollabProcess({ database: app.database, prefix: app.config.redisPrefix }, { env: { COLLAB_ACCESS_RECHECK_SECONDS: '1' } });
    instances.push(checking);
    const [{ project_id: projectId }] = await app.dataSource.query(`SELECT project_id FROM portraits WHERE id = $1`, [portraitId]);
    const drafting = async (name: string): Promise<string> => {
      const [candidate] = await app.dataSource.query(`INSERT INTO candidates (project_id, name, status, match_key, surname_key) VALUES ($1, $2, 'SELECTED', $2, $2) RETURNING id`, [projectId, name]);
      const id = (await people.editor.client.data<{ createPortrait: { id: string } }>(`mutation($c: ID!) { createPortrait(candidateId: $c) { id } }`, { c: candidate.id })).createPortrait.id;
      await people.editor.client.data(SET_TEAM, { id, team: { leadAuthorId: people.lead.id, coAuthorIds: [], editorId: null } });
      await people.editor.client.data(TRANSITION, { id, action: 'START_DRAFTING' });
      return id;
    };
    const [submitted, removed] = [await drafting('Multatuli'), await drafting('Thorbecke')];
    const ticket = async (id: string): Promise<Ticket> => (await people.lead.client.data<{ collabTicket: Ticket }>(TICKET, { id })).collabTicket;
    const [toSubmitted, toRemoved] = [connect(checking, await ticket(submitted)), connect(checking, await ticket(removed))];
    await Promise.all([synced(toSubmitted), synced(toRemoved)]);
    await waitFor(() => (toSubmitted.accessModes.at(-1) === 'read-write' && toRemoved.accessModes.at(-1) === 'read-write') || undefined, 'the lead to write in both');

    // Changed behind the API's back: nothing is announced, so only the re-check can find it.
    await app.dataSource.query(`UPDATE portraits SET status = 'SUBMITTED' WHERE id = $1`, [submitted]);
    await app.dataSource.query(`DELETE FROM portraits WHERE id = $1`, [removed]);
    await waitFor(() => toSubmitted.accessModes.at(-1) === 'read-only' || undefined, 'the lead to be downgraded within the interval', { timeoutMs: 4000 });
    await waitFor(() => toRemoved.closes.some((c) => c.code === CloseCode.unknownDocument) || undefined, 'the connection to a document that is gone to be closed', { timeoutMs: 4000 });
    expect(toSubmitted.closes).toEqual([]);
  });

  it('refuses forged, expired and other documents\u2019 tickets', async () => {
    const real = await ticketFor('lead');
    const [version, payload, signature] = real.ticket.split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ u: people.editor.id, d: documentName, e: Date.now() + 60_000 })).toString('base64url');
    const cases = [
      `${version}.${forgedPayload}.${signature}`,
      `${version}.${payload}.${Buffer.from('not the signature').toString('base64url')}`,
      signTicket('some-other-installation-secret-0123456789', { userId: people.lead.id, documentName, expiresAt: Date.now() + 60_000 }),
      signTicket(TEST_TICKET_SECRET, { userId: people.lead.id, documentName, expiresAt: Date.now() - 1 }),
      signTicket(TEST_TICKET_SECRET, { userId: people.lead.id, documentName: `portrait:${people.lead.id}`, expiresAt: Date.now() + 60_000 }),
      '',
    ];
    for (const bad of cases) {
      const client = connectClient(instances[0].url, documentName, bad);
      clients.push(client);
      await waitFor(() => client.closes.length > 0 || undefined, 'the connection to be closed');
      expect(client.closes[0].code).toBe(CloseCode.ticketRefused);
      expect(client.provider.synced).toBe(false);
      expect(client.doc.store.clients.size).toBe(0);
    }
  });

  it('refuses a ticket once it has expired', async () => {
    const expiring = await startTestApp({ label: 'collabttl', env: { COLLAB_TICKET_SECRET: TEST_TICKET_SECRET, COLLAB_TICKET_TTL_SECONDS: '5' } });
    try {
      const { user, client } = await expiring.person([ProjectRole.EDITOR], await expiring.project());
      const projectId = (await expiring.dataSource.query(`SELECT project_id FROM project_memberships WHERE user_id = $1`, [user.id]))[0].project_id;
      const [candidate] = await expiring.dataSource.query(`INSERT INTO candidates (project_id, name, status, match_key, surname_key) VALUES ($1, 'Thorbecke', 'SELECTED', 'thorbecke', 'thorbecke') RETURNING id`, [projectId]);
      const id = (await client.data<{ createPortrait: { id: string } }>(`mutation($c: ID!) { createPortrait(candidateId: $c) { id } }`, { c: candidate.id })).createPortrait.id;
      const t = (await client.data<{ collabTicket: Ticket }>(TICKET, { id })).collabTicket;
      const collab = await startCollabProcess({ database: expiring.database, prefix: expiring.config.redisPrefix });
      try {
        const early = connectClient(collab.url, t.documentName, t.ticket);
        clients.push(early);
        await synced(early);
        await waitFor(() => Date.now() > new Date(t.expiresAt).getTime() || undefined, 'the ticket to expire', { timeoutMs: 10_000 });
        const late = connectClient(collab.url, t.documentName, t.ticket);
        clients.push(late);
        await waitFor(() => late.closes.length > 0 || undefined, 'the late connection to be refused');
        expect(late.closes[0].code).toBe(CloseCode.ticketRefused);
        // A connection opened in time stays open: the ticket opens connections, access keeps them.
        expect(early.provider.wsconnected).toBe(true);
      } finally {
        await collab.stop();
      }
    } finally {
      await expiring.close();
    }
  });

  it('keeps the document as it was after all of this: nothing refused was stored', async () => {
    const stored = new Y.Doc();
    Y.applyUpdate(stored, (await new DocumentStore(sqlOfManager(app.dataSource.manager)).currentState(documentName)).state);
    const text = textOf(stored);
    expect(text).toContain('medicijnen');
    expect(text).toContain('(redactie)');
    expect(text).not.toContain('GEKLADDER');
    expect(text).not.toContain('NA HET INDIENEN');
  });
});
