import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { ProjectRole } from '@quire/core';
import { expectRefused, GraphQLClient, setWordLimits, startTestApp, TestApp, waitFor } from '@quire/testing';
import { CollabProcess, connectClient, startCollabProcess, synced, TEST_TICKET_SECRET, TestClient, textOf } from './support';

const PORTRAIT = `fragment P on Portrait { id status candidateName myAccess myActions wordCount headings { level text } leadAuthor { id } coAuthors { id } editor { id } }`;
const CREATE = `mutation($c: ID!) { createPortrait(candidateId: $c) { ...P } } ${PORTRAIT}`;
const SET_TEAM = `mutation($id: ID!, $team: PortraitTeamInput!) { setPortraitTeam(portraitId: $id, team: $team) { ...P } } ${PORTRAIT}`;
const TRANSITION = `mutation($id: ID!, $action: PortraitAction!) { transitionPortrait(portraitId: $id, action: $action) { ...P } } ${PORTRAIT}`;
const GET = `query($id: ID!) { portrait(id: $id) { ...P } } ${PORTRAIT}`;
const VERSIONS = `query($id: ID!) { portraitVersions(portraitId: $id) { id kind label createdBy { id } } }`;
const SAVE_VERSION = `mutation($id: ID!, $label: String!) { createPortraitVersion(portraitId: $id, input: { label: $label }) { id kind label } }`;
const RESTORE = `mutation($id: ID!, $v: ID!) { restorePortraitVersion(portraitId: $id, versionId: $v) { id } }`;
const TICKET = `mutation($id: ID!) { collabTicket(portraitId: $id) { ticket documentName access } }`;
const CHANGED = `subscription($id: ID!) { portraitChanged(portraitId: $id) { id status myAccess myActions versions { label } } }`;

type Person = { id: string; client: GraphQLClient; token: string };
type Refusal = { extensions?: Record<string, unknown> };
type Pushed = { status: string; myAccess: string; myActions: string[]; versions: { label: string }[] };

