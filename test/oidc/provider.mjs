// A real OpenID Connect provider (oidc-provider) for the OIDC sign-in tests. oidc-provider is
// ESM-only, so the tests run this script with `node` in a child process instead of importing it.
//
// Configuration arrives as JSON in PROVIDER_CONFIG:
//   { port?: number, client: { client_id, client_secret, redirect_uris }, accounts: { [id]: claims } }
// It listens on 127.0.0.1 (`port`, or a free one) and prints one line `{"issuer": "..."}` when ready.
//
// Logging in is non-interactive, so a plain HTTP client can drive the flow: the provider sends
// the browser to /interaction/<uid>; the test calls that address with `?account=<id>` to log in as
// that test account and consent at once, or with `?error=<code>` to have the person refuse.
import { createServer } from 'node:http';
import Provider from 'oidc-provider';

const { port = 0, client, accounts } = JSON.parse(process.env.PROVIDER_CONFIG ?? '{}');

const server = createServer();
await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [{ ...client, grant_types: ['authorization_code'], response_types: ['code'] }],
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  async findAccount(_ctx, sub) {
    const claims = accounts[sub];
    return claims && { accountId: sub, claims: async () => ({ sub, ...claims }) };
  },
  features: { devInteractions: { enabled: false } },
  cookies: { keys: ['quire-oidc-test-provider'] },
});

async function interact(req, res) {
  const url = new URL(req.url, issuer);
  const details = await provider.interactionDetails(req, res);
  const error = url.searchParams.get('error');
  if (error) {
    await provider.interactionFinished(req, res, { error, error_description: 'refused by the test' }, { mergeWithLastSubmission: false });
    return;
  }
  const accountId = url.searchParams.get('account');
  if (!accountId || !accounts[accountId]) {
    res.writeHead(400, { 'content-type': 'text/plain' }).end('add ?account=<test account id> or ?error=<code>');
    return;
  }
  const grant = new provider.Grant({ accountId, clientId: details.params.client_id });
  grant.addOIDCScope(details.params.scope);
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, { login: { accountId }, consent: { grantId } }, { mergeWithLastSubmission: false });
}

const handleProvider = provider.callback();
server.on('request', (req, res) => {
  if (!req.url.startsWith('/interaction/')) return handleProvider(req, res);
  interact(req, res).catch((e) => {
    res.writeHead(500, { 'content-type': 'text/plain' }).end(String(e?.stack ?? e));
  });
});

process.stdout.write(`${JSON.stringify({ issuer })}\n`);
