import { GraphQLSchemaHost } from '@nestjs/graphql';
import { ProjectRole } from '@quire/core';
import { Project } from '@quire/domain/projects';
import { describePermissions, GraphQLClient, PermissionCase, rootHandlers, startTestApp, TestApp } from '@quire/testing';
import { anonymous, freshEmail, OPS } from './helpers';

/**
 * Every mutation (and every non-public query) of the identity and projects contexts, called by
 * every kind of caller that must be refused: the code says why, and no table changes. The lowest
 * role that may call it then succeeds, so a refusal can never be a broken query in disguise.
 */
type Caller = 'anonymous' | 'outsider' | 'member' | 'author' | 'editor' | 'admin' | 'installationAdmin';

interface Fixture {
  project: Project;
  clients: Record<Caller, GraphQLClient>;
  /** A fresh MEMBER of the project whose roles the case may change. */
  target(): Promise<string>;
}

type Case = PermissionCase<Fixture, Caller>;

const UNAUTHENTICATED = 'UNAUTHENTICATED';
const FORBIDDEN = 'FORBIDDEN';
const NOT_ADMIN = { anonymous: UNAUTHENTICATED, outsider: FORBIDDEN, member: FORBIDDEN, author: FORBIDDEN, editor: FORBIDDEN };
const NOT_EDITOR = { anonymous: UNAUTHENTICATED, outsider: FORBIDDEN, member: FORBIDDEN, author: FORBIDDEN };

let slugs = 0;
const CASES: Case[] = [
  {
    operation: 'createProject',
    query: OPS.createProject,
    variables: async () => ({ input: { slug: `perm-book-${++slugs}`, title: 'A book' } }),
    // A project admin runs one project; creating projects is the installation's business.
    refused: { ...NOT_ADMIN, admin: FORBIDDEN },
    allowed: 'installationAdmin',
  },
  {
    operation: 'updateProject',
    query: OPS.updateProject,
    variables: async (f) => ({ id: f.project.id, input: { title: 'Another title' } }),
    refused: NOT_ADMIN,
    allowed: 'admin',
  },
  ...[ProjectRole.MEMBER, ProjectRole.AUTHOR].map((role): Case => ({
    operation: `inviteMember as ${role}`,
    query: OPS.inviteMember,
    variables: async (f) => ({ projectId: f.project.id, input: { email: freshEmail(), roles: [role] } }),
    refused: NOT_EDITOR,
    allowed: 'editor',
  })),
  ...[ProjectRole.EDITOR, ProjectRole.ADMIN].map((role): Case => ({
    operation: `inviteMember as ${role}`,
    query: OPS.inviteMember,
    variables: async (f) => ({ projectId: f.project.id, input: { email: freshEmail(), roles: [ProjectRole.MEMBER, role] } }),
    refused: NOT_ADMIN,
    allowed: 'admin',
  })),
  {
    operation: 'setMemberRoles',
    query: OPS.setMemberRoles,
    variables: async (f) => ({ projectId: f.project.id, userId: await f.target(), roles: [ProjectRole.MEMBER, ProjectRole.EDITOR] }),
    refused: NOT_ADMIN,
    allowed: 'admin',
  },
  {
    operation: 'setMemberRoles to remove a member',
    query: OPS.setMemberRoles,
    variables: async (f) => ({ projectId: f.project.id, userId: await f.target(), roles: [] }),
    refused: NOT_ADMIN,
    allowed: 'admin',
  },
  {
    operation: 'updateMyProfile',
    query: OPS.updateMyProfile,
    variables: async () => ({ input: { displayName: 'New name' } }),
    refused: { anonymous: UNAUTHENTICATED },
    allowed: 'member',
  },
  {
    operation: 'auditEvents',
    query: OPS.auditEvents,
    variables: async (f) => ({ projectId: f.project.id }),
    refused: NOT_ADMIN,
    allowed: 'admin',
  },
  {
    operation: 'invitations',
    query: OPS.invitations,
    variables: async (f) => ({ projectId: f.project.id }),
    refused: NOT_EDITOR,
    allowed: 'editor',
  },
  {
    operation: 'members',
    query: OPS.members,
    variables: async (f) => ({ projectId: f.project.id }),
    refused: { anonymous: UNAUTHENTICATED, outsider: FORBIDDEN },
    allowed: 'member',
  },
  {
    operation: 'project',
    query: OPS.project,
    variables: async (f) => ({ slug: f.project.slug }),
    // Outsiders are told the project does not exist, so its name does not leak either.
    refused: { anonymous: UNAUTHENTICATED, outsider: 'NOT_FOUND' },
    allowed: 'member',
  },
];

/**
 * Mutations anyone may call: what refuses them is a credential or a token, not a role, and their
 * refusals are proven where those live (auth.spec.ts, invitations.spec.ts).
 */
const PUBLIC_MUTATIONS = ['signIn', 'signOut', 'signUp', 'requestPasswordReset', 'resetPassword', 'acceptInvitation'];

describe('permissions', () => {
  let t: TestApp;
  let f: Fixture;

  beforeAll(async () => {
    t = await startTestApp({ label: 'permissions' });
    const project = await t.project();
    const as = async (roles: ProjectRole[], extra?: { installationAdmin: boolean }) => (await t.person(roles, roles.length ? project : undefined, extra)).client;
    f = {
      project,
      clients: {
        anonymous: anonymous(t),
        outsider: await as([]),
        member: await as([ProjectRole.MEMBER]),
        author: await as([ProjectRole.MEMBER, ProjectRole.AUTHOR]),
        editor: await as([ProjectRole.MEMBER, ProjectRole.EDITOR]),
        admin: await as([ProjectRole.ADMIN]),
        installationAdmin: await as([], { installationAdmin: true }),
      },
      target: async () => (await t.person([ProjectRole.MEMBER], project)).user.id,
    };
  });
  afterAll(async () => { await t?.close(); });

  describePermissions(() => t, () => f, CASES);

  it('covers every mutation of the identity and projects contexts', () => {
    const covered = new Set([...CASES.map((c) => c.operation.split(' ')[0]), ...PUBLIC_MUTATIONS]);
    const mutations = rootHandlers(t.app)
      .filter((h) => h.type === 'Mutation' && ['IdentityResolver', 'ProjectsResolver'].includes(h.resolver))
      .map((h) => h.field);
    expect(mutations).toEqual(expect.arrayContaining(['signIn', 'inviteMember', 'updateProject']));
    expect(mutations.filter((name) => !covered.has(name))).toEqual([]);
  });

  it('denies by default: every query, mutation and subscription declares who may call it', () => {
    const schema = t.app.get(GraphQLSchemaHost).schema;
    const handlers = rootHandlers(t.app);
    const rootFields = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].flatMap((type) =>
      Object.keys(type?.getFields() ?? {}).map((field) => ({ type: type?.name, field })),
    );
    const undeclared = rootFields.filter(({ type, field }) => !handlers.find((h) => h.type === type && h.field === field)?.access);
    expect(rootFields.length).toBeGreaterThan(10);
    expect(undeclared).toEqual([]);
  });
});
