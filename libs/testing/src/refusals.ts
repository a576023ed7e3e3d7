import { dbSnapshot } from './db-snapshot';
import { GraphQLClient, GraphQLResponse } from './graphql-client';
import { TestApp } from './test-app';

/** A client without a session: a visitor, or an API client that sends no token. */
export function anonymous(t: TestApp): GraphQLClient {
  return new GraphQLClient(t.url);
}

/**
 * Sends the operation and asserts that it is refused with `code` and that no table changed (once
 * the jobs earlier changes caused have run, where the app has a worker).
 */
export async function expectRefused(t: TestApp, client: GraphQLClient, query: string, variables: Record<string, unknown>, code: string): Promise<GraphQLResponse<unknown>> {
  await t.jobsSettled();
  const before = await dbSnapshot(t.dataSource);
  const result = await client.request(query, variables);
  expect(result.errors?.[0]).toMatchObject({ extensions: { code } });
  expect(await dbSnapshot(t.dataSource)).toEqual(before);
  return result;
}

/** One operation of a permission matrix: who must be refused (with which code), and who may. */
export interface PermissionCase<F, C extends string> {
  operation: string;
  query: string;
  /** Fresh variables for one call (records the call may consume are made here). */
  variables(fixture: F): Promise<Record<string, unknown>>;
  refused: Partial<Record<C, string>>;
  allowed: C;
}

/**
 * For every case: each refused caller gets its code and no table changes; then the lowest caller
 * that may call it succeeds, so a refusal is never a broken query in disguise.
 */
export function describePermissions<F extends { clients: Record<C, GraphQLClient> }, C extends string>(
  app: () => TestApp,
  fixture: () => F,
  cases: PermissionCase<F, C>[],
): void {
  describe.each(cases)('$operation', (c) => {
    it.each(Object.entries(c.refused) as [C, string][])('refuses %s with %s and changes nothing', async (caller, code) => {
      await expectRefused(app(), fixture().clients[caller], c.query, await c.variables(fixture()), code);
    });

    it(`allows ${c.allowed}`, async () => {
      const result = await fixture().clients[c.allowed].request(c.query, await c.variables(fixture()));
      expect(result.errors).toBeUndefined();
    });
  });
}
