import { ProjectRole } from '@quire/core';
import { BrowserFixture, heading, expectAccessible, invite, newEmail, PASSWORD, signedInAs, signIn, startBrowserFixture } from './support';

describe('web: project home by role', () => {
  let f: BrowserFixture;
  beforeAll(async () => {
    f = await startBrowserFixture('web-project');
  });
  afterAll(async () => {
    await f?.close();
  });

  it('shows a member the book, but not the people, settings or audit log', async () => {
    const { project, page } = await signedInAs(f, [ProjectRole.MEMBER]);
    await page.getByRole('link', { name: project.title }).click();
    await heading(page, project.title).waitFor();
    await heading(page, 'About this book', 2).waitFor();
    await expect(page.getByRole('main').textContent()).resolves.toContain('My rolesMember');

    const headings = await page.getByRole('heading', { level: 2 }).allTextContents();
    expect(headings).toEqual(['About this book', 'Rounds', 'Portraits']);
    await expect(page.getByRole('button', { name: 'Send invitation' }).count()).resolves.toBe(0);
    await expectAccessible(page);
  });

  it('lets an installation admin start a book project and land on it as its admin, and nobody else', async () => {
    const member = await signedInAs(f, [ProjectRole.MEMBER]);
    expect(await heading(member.page, 'New book project', 2).count()).toBe(0);

    const existing = await f.t.project();
    const { user } = await f.t.person([], undefined, { installationAdmin: true, email: newEmail(), password: PASSWORD });
    const page = await f.newPage();
    await page.goto('/sign-in');
    await signIn(page, user.email, PASSWORD);
    await heading(page, 'My projects').waitFor();
    await heading(page, 'New book project', 2).waitFor();
    await expectAccessible(page);

    // A web address that cannot be one is refused next to its field, a taken one with the reason.
    await page.getByLabel('Title').fill('Ambtenaren! 200 jaar');
    await page.getByLabel('Web address').fill('Ambtenaren 200');
    await page.getByRole('button', { name: 'Start the project' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByLabel('Web address').getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page);
    await page.getByLabel('Web address').fill(existing.slug);
    await page.getByRole('button', { name: 'Start the project' }).click();
    await page.getByRole('alert').filter({ hasText: 'A project with this web address exists already' }).waitFor();

    const slug = `ambtenaren-${Date.now().toString(36)}`;
    await page.getByLabel('Web address').fill(slug);
    await page.getByRole('button', { name: 'Start the project' }).click();
    await heading(page, 'Ambtenaren! 200 jaar').waitFor();
    expect(new URL(page.url()).pathname).toBe(`/p/${slug}`);
    await heading(page, 'People', 2).waitFor();
    const [membership] = await f.t.dataSource.query(`SELECT m.roles FROM project_memberships m JOIN projects p ON p.id = m.project_id WHERE p.slug = $1 AND m.user_id = $2`, [slug, user.id]);
    expect(membership).toEqual({ roles: ['ADMIN'] });
  });

  it('lets an editor invite members and authors, and nothing more', async () => {
    const { project, page } = await signedInAs(f, [ProjectRole.EDITOR]);
    await page.goto(`/p/${project.slug}`);
    await heading(page, 'People', 2).waitFor();
    const roles = page.getByRole('group', { name: 'Roles' }).getByRole('checkbox');
    await roles.first().waitFor();
    const offered = await roles.evaluateAll((boxes) => boxes.map((b) => b.parentElement?.textContent));
    expect(offered).toEqual(['Member', 'Author']);
    await expect(heading(page, 'Settings', 2).count()).resolves.toBe(0);
    await expect(heading(page, 'Audit log', 2).count()).resolves.toBe(0);
    await expectAccessible(page);
  });

  it('lets an admin change a member\'s roles, take someone out of the project, and keeps the last admin', async () => {
    const { project, person, page } = await signedInAs(f, [ProjectRole.ADMIN]);
    const [volunteer, leaving] = await Promise.all([f.t.person([ProjectRole.MEMBER], project), f.t.person([ProjectRole.MEMBER], project)]);
    await page.goto(`/p/${project.slug}`);
    const people = page.getByRole('region', { name: 'People in this project' });
    const row = (name: string) => people.getByRole('row').filter({ hasText: name });
    await row(volunteer.user.displayName).waitFor();
    await expectAccessible(page);

    // A volunteer who signed up as a member becomes an author, so that a portrait's team can take them.
    await page.getByRole('button', { name: `Change roles (${volunteer.user.displayName})` }).click();
    const dialog = page.getByRole('dialog', { name: `Roles of ${volunteer.user.displayName}` });
    await expect(dialog.getByRole('checkbox', { name: 'Member' }).isChecked()).resolves.toBe(true);
    await dialog.getByRole('checkbox', { name: 'Author' }).check();
    await expectAccessible(page);
    await dialog.getByRole('button', { name: 'Save roles' }).click();
    await page.getByRole('status').filter({ hasText: `The roles of ${volunteer.user.displayName} have been saved.` }).waitFor();
    await expect(row(volunteer.user.displayName).textContent()).resolves.toContain('Member and Author');

    // With no role ticked, a person leaves the project.
    await page.getByRole('button', { name: `Change roles (${leaving.user.displayName})` }).click();
    const leavingDialog = page.getByRole('dialog', { name: `Roles of ${leaving.user.displayName}` });
    await leavingDialog.getByRole('checkbox', { name: 'Member' }).uncheck();
    await leavingDialog.getByRole('button', { name: 'Save roles' }).click();
    await page.getByRole('status').filter({ hasText: `${leaving.user.displayName} has left the project.` }).waitFor();
    await expect(row(leaving.user.displayName).count()).resolves.toBe(0);

    // The only admin cannot give up the role: the dialog says why and stays open.
    await page.getByRole('button', { name: `Change roles (${person.user.displayName})` }).click();
    const ownDialog = page.getByRole('dialog', { name: `Roles of ${person.user.displayName}` });
    await ownDialog.getByRole('checkbox', { name: 'Admin' }).uncheck();
    await ownDialog.getByRole('checkbox', { name: 'Member' }).check();
    await ownDialog.getByRole('button', { name: 'Save roles' }).click();
    await ownDialog.getByRole('alert').filter({ hasText: 'A project keeps at least one admin.' }).waitFor();
    await expectAccessible(page);

    const roles: { user_id: string; roles: string[] }[] = await f.t.dataSource.query(`SELECT user_id, roles FROM project_memberships WHERE project_id = $1`, [project.id]);
    expect(Object.fromEntries(roles.map((r) => [r.user_id, r.roles]))).toEqual({ [person.user.id]: ['ADMIN'], [volunteer.user.id]: ['MEMBER', 'AUTHOR'] });
  });

  it('lets an admin invite someone, change the settings and read the audit log page by page', async () => {
    const { project, person, page } = await signedInAs(f, [ProjectRole.ADMIN]);
    // More audit events than one page holds.
    for (let i = 0; i < 21; i++) await invite(person.client, project.id, newEmail(), [ProjectRole.MEMBER]);
    await page.goto(`/p/${project.slug}`);

    const people = page.getByRole('region', { name: 'People in this project' });
    await expect(people.getByRole('row').filter({ hasText: person.user.displayName }).textContent()).resolves.toContain('Admin');

    const email = newEmail();
    await page.getByLabel('E-mail address').fill(email);
    await page.getByRole('checkbox', { name: 'Author' }).check();
    await page.getByRole('button', { name: 'Send invitation' }).click();
    const invited = page.getByRole('status').filter({ hasText: email });
    await expect(invited.textContent()).resolves.toContain(`Invitation created for ${email}`);
    expect(await invited.getByRole('link').textContent()).toMatch(/\/invitation\/[\w-]+$/);
    // The new invitation heads the list of invitations sent, open until it expires.
    const invitations = page.getByRole('region', { name: 'Invitations sent, newest first' });
    const sent = invitations.getByRole('row').filter({ hasText: email });
    await expect(sent.textContent()).resolves.toMatch(/Member and Author.*Open until/);
    await expect(invitations.locator('tbody tr').first().textContent()).resolves.toContain(email);
    await page.getByText('22 of 22 invitations').waitFor();
    await expectAccessible(page);

    // A field problem appears next to its field.
    await page.getByLabel('Minimum words per portrait').fill('900');
    await page.getByLabel('Maximum words per portrait').fill('800');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByLabel('Maximum words per portrait').getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page);

    await page.getByLabel('Maximum words per portrait').fill('1200');
    await page.getByLabel('Title').fill('Ambtenaren! 200 jaar');
    await page.getByLabel('Reports before a contribution disappears').fill('2');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('status').filter({ hasText: 'The settings have been saved.' }).waitFor();
    const [{ report_threshold }] = await f.t.dataSource.query(`SELECT report_threshold FROM projects WHERE id = $1`, [project.id]);
    expect(report_threshold).toBe(2);
    await heading(page, 'Ambtenaren! 200 jaar').waitFor();
    await expect(page.getByRole('main').textContent()).resolves.toContain('900 to 1,200 words');

    const log = page.getByRole('region', { name: /Everything that happened in this project/ });
    await log.getByRole('cell', { name: 'project.updated' }).waitFor();
    await expect(page.getByText(/^20 of \d+ events$/).count()).resolves.toBe(1);
    await page.getByRole('button', { name: 'Load more' }).click();
    await page.getByText(/^(\d+) of \1 events$/).waitFor();
    await expect(page.getByRole('button', { name: 'Load more' }).count()).resolves.toBe(0);
    await expectAccessible(page);
  });

  it('shows changes to the project while it is open (subscription over graphql-ws)', async () => {
    const { project, page } = await signedInAs(f, [ProjectRole.MEMBER]);
    const admin = await f.t.person([ProjectRole.ADMIN], project);
    const socket = page.waitForEvent('websocket', (ws) => ws.url().endsWith('/graphql'));
    await page.goto(`/p/${project.slug}`);
    await heading(page, project.title).waitFor();
    await socket;

    // The api subscribes to Redis a moment after the socket's subscribe message, and nothing
    // tells when; a change published before then reaches nobody. So change until one arrives.
    const renamed = page.getByRole('heading', { level: 1, name: /^Renamed while open \d+$/ });
    for (let attempt = 1; !(await renamed.count()); attempt++) {
      await admin.client.data(`mutation ($id: ID!, $input: UpdateProjectInput!) { updateProject(id: $id, input: $input) { id } }`, {
        id: project.id,
        input: { title: `Renamed while open ${attempt}`, description: 'A hundred portraits of civil servants' },
      });
      await renamed.waitFor({ timeout: 1000 }).catch((error: unknown) => {
        if (attempt === 10) throw error;
      });
    }
    await page.getByText('A hundred portraits of civil servants').waitFor();
  });

  it('says so when a project cannot be opened', async () => {
    const { page } = await signedInAs(f, []);
    await page.goto('/p/no-such-book');
    await heading(page, 'This project cannot be opened').waitFor();
    await page.getByRole('alert').waitFor();
    await expectAccessible(page);
  });
});
