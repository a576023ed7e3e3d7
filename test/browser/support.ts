import { AxeBuilder } from '@axe-core/playwright';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, BrowserContext, chromium, Locator, Page } from 'playwright-core';
import { ProjectRole } from '@quire/core';
import { GraphQLClient, startTestApp, TestApp } from '@quire/testing';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const WEB_SOURCES = ['apps/web/src', 'apps/web/index.html', 'apps/web/vite.config.ts'];
const WEB_BUILD = 'dist/web/index.html';

function newestChange(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestChange(join(path, name))));
}

/**
 * The api serves the built web app; testing an old build would test old code. `npm test` builds
 * before it runs Jest; on its own, build first.
 */
function assertWebBuildIsCurrent(): void {
  const fix = 'build the web app first: npm run build:web';
  if (!existsSync(WEB_BUILD)) throw new Error(`${WEB_BUILD} is missing; ${fix}`);
  if (Math.max(...WEB_SOURCES.map(newestChange)) > statSync(WEB_BUILD).mtimeMs) throw new Error(`${WEB_BUILD} is older than apps/web; ${fix}`);
}

async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: install chromium (apt-get install -y chromium)`);
  return chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
}

export interface BrowserFixture {
  t: TestApp;
  browser: Browser;
  /** A fresh browser profile (no cookies, no stored language) on a page of the app. */
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

/**
 * The real api serving the built web app, and real Chromium; one per test file. With `worker`,
 * the worker runs in the same process (for what queued jobs do: notifications, schedules); `env`
 * adds to the api's configuration (where the collaboration service is, say).
 */
export async function startBrowserFixture(label: string, options: { worker?: boolean; env?: Record<string, string> } = {}): Promise<BrowserFixture> {
  assertWebBuildIsCurrent();
  const browser = await launchChromium();
  let t: TestApp;
  try {
    t = await startTestApp({ label, worker: options.worker, env: options.env });
  } catch (error) {
    await browser.close();
    throw error;
  }
  const contexts: BrowserContext[] = [];
  return {
    t,
    browser,
    async newPage() {
      const context = await browser.newContext({ baseURL: t.url });
      contexts.push(context);
      return context.newPage();
    },
    async close() {
      await Promise.all(contexts.map((c) => c.close()));
      await browser.close();
      await t.close();
    },
  };
}

/**
 * Fails with a readable list when axe finds serious or critical WCAG 2.1 A/AA problems on what
 * the page shows now.
 */
export async function expectAccessible(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  const serious = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect({ url: page.url(), serious }).toEqual({ url: page.url(), serious: [] });
}

/** The heading with exactly this text (a level-1 heading unless told). */
export function heading(page: Page, name: string, level = 1): Locator {
  return page.getByRole('heading', { level, name, exact: true });
}

/** Fills in the sign-in form in Dutch, the language a fresh browser gets. */
export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel('E-mailadres').fill(email);
  await page.getByLabel('Wachtwoord').fill(password);
  await page.getByRole('button', { name: 'Aanmelden' }).click();
}

export type SignedInPerson = Awaited<ReturnType<TestApp['person']>>;
export type TestProject = Awaited<ReturnType<TestApp['project']>>;

/**
 * A person with `roles` in `project` (a new project unless given), signed in through the sign-in
 * screen in a fresh browser profile; their interface is English (the fixture's profile language).
 */
export async function signedInAs(f: BrowserFixture, roles: ProjectRole[], project?: TestProject): Promise<{ project: TestProject; person: SignedInPerson; page: Page }> {
  const inProject = project ?? (await f.t.project());
  const person = await f.t.person(roles, inProject, { email: newEmail(), password: PASSWORD });
  const page = await f.newPage();
  await page.goto('/sign-in');
  await signIn(page, person.user.email, PASSWORD);
  await heading(page, 'My projects').waitFor();
  return { project: inProject, person, page };
}

/** The text a screen reader reads as the field's description (its aria-describedby targets). */
export function accessibleDescription(field: Locator): Promise<string> {
  return field.evaluate((el) =>
    (el.getAttribute('aria-describedby') ?? '')
      .split(/\s+/)
      .filter(Boolean)
      .map((id) => document.getElementById(id)?.textContent ?? '')
      .join(' '),
  );
}

/** Invites `email` through the real GraphQL API, as `inviter`; answers the link's token. */
export async function invite(inviter: GraphQLClient, projectId: string, email: string, roles: ProjectRole[]): Promise<{ token: string; invitationId: string }> {
  const data = await inviter.data<{ inviteMember: { acceptUrl: string; invitation: { id: string } } }>(
    `mutation ($projectId: ID!, $input: InviteInput!) { inviteMember(projectId: $projectId, input: $input) { acceptUrl invitation { id } } }`,
    { projectId, input: { email, roles, locale: 'nl' } },
  );
  const token = new URL(data.inviteMember.acceptUrl).pathname.split('/').pop() ?? '';
  return { token, invitationId: data.inviteMember.invitation.id };
}

export const PASSWORD = 'correct horse battery staple';

let emails = 0;
/** An e-mail address nobody in the test database has yet. */
export function newEmail(domain = 'example.org'): string {
  return `browser${++emails}-${Date.now().toString(36)}@${domain}`;
}
