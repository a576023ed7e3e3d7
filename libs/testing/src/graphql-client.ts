export interface GraphQLResponse<T> {
  data?: T | null;
  errors?: { message: string; path?: string[]; extensions?: { code?: string; fields?: { field: string; message: string }[]; [k: string]: unknown } }[];
}

/** A plain HTTP GraphQL client, as an API client or the web app would call Quire. */
export class GraphQLClient {
  cookie: string | undefined;

  constructor(readonly baseUrl: string, public token?: string) {}

  as(token: string | undefined): GraphQLClient {
    return new GraphQLClient(this.baseUrl, token);
  }

  async request<T = Record<string, unknown>>(query: string, variables: Record<string, unknown> = {}): Promise<GraphQLResponse<T> & { status: number; headers: Headers }> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.token) headers['authorization'] = `Bearer ${this.token}`;
    if (this.cookie) headers['cookie'] = this.cookie;
    const res = await fetch(`${this.baseUrl}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) this.cookie = setCookie.split(';')[0];
    const body = (await res.json()) as GraphQLResponse<T>;
    return { ...body, status: res.status, headers: res.headers };
  }

  /** Returns data, throwing with the errors when there are any. */
  async data<T = Record<string, unknown>>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const result = await this.request<T>(query, variables);
    if (result.errors?.length || !result.data) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
    return result.data;
  }

  /** The `extensions.code` of the first error (tests of refusals). */
  async errorCode(query: string, variables: Record<string, unknown> = {}): Promise<string | undefined> {
    const result = await this.request(query, variables);
    return result.errors?.[0]?.extensions?.code;
  }
}
