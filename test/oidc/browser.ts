import { GraphQLClient } from '@quire/testing';

interface StoredCookie {
  value: string;
  path: string;
}

/**
 * Just enough of a browser to drive a sign-in: plain fetch with manual redirects and a cookie jar.
 * Every server in these tests is on 127.0.0.1, and browsers share cookies between ports of one
 * host, so one jar keyed by name (with path matching) behaves as a browser would.
 */
export class Browser {
  private readonly cookies = new Map<string, StoredCookie>();

  /** `appUrl`: the api, which also serves the web app's pages. */
  constructor(private readonly appUrl: string) {}

  async get(url: URL | string): Promise<Response> {
    const target = new URL(url, this.appUrl);
    const res = await fetch(target, { redirect: 'manual', headers: { cookie: this.cookieHeader(target) } });
    this.remember(res, target);
    return res;
  }

  /**
   * Follows redirects from `url` through the api's /auth/ routes and the provider until one points
   * at a page of the web app (or satisfies `stopAt`), and answers that address, unfetched.
   * `rewrite` may change each address before it is fetched: to log in at the provider's
   * interaction page, say.
   */
  async follow(url: URL | string, options: { rewrite?: (next: URL) => URL; stopAt?: (next: URL) => boolean } = {}): Promise<URL> {
    const app = new URL(this.appUrl);
    const { rewrite = (next: URL) => next, stopAt = (next: URL) => next.origin === app.origin && !next.pathname.startsWith('/auth/') } = options;
    let current = new URL(url, this.appUrl);
    for (let hop = 0; hop < 20; hop++) {
      const res = await this.get(current);
      const location = res.headers.get('location');
      if (res.status < 300 || res.status >= 400 || !location) throw new Error(`${current.href} answered ${res.status}: ${await res.text()}`);
      const next = new URL(location, current);
      if (stopAt(next)) return next;
      current = rewrite(next);
    }
    throw new Error(`Too many redirects from ${url}`);
  }

  setCookie(name: string, value: string, path = '/'): void {
    this.cookies.set(name, { value, path });
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name)?.value;
  }

  /** A GraphQL client that sends this browser's session cookie, as the web app would. */
  graphql(): GraphQLClient {
    const client = new GraphQLClient(this.appUrl);
    const session = this.cookie('quire_session');
    if (session) client.cookie = `quire_session=${session}`;
    return client;
  }

  private cookieHeader(url: URL): string {
    return [...this.cookies].filter(([, c]) => url.pathname.startsWith(c.path)).map(([name, c]) => `${name}=${c.value}`).join('; ');
  }

  private remember(res: Response, url: URL): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';').map((part) => part.trim());
      const [name, ...value] = pair.split('=');
      const attribute = (key: string): string | undefined =>
        attributes.find((a) => a.toLowerCase().startsWith(`${key}=`))?.slice(key.length + 1);
      const expires = attribute('expires');
      const maxAge = attribute('max-age');
      if ((maxAge !== undefined && Number(maxAge) <= 0) || (expires && Date.parse(expires) <= Date.now())) {
        this.cookies.delete(name);
      } else {
        this.cookies.set(name, { value: value.join('='), path: attribute('path') ?? url.pathname.replace(/\/[^/]*$/, '/') });
      }
    }
  }
}

/** `url` with one more query parameter. */
export function withParam(url: URL, name: string, value: string): URL {
  const next = new URL(url);
  next.searchParams.set(name, value);
  return next;
}

/** A `rewrite` for `follow` that answers the provider's interaction page with `param=value` (see provider.mjs). */
export function atProviderInteraction(param: 'account' | 'error', value: string): (next: URL) => URL {
  return (next) => (next.pathname.startsWith('/interaction/') ? withParam(next, param, value) : next);
}
