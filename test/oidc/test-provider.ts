import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** Claims a test account releases: `email`, `email_verified`, `name` (any may be left out). */
export type TestAccountClaims = Record<string, unknown>;

export interface TestProvider {
  issuer: string;
  /** The api's OIDC_* settings for this provider and its one client. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * Starts a real OpenID Connect provider (test/oidc/provider.mjs, oidc-provider in a child process)
 * with one confidential client whose redirect URI is `redirectUri`, and these accounts by id.
 * `port` fixes where it listens, for a test that starts the provider after the api.
 */
export async function startTestProvider(options: { redirectUri: string; accounts: Record<string, TestAccountClaims>; port?: number }): Promise<TestProvider> {
  const client = { client_id: 'quire', client_secret: randomBytes(24).toString('base64url'), redirect_uris: [options.redirectUri] };
  const child = spawn(process.execPath, [join(__dirname, 'provider.mjs')], {
    env: { ...process.env, PROVIDER_CONFIG: JSON.stringify({ port: options.port, client, accounts: options.accounts }) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const issuer = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`The test provider stopped (exit ${code}): ${stderr}`)));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).once('line', (line) => resolve((JSON.parse(line) as { issuer: string }).issuer));
  });
  return {
    issuer,
    env: { OIDC_ISSUER: issuer, OIDC_CLIENT_ID: client.client_id, OIDC_CLIENT_SECRET: client.client_secret },
    stop: () => stopChild(child),
  };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill();
  });
}
