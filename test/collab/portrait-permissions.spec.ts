import { ProjectRole } from '@quire/core';
import { anonymous, describePermissions, GraphQLClient, PermissionCase, rootHandlers, setWordLimits, startTestApp, TestApp } from '@quire/testing';

/**
 * Every mutation and query of portraits, called by every kind of caller that must be refused: the
 * code says why and no table changes; the lowest caller that may then succeeds.
 */
type Caller = 'anonymous' | 'outsider' | 'member' | 'author' | 'teamAuthor' | 'editor';

interface Fixture {
  projectId: string;
  clients: Record<Caller, GraphQLClient>;
  candidate(): Promise<string>;
  /** A fresh portrait with `teamAuthor` as its lead, moved to `status`. */
  portrait(status: 'UNASSIGNED' | 'DRAFTING'): Promise<string>;
  /** A drafting portrait with one saved version. */
  versioned(): Promise<{ id: string; versionId: string }>;
}

const OPS = {
  createPortrait: 'mutation($c: ID!) { createPortrait(candidateId: $c) { id } }',
  setPortraitTeam: 'mutation($id: ID!, $team: PortraitTeamInput!) { setPortraitTeam(portraitId: $id, team: $team) { id } }',
  transitionPortrait: 'mutation($id: ID!, $action: PortraitAction!) { transitionPortrait(portraitId: $id, action: $action) { id } }',
  createPortraitVersion: 'mutation($id: ID!) { createPortraitVersion(portraitId: $id, input: { label: "Opzet" }) { id } }',
  restorePortraitVersion: 'mutation($id: ID!, $v: ID!) { restorePortraitVersion(portraitId: $id, versionId: $v) { id } }',
  collabTicket: 'mutation($id: ID!) { collabTicket(portraitId: $id) { ticket } }',
  portraits: 'query($p: ID!) { portraits(projectId: $p) { id } }',
  portrait: 'query($id: ID!) { portrait(id: $id) { id } }',
  portraitVersions: 'query($id: ID!) { portraitVersions(portraitId: $id) { id } }',
  portraitVersionText: 'query($id: ID!, $v: ID!) { portraitVersionText(portraitId: $id, versionId: $v) }',
};

const UNAUTHENTICATED = 'UNAUTHENTICATED';
const FORBIDDEN = 'FORBIDDEN';
const NOT_FOUND = 'NOT_FOUND';

const CASES: PermissionCase<Fixture, Caller>[] = [
  {
    operation: 'createPortrait', query: OPS.createPortrait, variables: async (f) => ({ c: await f.candidate() }),
    refused: { anonymous: UNAUTHENTICATED, outsider: NOT_FOUND, member: FORBIDDEN, author: FORBIDDEN }, allowed: 'editor',
  },
  {
    operation: 'setPortraitTeam', query: OPS.setPortraitTeam, variables: async (f) => ({ id: await f.portrait('UNASSIGNED'), team: { leadAuthorId: null, coAuthorIds: [] } }),
    refused: { anonymous: UNAUTHENTICATED, outsider: NOT_FOUND, member: FORBIDDEN, author: FORBIDDEN, teamAuthor: FORBIDDEN }, allowed: 'editor',
  },
  {
    operation: 'transitionPortrait', query: OPS.transitionPortrait, variables: async (f) => ({ id: await f.portrait('UNASSIGNED'), action: 'START_DRAFTING' }),
    refused: { anonymous: UNAUTHENTICATED, outsider: NOT_FOUND, member: FORBIDDEN, author: FORBIDDEN, teamAuthor: FORBIDDEN }, allowed: 'editor',
  },
  {
    operation: 'transitionPortrait', query: OPS.transitionPortrait, variables: async (f) => ({ id: await f.portrait('DRAFTING'), action: 'SUBMIT' }),
    refused: { anonymous: UNAUTHENTICATED, outsider: NOT_FOUND, member: FORBIDDEN, author: FORBIDDEN }, allowed: 'teamAuthor',
  },
  {
    operation: 'createPortraitVersion', query: OPS.createPortraitVersion, variables: async (f) => ({ id: await f.portrait('DRAFTING') }),
    refused: { anonymous: UNAUTHENTICATED, outsider: NOT_FOUND, member: FORBIDDEN, author: FORBIDDEN }, allowed: 'teamAuthor',
  },
  {
    operation: 'restorePortraitVersion', query: OPS.restorePortraitVersion, variables: async (f) => { const { id, versionId } = await f.versioned(); return { id, v: versionId }; },
    // Restoring is writing: while drafting, not even an editor.
    refused: { anonymous: UNAUTHENTICATED, outsider: NOT_FOUND, member: FORBIDDEN, author: FORBIDDEN, editor: FORBIDDEN }, allowed: 'teamAuthor',
  },
  {
    operation: 'collabTicket', query: OPS.collabTicket, variables: async (f) => ({ id: await f.portrait('DRAFTING') }),
    refused: { anonymous: UNAUTHENTICATED, outsider: NOT_FOUND }, allowed: 'member',
  },
  { operation: 'portraits', query: OPS.portraits, variables: async (f) => ({ p: f.projectId }), refused: { anonymous: UNAUTHENTICATED, outsider: FORBIDDEN }, allowed: 'member' },
  { operation: 'portrait', query: OPS.portrait, variables: async (f) => ({ id: await f.portrait('UNASSIGNED') }), refused: { anonymous: UNAUTHENTICATED, outsider: NOT_FOUND }, allowed: 'member' },
  { operation: 'portraitVersions', query: OPS.portraitVersions, variables: async (f) => ({ id: await f.portrait('DRAFTING') }), refused: { anonymous: UNAUTHENTICATED, outsider: NOT_FOUND }, allowed: 'member' },
  {
    operation: 'portraitVersionText', query: OPS.portraitVersionText, variables: async (f) => { const { id, versionId } = await f.versioned(); return { id, v: versionId }; },
    refused: { anonymous: UNAUTHENTICATED, outsider: NOT_FOUND }, allowed: 'member',
  },
];

