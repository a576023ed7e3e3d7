import { ProjectRole } from '@quire/core';
import { GraphQLClient } from '@quire/testing';
import { accessibleDescription, BrowserFixture, heading, expectAccessible, invite, newEmail, PASSWORD, signIn, startBrowserFixture } from './support';

describe('web: accepting an invitation', () => {
  let f: BrowserFixture;
  beforeAll(async () => {
    f = await startBrowserFixture('web-invite');
  });
  afterAll(async () => {
    await f?.close();
  });

  async function projectWithAdmin() {
    const project = await f.t.project();
    const admin = await f.t.person([ProjectRole.ADMIN], project);
    return { project, admin: admin.client };
  }

  it('lets a new person choose a name and password and brings them into the project', async () => {
    const { project, admin } = await projectWithAdmin();
    const email = newEmail();
    const { token } = await invite(admin, project.id, email, [ProjectRole.AUTHOR]);
    const page = await f.newPage();

    await page.goto(`/invitation/${token}`);
    await heading(page, `Uitnodiging voor ${project.title}`).waitFor();
    await expect(page.getByRole('main').textContent()).resolves.toContain('Je bent uitgenodigd als: Auteur');
    await expect(page.getByRole('main').textContent()).resolves.toContain(`De uitnodiging is voor ${email}.`);
    await expectAccessible(page);

    // A too short password: the field says why, and a screen reader hears it with the field.
    await page.getByLabel('Naam').fill('Anna de Vries');
    await page.getByLabel('Wachtwoord').fill('short');
    await page.getByRole('button', { name: 'Account maken en meedoen' }).click();
    await page.getByRole('alert').waitFor();
    const password = page.getByLabel('Wachtwoord');
    expect(await password.getAttribute('aria-invalid')).toBe('true');
    await expect(accessibleDescription(password)).resolves.toContain('Gebruik minstens 10 tekens');
    await expectAccessible(page);

    await password.fill(PASSWORD);
    await page.getByRole('button', { name: 'Account maken en meedoen' }).click();
    await heading(page, project.title).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/p/${project.slug}`);
    await expect(page.getByRole('banner').textContent()).resolves.toContain('Aangemeld als Anna de Vries');
    await expect(page.getByRole('main').textContent()).resolves.toContain('Mijn rollenAuteur');
    await expectAccessible(page);

    // The new account signs in like any other.
    const newcomer = new GraphQLClient(f.t.url);
    await newcomer.data(`mutation ($input: SignInInput!) { signIn(input: $input) { token } }`, { input: { email, password: PASSWORD } });
    await expect(newcomer.data<{ projects: { slug: string; myRoles: string[] }[] }>('{ projects { slug myRoles } }')).resolves.toEqual({
      projects: [{ slug: project.slug, myRoles: ['AUTHOR'] }],
    });
  });

  it('lets someone with an account sign in first and then accept with one button', async () => {
    const { project, admin } = await projectWithAdmin();
    const { user } = await f.t.person([], undefined, { email: newEmail(), password: PASSWORD });
    const { token } = await invite(admin, project.id, user.email, [ProjectRole.MEMBER]);
    const page = await f.newPage();

    await page.goto(`/invitation/${token}`);
    await page.getByRole('link', { name: 'Aanmelden en aannemen' }).click();
    await heading(page, 'Aanmelden').waitFor();
    await signIn(page, user.email, PASSWORD);
    // Back on the invitation, now in the person's own language (English).
    await heading(page, `Invitation to ${project.title}`).waitFor();
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Accept invitation' }).click();
    await heading(page, project.title).waitFor();
    await expect(page.getByRole('main').textContent()).resolves.toContain('My rolesMember');
  });

  it('says clearly that an expired invitation no longer works', async () => {
    const { project, admin } = await projectWithAdmin();
    const { token, invitationId } = await invite(admin, project.id, newEmail(), [ProjectRole.MEMBER]);
    await f.t.dataSource.query(`UPDATE invitations SET expires_at = now() - interval '1 minute' WHERE id = $1`, [invitationId]);
    const page = await f.newPage();

    await page.goto(`/invitation/${token}`);
    await heading(page, 'Deze uitnodiging werkt niet').waitFor();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('Deze uitnodiging is verlopen.');
    await expect(page.getByRole('button').filter({ hasText: 'meedoen' }).count()).resolves.toBe(0);
    await expectAccessible(page);
  });

  it('says clearly that a used invitation no longer works', async () => {
    const { project, admin } = await projectWithAdmin();
    const { token } = await invite(admin, project.id, newEmail(), [ProjectRole.MEMBER]);
    await new GraphQLClient(f.t.url).data(`mutation ($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { token } }`, {
      input: { token, displayName: 'First', password: PASSWORD },
    });
    const page = await f.newPage();

    await page.goto(`/invitation/${token}`);
    await heading(page, 'Deze uitnodiging werkt niet').waitFor();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('Deze uitnodiging is al gebruikt.');
    await expectAccessible(page);
  });

  it('says clearly that an unknown link does not work', async () => {
    const page = await f.newPage();
    await page.goto('/invitation/not-a-real-token');
    await heading(page, 'Deze uitnodiging werkt niet').waitFor();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('Deze link klopt niet of is verlopen.');
  });
});
