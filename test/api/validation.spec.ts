import { randomUUID } from 'node:crypto';
import { ProjectRole } from '@quire/core';
import { Project } from '@quire/domain/projects';
import { dbSnapshot, GraphQLClient, startTestApp, TestApp } from '@quire/testing';
import { anonymous, expectRefused, invite, OPS } from './helpers';

/**
 * Bad input of every kind gets a typed error (extensions.code) and changes nothing: oversized
 * strings, wrong GraphQL types, malformed and unknown ids, bad e-mail addresses, unknown enum
 * values, forged cursors and page sizes out of range. Each call is made by someone who would be
 * allowed to make it with good input, so the refusal is about the input alone.
 */
type Caller = 'anonymous' | 'member' | 'admin' | 'installationAdmin';

interface Fixture {
  project: Project;
  memberId: string;
}

interface Case {
  name: string;
  caller: Caller;
  query: string;
  variables?: (f: Fixture) => Record<string, unknown>;
  code: string;
}

const BAD_USER_INPUT = 'BAD_USER_INPUT';
const long = (n: number) => 'x'.repeat(n);
const cursor = (parts: unknown[]) => Buffer.from(JSON.stringify(parts)).toString('base64url');

const CASES: Case[] = [
  // Oversized strings
  { name: 'a project title of 201 characters', caller: 'installationAdmin', query: OPS.createProject, variables: () => ({ input: { slug: 'long-title', title: long(201) } }), code: BAD_USER_INPUT },
  { name: 'a slug of 61 characters', caller: 'installationAdmin', query: OPS.createProject, variables: () => ({ input: { slug: 'a'.repeat(61), title: 'Book' } }), code: BAD_USER_INPUT },
  { name: 'a description of 5001 characters', caller: 'admin', query: OPS.updateProject, variables: (f) => ({ id: f.project.id, input: { description: long(5001) } }), code: BAD_USER_INPUT },
  { name: '51 allowed e-mail domains', caller: 'admin', query: OPS.updateProject, variables: (f) => ({ id: f.project.id, input: { allowedEmailDomains: Array.from({ length: 51 }, (_, i) => `d${i}.example.org`) } }), code: BAD_USER_INPUT },
  { name: 'an e-mail domain of 254 characters', caller: 'admin', query: OPS.updateProject, variables: (f) => ({ id: f.project.id, input: { allowedEmailDomains: [`${'a'.repeat(246)}.example`] } }), code: BAD_USER_INPUT },
  { name: 'a display name of 121 characters', caller: 'member', query: OPS.updateMyProfile, variables: () => ({ input: { displayName: long(121) } }), code: BAD_USER_INPUT },
  { name: 'an invited address of 321 characters', caller: 'admin', query: OPS.inviteMember, variables: (f) => ({ projectId: f.project.id, input: { email: `${long(309)}@example.org`, roles: ['MEMBER'] } }), code: BAD_USER_INPUT },
  { name: 'a password of 201 characters at sign-in', caller: 'anonymous', query: OPS.signIn, variables: () => ({ input: { email: 'someone@example.org', password: long(201) } }), code: BAD_USER_INPUT },
  { name: 'an address of 321 characters at sign-in', caller: 'anonymous', query: OPS.signIn, variables: () => ({ input: { email: `${long(309)}@example.org`, password: 'correct horse battery' } }), code: BAD_USER_INPUT },
  { name: 'a display name of 121 characters at sign-up', caller: 'anonymous', query: OPS.signUp, variables: (f) => ({ input: { projectSlug: f.project.slug, email: 'new@example.org', displayName: long(121), password: 'correct horse battery' } }), code: BAD_USER_INPUT },
  { name: 'an invitation token of 201 characters', caller: 'anonymous', query: OPS.acceptInvitation, variables: () => ({ input: { token: long(201), displayName: 'New', password: 'correct horse battery' } }), code: BAD_USER_INPUT },
  { name: 'an audit filter of 101 characters', caller: 'admin', query: OPS.auditEvents, variables: (f) => ({ projectId: f.project.id, filter: { action: long(101) } }), code: BAD_USER_INPUT },
  { name: 'a reset address of 321 characters', caller: 'anonymous', query: OPS.requestPasswordReset, variables: () => ({ email: `${long(309)}@example.org` }), code: BAD_USER_INPUT },

  // Empty, malformed or inconsistent values
  { name: 'a title of only spaces', caller: 'admin', query: OPS.updateProject, variables: (f) => ({ id: f.project.id, input: { title: '   ' } }), code: BAD_USER_INPUT },
  { name: 'a display name of only spaces', caller: 'member', query: OPS.updateMyProfile, variables: () => ({ input: { displayName: '   ' } }), code: BAD_USER_INPUT },
  { name: 'a slug with capitals and punctuation', caller: 'installationAdmin', query: OPS.createProject, variables: () => ({ input: { slug: 'Bad Slug!', title: 'Book' } }), code: BAD_USER_INPUT },
  { name: 'a word limit minimum above the maximum', caller: 'admin', query: OPS.updateProject, variables: (f) => ({ id: f.project.id, input: { wordLimitMin: 900, wordLimitMax: 800 } }), code: BAD_USER_INPUT },
  { name: 'a target of 0 portraits', caller: 'admin', query: OPS.updateProject, variables: (f) => ({ id: f.project.id, input: { targetPortraitCount: 0 } }), code: BAD_USER_INPUT },
  { name: 'an allowed domain that is not a domain', caller: 'admin', query: OPS.updateProject, variables: (f) => ({ id: f.project.id, input: { allowedEmailDomains: ['not a domain'] } }), code: BAD_USER_INPUT },

  // NUL characters, which PostgreSQL text cannot hold
  { name: 'a title with a NUL character', caller: 'admin', query: OPS.updateProject, variables: (f) => ({ id: f.project.id, input: { title: 'a\u0000b' } }), code: BAD_USER_INPUT },
  { name: 'a slug with a NUL character', caller: 'member', query: OPS.project, variables: () => ({ slug: 'a\u0000b' }), code: BAD_USER_INPUT },
  { name: 'an address with a NUL character at sign-in', caller: 'anonymous', query: OPS.signIn, variables: () => ({ input: { email: 'a\u0000@example.org', password: 'correct horse battery' } }), code: BAD_USER_INPUT },
  { name: 'an allowed domain with a NUL character', caller: 'admin', query: OPS.updateProject, variables: (f) => ({ id: f.project.id, input: { allowedEmailDomains: ['example.org\u0000'] } }), code: BAD_USER_INPUT },

  // Wrong GraphQL types, in the document and in variables
  { name: 'a string literal for an Int', caller: 'member', query: '{ projects { id } members(projectId: "00000000-0000-4000-8000-000000000000", first: "ten") { totalCount } }', code: 'GRAPHQL_VALIDATION_FAILED' },
  { name: 'a string variable for an Int', caller: 'member', query: OPS.members, variables: (f) => ({ projectId: f.project.id, first: 'ten' }), code: BAD_USER_INPUT },
  { name: 'a string variable for a Boolean', caller: 'admin', query: OPS.updateProject, variables: (f) => ({ id: f.project.id, input: { selfSignUp: 'yes' } }), code: BAD_USER_INPUT },
  { name: 'a fraction for an Int', caller: 'admin', query: OPS.updateProject, variables: (f) => ({ id: f.project.id, input: { targetPortraitCount: 1.5 } }), code: BAD_USER_INPUT },
  { name: 'an Int beyond 32 bits', caller: 'admin', query: OPS.updateProject, variables: (f) => ({ id: f.project.id, input: { targetPortraitCount: 2 ** 31 } }), code: BAD_USER_INPUT },
  { name: 'an object for a String', caller: 'admin', query: OPS.updateProject, variables: (f) => ({ id: f.project.id, input: { title: { text: 'x' } } }), code: BAD_USER_INPUT },
  { name: 'a missing required variable', caller: 'admin', query: OPS.updateProject, variables: () => ({ input: { title: 'x' } }), code: BAD_USER_INPUT },
  { name: 'null for a required field', caller: 'installationAdmin', query: OPS.createProject, variables: () => ({ input: { slug: 'null-title', title: null } }), code: BAD_USER_INPUT },
  { name: 'an input field that does not exist', caller: 'admin', query: OPS.updateProject, variables: (f) => ({ id: f.project.id, input: { colour: 'red' } }), code: BAD_USER_INPUT },
  { name: 'a selection of a field that does not exist', caller: 'member', query: '{ me { id password } }', code: 'GRAPHQL_VALIDATION_FAILED' },
  { name: 'a document that does not parse', caller: 'member', query: '{ me { id }', code: 'GRAPHQL_PARSE_FAILED' },

  // Malformed ids, refused before any query runs
  { name: 'a project id that is not a UUID', caller: 'admin', query: OPS.updateProject, variables: () => ({ id: 'not-a-uuid', input: { title: 'x' } }), code: BAD_USER_INPUT },
  { name: 'a user id that is not a UUID', caller: 'admin', query: OPS.setMemberRoles, variables: (f) => ({ projectId: f.project.id, userId: '1234', roles: [] }), code: BAD_USER_INPUT },
  { name: 'a project id that is SQL', caller: 'member', query: OPS.members, variables: () => ({ projectId: "' OR 1=1 --" }), code: BAD_USER_INPUT },
  { name: 'a project id with a letter beyond f', caller: 'admin', query: OPS.inviteMember, variables: () => ({ projectId: '00000000-0000-4000-8000-00000000000g', input: { email: 'a@example.org', roles: ['MEMBER'] } }), code: BAD_USER_INPUT },
  { name: 'an audit actor id that is not a UUID', caller: 'admin', query: OPS.auditEvents, variables: (f) => ({ projectId: f.project.id, filter: { actorId: 'nope' } }), code: BAD_USER_INPUT },
  { name: 'an Int where an ID is a UUID', caller: 'admin', query: OPS.updateProject, variables: () => ({ id: 42, input: { title: 'x' } }), code: BAD_USER_INPUT },

  // Well-formed ids of nothing
  { name: 'an unknown project to update', caller: 'admin', query: OPS.updateProject, variables: () => ({ id: randomUUID(), input: { title: 'x' } }), code: 'NOT_FOUND' },
  { name: 'an unknown project to invite into', caller: 'admin', query: OPS.inviteMember, variables: () => ({ projectId: randomUUID(), input: { email: 'a@example.org', roles: ['MEMBER'] } }), code: 'NOT_FOUND' },
  { name: 'an unknown member', caller: 'admin', query: OPS.setMemberRoles, variables: (f) => ({ projectId: f.project.id, userId: randomUUID(), roles: ['AUTHOR'] }), code: 'NOT_FOUND' },
  { name: 'an unknown project slug', caller: 'member', query: OPS.project, variables: () => ({ slug: 'no-such-book' }), code: 'NOT_FOUND' },
  { name: 'an unknown invitation token', caller: 'anonymous', query: OPS.acceptInvitation, variables: () => ({ input: { token: 'no-such-token', displayName: 'New', password: 'correct horse battery' } }), code: 'TOKEN_INVALID' },
  { name: 'an unknown reset token', caller: 'anonymous', query: OPS.resetPassword, variables: () => ({ token: 'no-such-token', password: 'correct horse battery' }), code: 'TOKEN_INVALID' },

  // Bad e-mail addresses
  { name: 'an invitation to something that is not an address', caller: 'admin', query: OPS.inviteMember, variables: (f) => ({ projectId: f.project.id, input: { email: 'not-an-email', roles: ['MEMBER'] } }), code: BAD_USER_INPUT },
  { name: 'an invitation to an address with two @', caller: 'admin', query: OPS.inviteMember, variables: (f) => ({ projectId: f.project.id, input: { email: 'two@@example.org', roles: ['MEMBER'] } }), code: BAD_USER_INPUT },
  { name: 'a sign-up with an address without a domain', caller: 'anonymous', query: OPS.signUp, variables: (f) => ({ input: { projectSlug: f.project.slug, email: 'someone@', displayName: 'New', password: 'correct horse battery' } }), code: BAD_USER_INPUT },
  { name: 'a reset for something that is not an address', caller: 'anonymous', query: OPS.requestPasswordReset, variables: () => ({ email: 'nope' }), code: BAD_USER_INPUT },

  // Enum values that do not exist
  { name: 'an unknown role in the document', caller: 'admin', query: 'mutation { inviteMember(projectId: "00000000-0000-4000-8000-000000000000", input: { email: "a@example.org", roles: [BOSS] }) { acceptUrl } }', code: 'GRAPHQL_VALIDATION_FAILED' },
  { name: 'an unknown role in a variable', caller: 'admin', query: OPS.inviteMember, variables: (f) => ({ projectId: f.project.id, input: { email: 'a@example.org', roles: ['BOSS'] } }), code: BAD_USER_INPUT },
  { name: 'an unknown locale', caller: 'admin', query: OPS.inviteMember, variables: (f) => ({ projectId: f.project.id, input: { email: 'a@example.org', roles: ['MEMBER'], locale: 'fr' } }), code: BAD_USER_INPUT },
  { name: 'an unknown role filter', caller: 'member', query: OPS.members, variables: (f) => ({ projectId: f.project.id, role: 'OWNER' }), code: BAD_USER_INPUT },
  { name: 'an invitation without roles', caller: 'admin', query: OPS.inviteMember, variables: (f) => ({ projectId: f.project.id, input: { email: 'a@example.org', roles: [] } }), code: BAD_USER_INPUT },

  // Cursors that were never handed out
  { name: 'a cursor that is not base64 JSON', caller: 'admin', query: OPS.auditEvents, variables: (f) => ({ projectId: f.project.id, after: 'garbage!!' }), code: BAD_USER_INPUT },
  { name: 'an audit cursor that is not a number', caller: 'admin', query: OPS.auditEvents, variables: (f) => ({ projectId: f.project.id, after: cursor(['abc']) }), code: BAD_USER_INPUT },
  { name: 'an audit cursor of two parts', caller: 'admin', query: OPS.auditEvents, variables: (f) => ({ projectId: f.project.id, after: cursor(['1', '2']) }), code: BAD_USER_INPUT },
  { name: 'an invitation cursor that is not a time', caller: 'admin', query: OPS.invitations, variables: (f) => ({ projectId: f.project.id, after: cursor(['abc', randomUUID()]) }), code: BAD_USER_INPUT },
  { name: 'an invitation cursor of 30 February', caller: 'admin', query: OPS.invitations, variables: (f) => ({ projectId: f.project.id, after: cursor(['2025-02-30T00:00:00.000Z', randomUUID()]) }), code: BAD_USER_INPUT },
  { name: 'a member cursor whose id is not a UUID', caller: 'member', query: OPS.members, variables: (f) => ({ projectId: f.project.id, after: cursor(['name', 'def']) }), code: BAD_USER_INPUT },
  { name: 'a member cursor with a NUL character', caller: 'member', query: OPS.members, variables: (f) => ({ projectId: f.project.id, after: cursor(['a\u0000', randomUUID()]) }), code: BAD_USER_INPUT },

  // Page sizes out of range
  ...[0, -1, 101].map((first): Case => ({ name: `a page of ${first}`, caller: 'member', query: OPS.members, variables: (f) => ({ projectId: f.project.id, first }), code: BAD_USER_INPUT })),
  { name: 'an audit page of 1000', caller: 'admin', query: OPS.auditEvents, variables: (f) => ({ projectId: f.project.id, first: 1000 }), code: BAD_USER_INPUT },
];

