import { ProjectRole } from '@quire/core';
import { Project } from '@quire/domain/projects';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { dbSnapshot, GraphQLClient, startTestApp, TestApp } from '@quire/testing';

/**
 * Query depth and complexity limits answer with LIMIT_EXCEEDED (400) before any resolver runs,
 * and malformed documents that used to crash the depth check get GraphQL's own validation errors.
 * The app runs with small limits so that the schema's real fields can reach them.
 */
const MAX_DEPTH = 3;
const MAX_COMPLEXITY = 25;
/** Enough aliased `me { id }` selections (2 each) to cost more than the limit. */
const OVER_COMPLEXITY = Math.floor(MAX_COMPLEXITY / 2) + 1;

describe('GraphQL depth and complexity limits', () => {
  let t: TestApp;
  let project: Project;
  let member: GraphQLClient;

  beforeAll(async () => {
    t = await startTestApp({ label: 'limits', env: { GRAPHQL_MAX_DEPTH: String(MAX_DEPTH), GRAPHQL_MAX_COMPLEXITY: String(MAX_COMPLEXITY) } });
    project = await t.project();
    member = (await t.person([ProjectRole.MEMBER], project)).client;
  });
  afterAll(async () => { await t?.close(); });

  const membersAt = (selection: string) => `members(projectId: "${project.id}") { edges { node { ${selection} } } }`;

  it('answers a query at the depth limit', async () => {
    const result = await member.request(`{ ${membersAt('roles since')} }`);
    expect(result.errors).toBeUndefined();
  });

  it('refuses a query one level deeper with LIMIT_EXCEEDED', async () => {
    const result = await member.request(`{ ${membersAt('user { id }')} }`);
    expect(result.status).toBe(400);
    expect(result.errors?.[0].extensions).toEqual({ code: 'LIMIT_EXCEEDED', depth: MAX_DEPTH + 1, maxDepth: MAX_DEPTH });
    expect(result.data).toBeUndefined();
  });

  it('counts the depth through fragments', async () => {
    const result = await member.request(`query { ...Members } fragment Members on Query { ${membersAt('...Person')} } fragment Person on ProjectMember { user { id } }`);
    expect(result.errors?.[0].extensions?.code).toBe('LIMIT_EXCEEDED');
  });

  it('does not count introspection fields towards the depth', async () => {
    const result = await member.request('{ __schema { queryType { fields { type { ofType { name } } } } } }');
    expect(result.errors).toBeUndefined();
  });

  it.each([
    ['a fragment that spreads itself', 'query { ...Loop } fragment Loop on Query { me { id } ...Loop }'],
    ['two fragments that spread each other', 'query { ...A } fragment A on Query { ...B } fragment B on Query { me { id } ...A }'],
    ['a fragment that does not exist', 'query { ...Missing }'],
  ])('refuses %s with GraphQL\'s own validation error, not a crash', async (_case, query) => {
    const result = await member.request(query);
    expect(result.status).toBe(400);
    expect(result.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('refuses a query above the complexity limit with LIMIT_EXCEEDED', async () => {
    const aliases = Array.from({ length: OVER_COMPLEXITY }, (_, i) => `me${i}: me { id }`).join(' ');
    const result = await member.request(`{ ${aliases} }`);
    expect(result.status).toBe(400);
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', maxComplexity: MAX_COMPLEXITY, complexity: expect.any(Number) });
  });

  it('refuses a mutation above the complexity limit before any of it runs', async () => {
    const aliases = Array.from({ length: OVER_COMPLEXITY }, (_, i) => `m${i}: updateMyProfile(input: { displayName: "Name ${i}" }) { id }`).join(' ');
    const before = await dbSnapshot(t.dataSource);
    const result = await member.request(`mutation { ${aliases} }`);
    expect(result.errors?.[0].extensions?.code).toBe('LIMIT_EXCEEDED');
    expect(await dbSnapshot(t.dataSource)).toEqual(before);
  });

  it('estimates a document sent again with other variables anew where they decide what runs (@include, @skip)', async () => {
    const aliases = Array.from({ length: OVER_COMPLEXITY }, (_, i) => `me${i}: me { id }`).join(' ');
    const query = `query($all: Boolean!) { me { id } ... @include(if: $all) { ${aliases} } }`;
    expect((await member.request(query, { all: false })).errors).toBeUndefined();
    const refused = await member.request(query, { all: true });
    expect(refused.errors?.[0].extensions?.code).toBe('LIMIT_EXCEEDED');
    expect((await member.request(query, { all: false })).errors).toBeUndefined();
  });

  it('refuses variables of the wrong type with BAD_USER_INPUT also for a document it has estimated before', async () => {
    const query = 'query($slug: String!) { project(slug: $slug) { id } }';
    expect((await member.request(query, { slug: project.slug })).errors).toBeUndefined();
    for (const slug of [null, { not: 'a slug' }]) {
      const result = await member.request(query, { slug });
      expect(result.status).toBe(400);
      expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    }
  });

  it('refuses fragments that multiply into more fields than it will count, promptly and typed', async () => {
    // Each fragment spreads the next one twice: 2^30 fields from a document of a few lines.
    const levels = 30;
    const fragments = Array.from({ length: levels }, (_, i) => `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`).join(' ');
    const result = await member.request(`query { ...F0 } ${fragments} fragment F${levels} on Query { me { id } }`);
    expect(result.status).toBe(400);
    expect(result.errors?.[0].extensions?.code).toBe('LIMIT_EXCEEDED');
  });

  describe('over graphql-ws (subscriptions, and mutations a page sends over its socket)', () => {
    type Outcome = { data?: Record<string, unknown> | null; errors?: readonly { message: string; extensions?: Record<string, unknown> }[] };

    /** Sends one operation over a socket of its own and answers with its result, or the errors it was refused with. */
    async function overSocket(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<Outcome> {
      const person = token ?? (await t.person([ProjectRole.MEMBER], project)).token;
      const client = createClient({ url: `${t.url.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${person}` }, retryAttempts: 0 });
      try {
        return await new Promise<Outcome>((resolve) => {
          let result: Outcome = {};
          client.subscribe({ query, variables }, {
            next: (value) => { result = value as Outcome; },
            error: (error) => resolve({ errors: Array.isArray(error) ? error : [error as Error] }),
            complete: () => resolve(result),
          });
        });
      } finally {
        await client.dispose();
      }
    }

    it('answers queries and mutations within the limits', async () => {
      const person = await t.person([ProjectRole.MEMBER], project);
      expect(await overSocket(`{ ${membersAt('roles')} }`, {}, person.token)).toMatchObject({ data: { members: { edges: expect.any(Array) } } });
      expect(await overSocket('mutation { updateMyProfile(input: { displayName: "Over de socket" }) { displayName } }', {}, person.token)).toEqual({ data: { updateMyProfile: { displayName: 'Over de socket' } } });
    });

    it('refuses what HTTP refuses, with the same codes, before anything runs', async () => {
      const member = (await t.person([ProjectRole.MEMBER], project)).token;
      const before = await dbSnapshot(t.dataSource);
      expect((await overSocket(`{ ${membersAt('user { id }')} }`, {}, member)).errors?.[0].extensions).toEqual({ code: 'LIMIT_EXCEEDED', depth: MAX_DEPTH + 1, maxDepth: MAX_DEPTH });
      const aliases = Array.from({ length: OVER_COMPLEXITY }, (_, i) => `m${i}: updateMyProfile(input: { displayName: "Name ${i}" }) { id }`).join(' ');
      expect((await overSocket(`mutation { ${aliases} }`, {}, member)).errors?.[0].extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', maxComplexity: MAX_COMPLEXITY });
      expect((await overSocket('{ me { id ', {}, member)).errors?.[0].extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
      expect((await overSocket('{ me { noSuchField } }', {}, member)).errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect((await overSocket('mutation($id: ID!) { updateProject(id: $id, input: { title: "Niet van mij" }) { id } }', { id: project.id }, member)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect(await dbSnapshot(t.dataSource)).toEqual(before);
    });
  });
});
