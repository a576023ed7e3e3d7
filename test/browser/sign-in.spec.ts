import { ProjectRole } from '@quire/core';
import { BrowserFixture, heading, expectAccessible, newEmail, PASSWORD, signedInAs, signIn, startBrowserFixture } from './support';

describe('web: signing in and out, the language, the profile', () => {
  let f: BrowserFixture;
  beforeAll(async () => {
    f = await startBrowserFixture('web-signin');
  });
  afterAll(async () => {
    await f?.close();
  });

  it('shows a clear error for a wrong password, then signs in to the project list', async () => {
    const project = await f.t.project();
    const { user } = await f.t.person([ProjectRole.MEMBER], project, { email: newEmail(), password: PASSWORD });
    const page = await f.newPage();

    await page.goto('/');
    await heading(page, 'Aanmelden').waitFor();
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await expectAccessible(page);

    await signIn(page, user.email, 'not the password');
    await expect(page.getByRole('alert').textContent()).resolves.toContain('Het e-mailadres of het wachtwoord klopt niet.');
    await expectAccessible(page);

    await page.getByLabel('Wachtwoord').fill(PASSWORD);
    await page.getByRole('button', { name: 'Aanmelden' }).click();
    // The fixture person chose English in their profile; their language follows them.
    await heading(page, 'My projects').waitFor();
    await page.getByRole('link', { name: project.title }).waitFor();
    await expect(page.getByRole('banner').textContent()).resolves.toContain(`Signed in as ${user.displayName}`);
    await expectAccessible(page);
  });

  it('goes back to the page that asked for sign-in', async () => {
    const project = await f.t.project();
    const { user } = await f.t.person([ProjectRole.MEMBER], project, { email: newEmail(), password: PASSWORD });
    const page = await f.newPage();

    await page.goto(`/p/${project.slug}`);
    await heading(page, 'Aanmelden').waitFor();
    await signIn(page, user.email, PASSWORD);
    await heading(page, project.title).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/p/${project.slug}`);
  });

  it('lets keyboard users skip to the content first', async () => {
    const page = await f.newPage();
    await page.goto('/sign-in');
    await heading(page, 'Aanmelden').waitFor();
    await page.keyboard.press('Tab');
    const skipLink = page.getByRole('link', { name: 'Direct naar de inhoud' });
    expect(await skipLink.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    expect(await page.getByRole('main').evaluate((el) => el === document.activeElement)).toBe(true);
  });

  it('switches from Dutch to English and keeps English over a reload', async () => {
    const page = await f.newPage();
    await page.goto('/sign-in');
    await heading(page, 'Aanmelden').waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('nl');

    await page.getByRole('button', { name: 'English' }).click();
    await heading(page, 'Sign in').waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.getByRole('button', { name: 'English' }).getAttribute('aria-pressed')).toBe('true');
    await page.getByLabel('E-mail address').waitFor();
    await expectAccessible(page);

    await page.reload();
    await heading(page, 'Sign in').waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
  });

  it("saves a signed-in person's language in their profile, so it follows them to another browser", async () => {
    const { person: { user, client }, page } = await signedInAs(f, [ProjectRole.MEMBER]);

    const profileSaved = page.waitForResponse((r) => r.url().endsWith('/graphql') && (r.request().postData() ?? '').includes('UpdateMyProfile'));
    await page.getByRole('button', { name: 'Nederlands' }).click();
    await heading(page, 'Mijn projecten').waitFor();
    await profileSaved;
    await expect(client.data<{ me: { locale: string } }>('{ me { locale } }')).resolves.toEqual({ me: { locale: 'nl' } });

    const elsewhere = await f.newPage();
    await elsewhere.goto('/sign-in');
    await signIn(elsewhere, user.email, PASSWORD);
    await heading(elsewhere, 'Mijn projecten').waitFor();
  });

  it('keeps the later of two quick language switches, on the page and in the profile, when the first save is slow', async () => {
    const { person: { client }, page } = await signedInAs(f, [ProjectRole.MEMBER]);
    // The Dutch save is held back: saved side by side, the English one would be stored first and
    // the Dutch one would then win, in the profile and (following the profile) on the page.
    await page.route('**/graphql', async (route) => {
      if ((route.request().postData() ?? '').includes('"locale":"nl"')) await new Promise((resolve) => setTimeout(resolve, 700));
      await route.continue();
    });
    const saved = (locale: string) => page.waitForResponse((r) => r.url().endsWith('/graphql') && (r.request().postData() ?? '').includes(`"locale":"${locale}"`));
    const savedInOrder = Promise.all([saved('nl'), saved('en')]);
    await page.getByRole('button', { name: 'Nederlands' }).click();
    await heading(page, 'Mijn projecten').waitFor();
    await page.getByRole('button', { name: 'English' }).click();
    await heading(page, 'My projects').waitFor();
    await savedInOrder;

    await expect(client.data<{ me: { locale: string } }>('{ me { locale } }')).resolves.toEqual({ me: { locale: 'en' } });
    await heading(page, 'My projects').waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
  });

  it('signs out to the sign-in page, after which the projects need a sign-in again', async () => {
    const { user } = await f.t.person([], undefined, { email: newEmail(), password: PASSWORD });
    const page = await f.newPage();
    await page.goto('/sign-in');
    await signIn(page, user.email, PASSWORD);
    await heading(page, 'My projects').waitFor();
    // The heading shows before the list has loaded; wait for what the list says.
    await page.getByText('You do not take part in a book project yet.').waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await heading(page, 'Sign in').waitFor();
    await page.goto('/');
    await heading(page, 'Sign in').waitFor();
    expect(new URL(page.url()).pathname).toBe('/sign-in');
  });

  it('asks for a reset link without saying whether the address has an account', async () => {
    const page = await f.newPage();
    await page.goto('/sign-in');
    await page.getByRole('link', { name: 'Wachtwoord vergeten?' }).click();
    await heading(page, 'Wachtwoord vergeten').waitFor();
    await page.getByLabel('E-mailadres').fill('nobody@example.org');
    await page.getByRole('button', { name: 'Stuur de link' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'nobody@example.org' }).textContent()).resolves.toContain(
      'Als er een account is voor nobody@example.org',
    );
    await expectAccessible(page);
  });

  it('changes the name and language in the profile', async () => {
    const { user } = await f.t.person([], undefined, { email: newEmail(), password: PASSWORD });
    const page = await f.newPage();
    await page.goto('/sign-in');
    await signIn(page, user.email, PASSWORD);
    await page.getByRole('link', { name: 'My profile' }).click();
    await heading(page, 'My profile').waitFor();
    await expectAccessible(page);

    await page.getByLabel('Name').fill('Bram van der Berg');
    await page.getByRole('combobox', { name: 'Language' }).selectOption('nl');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await page.getByRole('status').filter({ hasText: 'Je profiel is opgeslagen.' }).waitFor();
    await heading(page, 'Mijn profiel').waitFor();
    await expect(page.getByRole('banner').textContent()).resolves.toContain('Aangemeld als Bram van der Berg');
  });

  it('lets people from an allowed e-mail domain sign up, and tells others to ask for an invitation', async () => {
    const project = await f.t.project();
    const admin = await f.t.person([ProjectRole.ADMIN], project);
    await admin.client.data(`mutation ($id: ID!, $input: UpdateProjectInput!) { updateProject(id: $id, input: $input) { id } }`, {
      id: project.id,
      input: { selfSignUp: true, allowedEmailDomains: ['minbzk.example'] },
    });
    const page = await f.newPage();
    await page.goto(`/sign-up/${project.slug}`);
    await heading(page, `Meedoen aan ${project.slug}`).waitFor();
    await expectAccessible(page);

    await page.getByLabel('E-mailadres').fill(newEmail('elsewhere.example'));
    await page.getByLabel('Naam').fill('Iemand Anders');
    await page.getByLabel('Wachtwoord').fill(PASSWORD);
    await page.getByRole('button', { name: 'Account maken' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('Met dit e-mailadres kun je je niet zelf aanmelden voor dit project.');

    await page.getByLabel('E-mailadres').fill(newEmail('minbzk.example'));
    await page.getByRole('button', { name: 'Account maken' }).click();
    await heading(page, project.title).waitFor();
    await expect(page.getByRole('main').textContent()).resolves.toContain('Mijn rollenLid');
  });

  it('explains an unusable reset link and offers a new one', async () => {
    const page = await f.newPage();
    await page.goto('/reset-password/not-a-real-token');
    await heading(page, 'Nieuw wachtwoord kiezen').waitFor();
    await page.getByLabel('Nieuw wachtwoord').fill(PASSWORD);
    await page.getByRole('button', { name: 'Wachtwoord opslaan en aanmelden' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('Deze link klopt niet of is verlopen.');
    await page.getByRole('link', { name: 'Vraag een nieuwe link aan' }).click();
    await heading(page, 'Wachtwoord vergeten').waitFor();
    await expectAccessible(page);
  });
});