describe('bad input', () => {
  let t: TestApp;
  let f: Fixture;
  let clients: Record<Caller, GraphQLClient>;

  beforeAll(async () => {
    t = await startTestApp({ label: 'validation' });
    const project = await t.project();
    const member = await t.person([ProjectRole.MEMBER], project);
    const admin = await t.person([ProjectRole.ADMIN], project);
    clients = { anonymous: anonymous(t), member: member.client, admin: admin.client, installationAdmin: (await t.person([], undefined, { installationAdmin: true })).client };
    f = { project, memberId: member.user.id };
    // Something in every list, so that cursors have rows to be compared with.
    await invite(admin.client, project.id, 'invited@example.org', [ProjectRole.MEMBER]);
  });
  afterAll(async () => { await t?.close(); });

  it.each(CASES)('refuses $name with $code and changes nothing', async (c) => {
    await expectRefused(t, clients[c.caller], c.query, c.variables?.(f) ?? {}, c.code);
  });

  it('refuses a request body beyond the size limit before reading it, and changes nothing', async () => {
    const before = await dbSnapshot(t.dataSource);
    const res = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${clients.admin.token}` },
      body: JSON.stringify({ query: OPS.updateProject, variables: { id: f.project.id, input: { description: long(2_000_000) } } }),
    });
    expect(res.status).toBe(413);
    expect(await dbSnapshot(t.dataSource)).toEqual(before);
  });
});