describe('portrait permissions', () => {
  let t: TestApp;
  let f: Fixture;

  beforeAll(async () => {
    t = await startTestApp({ label: 'portraitperms' });
    const project = await t.project();
    // Portraits are submitted and made final without text.
    await setWordLimits(t.dataSource, project.id, 0);
    const as = async (roles: ProjectRole[]) => t.person(roles, roles.length ? project : undefined);
    const teamAuthor = await as([ProjectRole.MEMBER, ProjectRole.AUTHOR]);
    const clients: Record<Caller, GraphQLClient> = {
      anonymous: anonymous(t),
      outsider: (await as([])).client,
      member: (await as([ProjectRole.MEMBER])).client,
      author: (await as([ProjectRole.MEMBER, ProjectRole.AUTHOR])).client,
      teamAuthor: teamAuthor.client,
      editor: (await as([ProjectRole.MEMBER, ProjectRole.EDITOR])).client,
    };
    const candidate = async (): Promise<string> =>
      (await t.dataSource.query(`INSERT INTO candidates (project_id, name, status, match_key, surname_key) VALUES ($1, 'K', 'SELECTED', 'k', 'k') RETURNING id`, [project.id]))[0].id;
    const portrait = async (status: 'UNASSIGNED' | 'DRAFTING'): Promise<string> => {
      const id = (await clients.editor.data<{ createPortrait: { id: string } }>(OPS.createPortrait, { c: await candidate() })).createPortrait.id;
      await clients.editor.data(OPS.setPortraitTeam, { id, team: { leadAuthorId: teamAuthor.user.id, coAuthorIds: [] } });
      if (status === 'DRAFTING') await clients.editor.data(OPS.transitionPortrait, { id, action: 'START_DRAFTING' });
      return id;
    };
    f = {
      projectId: project.id,
      clients,
      candidate,
      portrait,
      versioned: async () => {
        const id = await portrait('DRAFTING');
        const { createPortraitVersion } = await clients.teamAuthor.data<{ createPortraitVersion: { id: string } }>(OPS.createPortraitVersion, { id });
        return { id, versionId: createPortraitVersion.id };
      },
    };
  });

  afterAll(async () => {
    await t?.close();
  });

  describePermissions(() => t, () => f, CASES);

  it('covers every query and mutation of portraits', () => {
    const covered = new Set(CASES.map((c) => c.operation));
    // Subscriptions answer over a socket; portraitChanged's refusals are tested in portraits.spec.ts.
    const fields = rootHandlers(t.app).filter((h) => h.resolver === 'PortraitsResolver' && h.type !== 'Subscription').map((h) => h.field);
    expect(fields).toEqual(expect.arrayContaining(['createPortrait', 'collabTicket', 'portraits']));
    expect(fields.filter((name) => !covered.has(name))).toEqual([]);
  });
});