/** Portraits through the GraphQL API: team, workflow and its guards, audit, versions, derived text. */
describe('portraits (GraphQL)', () => {
  let app: TestApp;
  let collab: CollabProcess;
  const clients: TestClient[] = [];
  let projectId: string;
  let editor: Person, lead: Person, coAuthor: Person, member: Person, outsider: Person, otherAuthor: Person;

  const person = async (roles: ProjectRole[], inProject = true): Promise<Person> => {
    const { user, client, token } = await app.person(roles, inProject ? ({ id: projectId } as never) : undefined);
    return { id: user.id, client, token };
  };
  const candidate = async (status = 'SELECTED'): Promise<string> =>
    (await app.dataSource.query(`INSERT INTO candidates (project_id, name, status, match_key, surname_key) VALUES ($1, $2, $3, 'x', 'x') RETURNING id`, [projectId, `Kandidaat ${Date.now()}${Math.random()}`, status]))[0].id;

  beforeAll(async () => {
    app = await startTestApp({ label: 'portraits', env: { COLLAB_TICKET_SECRET: TEST_TICKET_SECRET } });
    projectId = (await app.project()).id;
    // The workflow runs without text here; one test sets limits of its own.
    await setWordLimits(app.dataSource, projectId, 0);
    [editor, lead, coAuthor, member, otherAuthor] = await Promise.all([
      person([ProjectRole.EDITOR]), person([ProjectRole.AUTHOR]), person([ProjectRole.AUTHOR]), person([ProjectRole.MEMBER]), person([ProjectRole.AUTHOR]),
    ]);
    outsider = await person([ProjectRole.AUTHOR], false);
    collab = await startCollabProcess({ database: app.database, prefix: app.config.redisPrefix });
  });

  afterAll(async () => {
    for (const client of clients) client.destroy();
    await collab?.stop();
    await app?.close();
  });

  it('makes portraits of selected candidates only, once, for editors only', async () => {
    expect(await editor.client.errorCode(CREATE, { c: await candidate('SHORTLISTED') })).toBe('INVALID_TRANSITION');
    const c = await candidate();
    expect(await lead.client.errorCode(CREATE, { c })).toBe('FORBIDDEN');
    expect(await outsider.client.errorCode(CREATE, { c })).toBe('NOT_FOUND');
    const made = (await editor.client.data<{ createPortrait: { status: string; myAccess: string; myActions: string[] } }>(CREATE, { c })).createPortrait;
    expect(made).toMatchObject({ status: 'UNASSIGNED', myAccess: 'READ_ONLY', myActions: [] });
    expect(await editor.client.errorCode(CREATE, { c })).toBe('CONFLICT');
  });

  it('runs the workflow with its guards, audit and automatic versions', async () => {
    const id = (await editor.client.data<{ createPortrait: { id: string } }>(CREATE, { c: await candidate() })).createPortrait.id;
    expect(await editor.client.errorCode(TRANSITION, { id, action: 'START_DRAFTING' })).toBe('BAD_USER_INPUT');

    // The team: a lead and co-authors with the AUTHOR role, an editor with the EDITOR role.
    const bad = [
      { leadAuthorId: member.id, coAuthorIds: [] },
      { leadAuthorId: lead.id, coAuthorIds: [lead.id] },
      { leadAuthorId: lead.id, coAuthorIds: [outsider.id] },
      { leadAuthorId: lead.id, coAuthorIds: [], editorId: lead.id },
    ];
    for (const team of bad) expect(await editor.client.errorCode(SET_TEAM, { id, team })).toBe('BAD_USER_INPUT');
    expect(await lead.client.errorCode(SET_TEAM, { id, team: { leadAuthorId: lead.id, coAuthorIds: [] } })).toBe('FORBIDDEN');
    const team = { leadAuthorId: lead.id, coAuthorIds: [coAuthor.id], editorId: editor.id };
    await editor.client.data(SET_TEAM, { id, team });

    const step = async (who: Person, action: string): Promise<{ status: string; myAccess: string; myActions: string[] }> =>
      (await who.client.data<{ transitionPortrait: { status: string; myAccess: string; myActions: string[] } }>(TRANSITION, { id, action })).transitionPortrait;
    expect(await lead.client.errorCode(TRANSITION, { id, action: 'START_DRAFTING' })).toBe('FORBIDDEN');
    expect((await step(editor, 'START_DRAFTING')).status).toBe('DRAFTING');
    expect((await lead.client.data<{ portrait: { myAccess: string; myActions: string[] } }>(GET, { id })).portrait).toMatchObject({ myAccess: 'READ_WRITE', myActions: ['SUBMIT'] });
    expect((await member.client.data<{ portrait: { myAccess: string } }>(GET, { id })).portrait.myAccess).toBe('READ_ONLY');
    expect(await otherAuthor.client.errorCode(TRANSITION, { id, action: 'SUBMIT' })).toBe('FORBIDDEN');
    expect(await member.client.errorCode(TRANSITION, { id, action: 'SUBMIT' })).toBe('FORBIDDEN');
    expect(await editor.client.errorCode(TRANSITION, { id, action: 'APPROVE' })).toBe('INVALID_TRANSITION');
    expect(await outsider.client.errorCode(TRANSITION, { id, action: 'SUBMIT' })).toBe('NOT_FOUND');

    expect(await step(coAuthor, 'SUBMIT')).toMatchObject({ status: 'SUBMITTED', myAccess: 'READ_ONLY' });
    expect(await coAuthor.client.errorCode(TRANSITION, { id, action: 'START_REVIEW' })).toBe('FORBIDDEN');
    expect(await step(editor, 'START_REVIEW')).toMatchObject({ status: 'IN_REVIEW', myAccess: 'READ_WRITE' });
    expect((await step(editor, 'REQUEST_CHANGES')).status).toBe('CHANGES_REQUESTED');
    expect((await lead.client.data<{ portrait: { myAccess: string } }>(GET, { id })).portrait.myAccess).toBe('READ_WRITE');
    await step(lead, 'SUBMIT');
    await step(editor, 'START_REVIEW');
    expect((await step(editor, 'APPROVE')).status).toBe('APPROVED');
    expect((await step(editor, 'REOPEN')).status).toBe('IN_REVIEW');
    await step(editor, 'APPROVE');
    expect(await step(editor, 'FINALIZE')).toMatchObject({ status: 'FINAL', myAccess: 'READ_ONLY', myActions: [] });
    expect(await editor.client.errorCode(SET_TEAM, { id, team })).toBe('INVALID_TRANSITION');
    expect(await editor.client.errorCode(TRANSITION, { id, action: 'REOPEN' })).toBe('INVALID_TRANSITION');

    const versions = (await member.client.data<{ portraitVersions: { kind: string; createdBy: { id: string } }[] }>(VERSIONS, { id })).portraitVersions;
    expect(versions.map((v) => v.kind)).toEqual(['APPROVED', 'APPROVED', 'SUBMITTED', 'SUBMITTED']);
    expect(versions.at(-1)?.createdBy.id).toBe(coAuthor.id);

    const audit: { action: string; data: { action?: string } }[] = await app.dataSource.query(
      `SELECT action, data FROM audit_events WHERE entity_type = 'portrait' AND entity_id = $1 ORDER BY seq`, [id],
    );
    expect(audit.filter((a) => a.action === 'portrait.transitioned').map((a) => a.data.action)).toEqual([
      'START_DRAFTING', 'SUBMIT', 'START_REVIEW', 'REQUEST_CHANGES', 'SUBMIT', 'START_REVIEW', 'APPROVE', 'REOPEN', 'APPROVE', 'FINALIZE',
    ]);
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['portrait.created', 'portrait.team_set', 'portrait.version_created']));
  });

  it('extracts word count and headings from the text, and restores a version live for everyone connected', async () => {
    const id = (await editor.client.data<{ createPortrait: { id: string } }>(CREATE, { c: await candidate() })).createPortrait.id;
    await editor.client.data(SET_TEAM, { id, team: { leadAuthorId: lead.id, coAuthorIds: [], editorId: null } });
    await editor.client.data(TRANSITION, { id, action: 'START_DRAFTING' });
    const t = (await lead.client.data<{ collabTicket: { ticket: string; documentName: string } }>(TICKET, { id })).collabTicket;
    const writer = connectClient(collab.url, t.documentName, t.ticket);
    const readerTicket = (await member.client.data<{ collabTicket: { ticket: string; access: string } }>(TICKET, { id })).collabTicket;
    expect(readerTicket.access).toBe('READ_ONLY');
    const reader = connectClient(collab.url, t.documentName, readerTicket.ticket);
    clients.push(writer, reader);
    await Promise.all([synced(writer), synced(reader)]);

    writer.doc.transact(() => {
      const heading = new Y.XmlElement('heading');
      heading.setAttribute('level', '2' as never);
      heading.insert(0, [new Y.XmlText('Jeugd in Zwolle')]);
      const paragraph = new Y.XmlElement('paragraph');
      paragraph.insert(0, [new Y.XmlText('Thorbecke werd in 1798 geboren.')]);
      writer.doc.getXmlFragment('default').insert(0, [heading, paragraph]);
    });
    const portrait = await waitFor(async () => {
      const p = (await lead.client.data<{ portrait: { wordCount: number; headings: { level: number; text: string }[] } }>(GET, { id })).portrait;
      return p.wordCount > 0 ? p : undefined;
    }, 'the word count to be extracted');
    expect(portrait).toMatchObject({ wordCount: 8, headings: [{ level: 2, text: 'Jeugd in Zwolle' }] });

    const saved = (await lead.client.data<{ createPortraitVersion: { id: string; kind: string; label: string } }>(SAVE_VERSION, { id, label: '  Eerste opzet ' })).createPortraitVersion;
    expect(saved).toMatchObject({ kind: 'MANUAL', label: 'Eerste opzet' });
    expect(await member.client.errorCode(SAVE_VERSION, { id, label: 'x' })).toBe('FORBIDDEN');
    expect(await lead.client.errorCode(SAVE_VERSION, { id, label: '   ' })).toBe('BAD_USER_INPUT');
    const versionText = textOf(writer.doc);

    writer.doc.getXmlFragment('default').delete(0, 1);
    await waitFor(() => textOf(reader.doc) === textOf(writer.doc) || undefined, 'the reader to see the heading go');

    expect(await member.client.errorCode(RESTORE, { id, v: saved.id })).toBe('FORBIDDEN');
    await lead.client.data(RESTORE, { id, v: saved.id });
    await waitFor(() => (textOf(writer.doc) === versionText && textOf(reader.doc) === versionText) || undefined, 'both connected clients to get the restored text');
    const kinds = (await lead.client.data<{ portraitVersions: { kind: string }[] }>(VERSIONS, { id })).portraitVersions.map((v) => v.kind);
    expect(kinds).toEqual(['BEFORE_RESTORE', 'MANUAL']);
  });

  it('refuses to submit or make final a portrait whose stored word count is outside the limits, saying the count and the limits, and changes nothing', async () => {
    // Earlier tests' documents: their derived text and unloading must not land between a refused call's snapshots.
    for (const client of clients.splice(0)) client.destroy();
    await waitFor(async () => (await collab.metrics())['quire_collab_open_documents'] === 0 || undefined, 'the collab service to unload every document');
    const id = (await editor.client.data<{ createPortrait: { id: string } }>(CREATE, { c: await candidate() })).createPortrait.id;
    await editor.client.data(SET_TEAM, { id, team: { leadAuthorId: lead.id, coAuthorIds: [], editorId: null } });
    await editor.client.data(TRANSITION, { id, action: 'START_DRAFTING' });
    await setWordLimits(app.dataSource, projectId, 5, 7);
    try {
      const empty = await expectRefused(app, lead.client, TRANSITION, { id, action: 'SUBMIT' }, 'WORD_LIMIT');
      expect(empty.errors?.[0]).toMatchObject({
        message: 'The portrait has 0 words; it needs 5 to 7 words to be submitted',
        extensions: { code: 'WORD_LIMIT', wordCount: 0, wordLimitMin: 5, wordLimitMax: 7, action: 'SUBMIT' },
      });
      // Editors submit on the authors' behalf under the same rule; who may not submit is told that first.
      await expectRefused(app, editor.client, TRANSITION, { id, action: 'SUBMIT' }, 'WORD_LIMIT');
      await expectRefused(app, member.client, TRANSITION, { id, action: 'SUBMIT' }, 'FORBIDDEN');

      const t = (await lead.client.data<{ collabTicket: { ticket: string; documentName: string } }>(TICKET, { id })).collabTicket;
      const writer = connectClient(collab.url, t.documentName, t.ticket);
      clients.push(writer);
      await synced(writer);
      const paragraph = new Y.XmlElement('paragraph');
      paragraph.insert(0, [new Y.XmlText('Aletta Jacobs werd de eerste vrouwelijke arts.')]);
      writer.doc.getXmlFragment('default').insert(0, [paragraph]);
      await waitFor(async () => (await lead.client.data<{ portrait: { wordCount: number } }>(GET, { id })).portrait.wordCount === 7 || undefined, 'the word count to be stored');

      expect((await lead.client.data<{ transitionPortrait: { status: string } }>(TRANSITION, { id, action: 'SUBMIT' })).transitionPortrait.status).toBe('SUBMITTED');
      for (const action of ['START_REVIEW', 'APPROVE']) await editor.client.data(TRANSITION, { id, action });
      // The editors raise the minimum before the portrait is made final.
      await setWordLimits(app.dataSource, projectId, 8, 20);
      const short = await expectRefused(app, editor.client, TRANSITION, { id, action: 'FINALIZE' }, 'WORD_LIMIT');
      expect(short.errors?.[0].message).toBe('The portrait has 7 words; it needs 8 to 20 words to be made final');
      await setWordLimits(app.dataSource, projectId, 1, 6);
      expect((await editor.client.request(TRANSITION, { id, action: 'FINALIZE' })).errors?.[0].message).toBe('The portrait has 7 words; it needs 1 to 6 words to be made final');
      await setWordLimits(app.dataSource, projectId, 7, 7);
      expect((await editor.client.data<{ transitionPortrait: { status: string } }>(TRANSITION, { id, action: 'FINALIZE' })).transitionPortrait.status).toBe('FINAL');
    } finally {
      await setWordLimits(app.dataSource, projectId, 0);
    }
  });

  /** A GraphQL subscription over a socket as `who`, with what it pushed and the errors it ended with. */
  function subscribe(who: Person, id: string): { pushes: Pushed[]; errors: Refusal[]; dispose(): Promise<void> } {
    const pushes: Pushed[] = [];
    const errors: Refusal[] = [];
    const socket = createClient({ url: `${app.url.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${who.token}` }, retryAttempts: 0 });
    socket.subscribe<{ portraitChanged: Pushed }>({ query: CHANGED, variables: { id } }, {
      next: (message) => {
        if (message.data) pushes.push(message.data.portraitChanged);
        errors.push(...(message.errors ?? []));
      },
      error: (error) => errors.push(...(Array.isArray(error) ? (error as Refusal[]) : [{ extensions: { error } }])),
      complete: () => undefined,
    });
    return { pushes, errors, dispose: () => socket.dispose() as Promise<void> };
  }

  it("pushes the portrait to whoever watches it after a workflow step or a saved version, as each may see it, and refuses people outside the project", async () => {
    const id = (await editor.client.data<{ createPortrait: { id: string } }>(CREATE, { c: await candidate() })).createPortrait.id;
    await editor.client.data(SET_TEAM, { id, team: { leadAuthorId: lead.id, coAuthorIds: [coAuthor.id], editorId: editor.id } });
    await editor.client.data(TRANSITION, { id, action: 'START_DRAFTING' });

    const refused = subscribe(outsider, id);
    await waitFor(() => refused.errors.length > 0, 'the refusal');
    expect(refused.errors[0].extensions?.code).toBe('NOT_FOUND');
    await refused.dispose();

    const coAuthorWatch = subscribe(coAuthor, id);
    const editorWatch = subscribe(editor, id);
    // Saves a version until both watchers got one: then both are listening.
    let saved = 0;
    await waitFor(async () => {
      await lead.client.data(SAVE_VERSION, { id, label: `Stap ${++saved}` });
      return coAuthorWatch.pushes.length > 0 && editorWatch.pushes.length > 0;
    }, 'both watchers to listen', { intervalMs: 200 });
    await waitFor(() => coAuthorWatch.pushes.at(-1)?.versions.some((v) => v.label === `Stap ${saved}`), 'the last version saved in the list pushed');

    await lead.client.data(TRANSITION, { id, action: 'SUBMIT' });
    const lastOf = (pushes: Pushed[]) => pushes.at(-1);
    await waitFor(() => lastOf(coAuthorWatch.pushes)?.status === 'SUBMITTED' && lastOf(editorWatch.pushes)?.status === 'SUBMITTED', 'the submitted portrait');
    expect(lastOf(coAuthorWatch.pushes)).toMatchObject({ myAccess: 'READ_ONLY', myActions: [] });
    expect(lastOf(editorWatch.pushes)?.myActions).toContain('START_REVIEW');
    expect([...coAuthorWatch.errors, ...editorWatch.errors]).toEqual([]);
    await Promise.all([coAuthorWatch.dispose(), editorWatch.dispose()]);
  });

  it('hides portraits and tickets from people outside the project', async () => {
    const id = (await editor.client.data<{ createPortrait: { id: string } }>(CREATE, { c: await candidate() })).createPortrait.id;
    expect(await outsider.client.errorCode(GET, { id })).toBe('NOT_FOUND');
    expect(await outsider.client.errorCode(TICKET, { id })).toBe('NOT_FOUND');
    expect(await outsider.client.errorCode(VERSIONS, { id })).toBe('NOT_FOUND');
    expect(await app.client.errorCode(TICKET, { id })).toBe('UNAUTHENTICATED');
  });
});
