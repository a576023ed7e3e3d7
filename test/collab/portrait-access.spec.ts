import { randomUUID } from 'node:crypto';
import { AccessMode, UnknownDocument } from '@quire/collab-core';
import { ProjectRole } from '@quire/core';
import { PortraitCollabAuthorizer, portraitDocumentName, portraitIdOf, PortraitsService, PortraitStatus } from '@quire/domain/manuscripts';
import { startTestApp, TestApp } from '@quire/testing';

/**
 * The collab service's access rules for many portraits in one call (its periodic re-check) give
 * the same answers as asking about each portrait alone (admission, an announced change) and as
 * the API's `myAccess` of each person (what their ticket says).
 */
describe('portrait access for many documents at once', () => {
  let app: TestApp;
  let authorizer: PortraitCollabAuthorizer;
  const people: Record<'editor' | 'lead' | 'coAuthor' | 'member' | 'outsider' | 'admin' | 'otherEditor', string> = {} as never;
  const documents: Record<string, string> = {};

  beforeAll(async () => {
    app = await startTestApp({ label: 'portraitaccess' });
    authorizer = app.app.get(PortraitCollabAuthorizer);
    const [project, other] = [await app.project(), await app.project('other')];
    const person = async (roles: ProjectRole[], inProject = project, installationAdmin = false): Promise<string> =>
      (await app.person(roles, roles.length ? inProject : undefined, { installationAdmin })).user.id;
    people.editor = await person([ProjectRole.EDITOR]);
    people.lead = await person([ProjectRole.AUTHOR]);
    people.coAuthor = await person([ProjectRole.AUTHOR]);
    people.member = await person([ProjectRole.MEMBER]);
    people.outsider = await person([]);
    people.admin = await person([], project, true);
    people.otherEditor = await person([ProjectRole.EDITOR], other);
    const portrait = async (projectId: string, status: PortraitStatus, team: { lead?: string; coAuthors?: string[]; editor?: string }): Promise<string> => {
      const [candidate] = await app.dataSource.query(
        `INSERT INTO candidates (project_id, name, status, match_key, surname_key) VALUES ($1, $2, 'SELECTED', 'x', 'x') RETURNING id`, [projectId, `Kandidaat ${randomUUID()}`],
      );
      const [{ id }] = await app.dataSource.query(
        `INSERT INTO portraits (project_id, candidate_id, status, lead_author_id, editor_id) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [projectId, candidate.id, status, team.lead ?? null, team.editor ?? null],
      );
      for (const coAuthor of team.coAuthors ?? []) await app.dataSource.query(`INSERT INTO portrait_co_authors (portrait_id, user_id) VALUES ($1, $2)`, [id, coAuthor]);
      return portraitDocumentName(id);
    };
    documents.drafting = await portrait(project.id, 'DRAFTING', { lead: people.lead, coAuthors: [people.coAuthor], editor: people.editor });
    documents.draftingAlone = await portrait(project.id, 'DRAFTING', { lead: people.coAuthor });
    documents.inReview = await portrait(project.id, 'IN_REVIEW', { lead: people.lead, editor: people.member });
    documents.changesRequested = await portrait(project.id, 'CHANGES_REQUESTED', { lead: people.lead, coAuthors: [people.coAuthor] });
    documents.final = await portrait(project.id, 'FINAL', { lead: people.lead, coAuthors: [people.coAuthor], editor: people.editor });
    documents.unassigned = await portrait(project.id, 'UNASSIGNED', {});
    documents.otherProject = await portrait(other.id, 'IN_REVIEW', { lead: people.lead });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('answers each document as the single-document check does, in one call', async () => {
    const everyone = [...Object.values(people), 'not-a-uuid', randomUUID()];
    const asked = new Map(Object.values(documents).map((name) => [name, everyone]));
    const gone = portraitDocumentName(randomUUID());
    asked.set(gone, everyone);
    asked.set('notes:elsewhere', everyone);
    asked.set(documents.unassigned, []);

    const many = await authorizer.accessToMany(asked);

    const portraits = app.app.get(PortraitsService);
    const myAccess = async (name: string, userId: string): Promise<AccessMode | undefined> =>
      portraits.accessOf({ kind: 'user', userId, installationAdmin: userId === people.admin }, portraitIdOf(name) ?? '').then(({ mode }) => mode, () => undefined);
    for (const name of Object.values(documents)) {
      expect([name, many.get(name)]).toEqual([name, await authorizer.access(name, asked.get(name) ?? [])]);
      if (name === documents.unassigned) continue;
      for (const id of Object.values(people)) expect([name, id, many.get(name)?.get(id)]).toEqual([name, id, await myAccess(name, id)]);
    }
    for (const name of [gone, 'notes:elsewhere']) {
      expect(many.has(name)).toBe(false);
      await expect(authorizer.access(name, everyone)).rejects.toBeInstanceOf(UnknownDocument);
    }
    const modes = (name: string): Record<string, AccessMode> =>
      Object.fromEntries(Object.entries(people).flatMap(([who, id]) => (many.get(name)?.has(id) ? [[who, many.get(name)?.get(id) as AccessMode]] : [])));
    expect(modes(documents.drafting)).toEqual({ lead: 'read-write', coAuthor: 'read-write', editor: 'read-only', member: 'read-only', admin: 'read-only' });
    expect(modes(documents.draftingAlone)).toEqual({ lead: 'read-only', coAuthor: 'read-write', editor: 'read-only', member: 'read-only', admin: 'read-only' });
    // In review: the portrait's editor (here a member) and the project's editors, installation admins among them.
    expect(modes(documents.inReview)).toEqual({ lead: 'read-only', coAuthor: 'read-only', editor: 'read-write', member: 'read-write', admin: 'read-write' });
    expect(modes(documents.changesRequested)).toEqual({ lead: 'read-write', coAuthor: 'read-write', editor: 'read-only', member: 'read-only', admin: 'read-only' });
    expect(modes(documents.final)).toEqual({ lead: 'read-only', coAuthor: 'read-only', editor: 'read-only', member: 'read-only', admin: 'read-only' });
    expect(modes(documents.unassigned)).toEqual({});
    // Another project's portrait: only its own people (and installation admins) reach it.
    expect(modes(documents.otherProject)).toEqual({ otherEditor: 'read-write', admin: 'read-write' });
  });

  it('asks nothing of the database for names that name no portrait', async () => {
    expect(await authorizer.accessToMany(new Map([['notes:elsewhere', [people.member]]]))).toEqual(new Map());
  });
});
