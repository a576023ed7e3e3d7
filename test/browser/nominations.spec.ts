import { ProjectRole } from '@quire/core';
import { GraphQLClient, waitFor } from '@quire/testing';
import { Page } from 'playwright-core';
import { MOTIVATION, nominateNew, NOMINATION_OPS as OPS } from '../nominations/fixtures';
import { BrowserFixture, expectAccessible, heading, signedInAs, startBrowserFixture, TestProject } from './support';

const { MEMBER, EDITOR } = ProjectRole;

describe('web: nomination rounds', () => {
  let f: BrowserFixture;
  beforeAll(async () => {
    // The worker delivers notifications (a merge tells the nominators).
    f = await startBrowserFixture('web-nominations', { worker: true });
  });
  afterAll(async () => {
    await f?.close();
  });

  /** A project with an editor and a round open for nominations, set up through the api. */
  async function openRound(input: Record<string, unknown> = {}): Promise<{ project: TestProject; editor: GraphQLClient; roundId: string }> {
    const project = await f.t.project();
    const editor = (await f.t.person([EDITOR, MEMBER], project)).client;
    const { createRound } = await editor.data<{ createRound: { id: string } }>(OPS.createRound, { projectId: project.id, input: { title: 'Ronde 1', motivationMinLength: 20, ...input } });
    await editor.data(OPS.advanceRound, { id: createRound.id, to: 'NOMINATING' });
    return { project, editor, roundId: createRound.id };
  }

  async function count(table: 'candidates' | 'nominations' | 'endorsements', projectId: string): Promise<number> {
    const [{ n }] = await f.t.dataSource.query(`SELECT count(*)::int AS n FROM ${table} WHERE project_id = $1`, [projectId]);
    return n;
  }

  /** The region that announces duplicates while the member types. */
  const suggestions = (page: Page) => page.locator('[aria-live="polite"]').filter({ hasText: 'Is this who you mean?' });

  it('lets a member nominate a new candidate with a source, showing field problems next to their fields', async () => {
    const { project } = await openRound();
    const { page } = await signedInAs(f, [MEMBER], project);
    await page.getByRole('link', { name: project.title }).click();
    await page.getByRole('link', { name: 'Ronde 1' }).click();
    await heading(page, 'Ronde 1').waitFor();
    await page.getByText('You can nominate 5 more candidates (of 5).').waitFor();
    await expectAccessible(page);

    await page.getByRole('link', { name: 'Nominate someone' }).click();
    await heading(page, 'Nominate someone').waitFor();
    await page.getByLabel('Name', { exact: true }).fill('Johan Rudolph Thorbecke');
    await page.getByLabel('Year of birth').fill('1798');
    await page.getByLabel('Year of death').fill('1872');
    await page.getByLabel('Government layer').selectOption({ label: 'National government' });
    await page.getByLabel('Motivation').fill('Te kort');
    await page.getByText('7 characters of at most 3,000').first().waitFor();
    await page.getByRole('button', { name: 'Add a source' }).click();
    // The new row takes focus, so a keyboard user continues in it.
    await expect(page.getByLabel('Kind of source').evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    await page.getByLabel('Description', { exact: true }).fill('Parlement.com');
    await page.getByRole('button', { name: 'Send nomination' }).click();

    await page.getByRole('alert').first().waitFor();
    const motivation = page.getByLabel('Motivation');
    await expect(motivation.getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.getByText('Error: Write 20 to 3000 characters').count()).resolves.toBe(1);
    await expect(page.getByLabel('Web address').getAttribute('aria-invalid')).resolves.toBe('true');
    await expectAccessible(page);
    expect(await count('candidates', project.id)).toBe(0);

    await motivation.fill(MOTIVATION);
    await page.getByLabel('Web address').fill('https://www.parlement.com/id/vg09ll0i1aza/j_r_thorbecke');
    await page.getByRole('button', { name: 'Send nomination' }).click();

    await heading(page, 'Johan Rudolph Thorbecke (1798–1872)').waitFor();
    await page.getByRole('status').filter({ hasText: 'Your nomination has been published.' }).waitFor();
    const source = page.getByRole('link', { name: /^Parlement\.com/ });
    await expect(source.getAttribute('href')).resolves.toBe('https://www.parlement.com/id/vg09ll0i1aza/j_r_thorbecke');
    await expect(source.getAttribute('rel')).resolves.toBe('noopener noreferrer');
    await expect(source.getAttribute('target')).resolves.toBe('_blank');
    await page.getByText(MOTIVATION).waitFor();
    await expectAccessible(page);
    expect(await count('nominations', project.id)).toBe(1);
  });

  it('shows a member who types a known person the suggestion, and endorsing it instead makes no duplicate', async () => {
    const { project, roundId } = await openRound();
    const first = await f.t.person([MEMBER], project);
    const thorbecke = await nominateNew(first.client, roundId, 'Johan Rudolph Thorbecke', { birthYear: 1798, deathYear: 1872 });

    const { page } = await signedInAs(f, [MEMBER], project);
    await page.goto(`/p/${project.slug}/rounds/${roundId}/nominate`);
    await heading(page, 'Nominate someone').waitFor();
    await page.getByLabel('Name', { exact: true }).pressSequentially('J.R. Thorbecke');
    await suggestions(page).getByText('Johan Rudolph Thorbecke', { exact: true }).waitFor();
    await expect(suggestions(page).textContent()).resolves.toContain('(1798–1872)');
    await expectAccessible(page);

    await suggestions(page).getByRole('button', { name: 'Endorse instead' }).click();
    await heading(page, 'Johan Rudolph Thorbecke (1798–1872)').waitFor();
    await page.getByRole('status').filter({ hasText: 'You now endorse Johan Rudolph Thorbecke' }).waitFor();
    await page.getByText('1 endorsement', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Withdraw endorsement' }).waitFor();
    await expectAccessible(page);
    // The same screen in Dutch, the default language.
    await page.getByRole('button', { name: 'Nederlands' }).click();
    await page.getByText('1 steunbetuiging', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Steun intrekken' }).waitFor();
    await expectAccessible(page);

    expect(new URL(page.url()).pathname).toBe(`/p/${project.slug}/candidates/${thorbecke.candidateId}`);
    expect(await count('candidates', project.id)).toBe(1);
    expect(await count('nominations', project.id)).toBe(1);
    expect(await count('endorsements', project.id)).toBe(1);
  });

  it('lets an editor merge a duplicate into its candidate from the candidate page, and undo it', async () => {
    const { project, roundId } = await openRound();
    const [first, second] = await Promise.all([f.t.person([MEMBER], project), f.t.person([MEMBER], project)]);
    const target = await nominateNew(first.client, roundId, 'Johan Rudolph Thorbecke', { birthYear: 1798 });
    const source = await nominateNew(second.client, roundId, 'J.R. Thorbecke', { birthYear: 1798 });

    const { page } = await signedInAs(f, [EDITOR, MEMBER], project);
    await page.goto(`/p/${project.slug}/candidates/${source.candidateId}`);
    await heading(page, 'J.R. Thorbecke (1798–)').waitFor();
    await heading(page, 'Merge into another candidate', 3).waitFor();
    // At first the candidates most like this one; a search narrows them down.
    await page.getByText('1 candidate looks like this one.').waitFor();
    await page.getByLabel('Search for the candidate to merge into').fill('Thorbecke');
    await page.getByText('1 candidate found.').waitFor();
    await expectAccessible(page);

    await page.getByRole('button', { name: 'Merge into this candidate (Johan Rudolph Thorbecke)' }).click();
    const dialog = page.getByRole('dialog', { name: 'Merge J.R. Thorbecke into Johan Rudolph Thorbecke?' });
    await dialog.waitFor();
    await expectAccessible(page);
    await dialog.getByRole('button', { name: 'Merge', exact: true }).click();

    await heading(page, 'Johan Rudolph Thorbecke (1798–)').waitFor();
    await page.getByRole('status').filter({ hasText: 'J.R. Thorbecke has been merged into Johan Rudolph Thorbecke.' }).waitFor();
    await heading(page, 'Nominations (2)', 2).waitFor();
    await expect(page.getByRole('region', { name: 'Merged into this candidate' }).textContent()).resolves.toContain('J.R. Thorbecke, merged on');
    await expectAccessible(page);

    // The duplicate's own address leads to the candidate it was merged into.
    await page.goto(`/p/${project.slug}/candidates/${source.candidateId}`);
    await page.getByText('The candidate you were looking for has been merged into Johan Rudolph Thorbecke.').waitFor();
    await expectAccessible(page);

    // Its nominator hears of the merge.
    await waitFor(async () => {
      const { notifications } = await second.client.data<{ notifications: { unreadCount: number } }>(OPS.notifications);
      return notifications.unreadCount > 0;
    }, 'the nominator of the duplicate to be notified');

    await page.goto(`/p/${project.slug}/candidates/${target.candidateId}`);
    await page.getByRole('button', { name: 'Undo (J.R. Thorbecke)' }).click();
    await page.getByRole('status').filter({ hasText: 'The merge has been undone.' }).waitFor();
    await heading(page, 'Nomination', 2).waitFor();
    await page.getByRole('status').getByRole('link', { name: 'J.R. Thorbecke' }).click();
    await heading(page, 'J.R. Thorbecke (1798–)').waitFor();
    const [{ merged_into_id }] = await f.t.dataSource.query(`SELECT merged_into_id FROM candidates WHERE id = $1`, [source.candidateId]);
    expect(merged_into_id).toBeNull();
  });

  it('shows the nominator of a merged candidate a notification, and marks it read', async () => {
    const { project, roundId, editor } = await openRound();
    const other = await f.t.person([MEMBER], project);
    const target = await nominateNew(other.client, roundId, 'Aletta Jacobs', { birthYear: 1854 });
    const { person, page } = await signedInAs(f, [MEMBER], project);
    const source = await nominateNew(person.client, roundId, 'Aletta H. Jacobs', { birthYear: 1854 });
    await editor.data(OPS.merge, { sourceId: source.candidateId, targetId: target.candidateId });
    await waitFor(async () => {
      const { notifications } = await person.client.data<{ notifications: { unreadCount: number } }>(OPS.notifications);
      return notifications.unreadCount > 0;
    }, 'the notification to be delivered');

    await page.reload();
    const bell = page.getByRole('link', { name: /^Notifications/ });
    await bell.filter({ hasText: '1 unread' }).waitFor();
    await bell.click();
    await heading(page, 'Notifications').waitFor();
    await page.getByText('Aletta H. Jacobs, whom you nominated, has been merged into Aletta Jacobs.').waitFor();
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Mark all as read' }).click();
    await page.getByText('0 unread', { exact: true }).waitFor();
    // No unread count left in the header.
    await page.getByRole('link', { name: 'Notifications', exact: true }).waitFor();
    await page.getByRole('link', { name: 'Go to Aletta Jacobs' }).click();
    await heading(page, 'Aletta Jacobs (1854–)').waitFor();
  });

  it('lets a member report a nomination and an editor hide it from the moderation queue, then block and unblock its author', async () => {
    const { project, roundId } = await openRound();
    const author = await f.t.person([MEMBER], project);
    const nomination = await nominateNew(author.client, roundId, 'Pieter Jelles Troelstra');

    const member = await signedInAs(f, [MEMBER], project);
    await member.page.goto(`/p/${project.slug}/candidates/${nomination.candidateId}`);
    await member.page.getByRole('button', { name: 'Report nomination' }).click();
    const reason = member.page.getByLabel('Why do you report this?');
    await expect(reason.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    await reason.fill('Beledigend voor de nabestaanden');
    await member.page.getByRole('button', { name: 'Send report' }).click();
    await member.page.getByRole('status').filter({ hasText: 'Thank you. The editors will look at your report.' }).waitFor();
    await expectAccessible(member.page);
    // The notice follows a change of language, as the rest of the page does.
    await member.page.getByRole('button', { name: 'Nederlands' }).click();
    await member.page.getByRole('status').filter({ hasText: 'Dank je. De redactie bekijkt je melding.' }).waitFor();
    await member.page.getByRole('button', { name: 'English' }).click();
    await member.page.getByRole('status').filter({ hasText: 'Thank you. The editors will look at your report.' }).waitFor();

    const { page } = await signedInAs(f, [EDITOR, MEMBER], project);
    await page.getByRole('link', { name: project.title }).click();
    await page.getByRole('link', { name: 'Moderation' }).click();
    await heading(page, 'Moderation').waitFor();
    const item = page.getByRole('listitem').filter({ has: heading(page, `Nomination by ${author.user.displayName}`, 3) });
    await expect(item.textContent()).resolves.toContain('1 open report');
    await expect(item.textContent()).resolves.toContain('Beledigend voor de nabestaanden');
    await expectAccessible(page);

    await item.getByRole('button', { name: 'Hide' }).click();
    await page.getByRole('status').filter({ hasText: 'Nomination hidden.' }).waitFor();
    await item.getByRole('button', { name: 'Show again' }).waitFor();
    const seen = await member.person.client.data<{ nominations: { totalCount: number } }>(OPS.nominations, { roundId });
    expect(seen.nominations.totalCount).toBe(0);

    await item.getByRole('button', { name: `Block ${author.user.displayName}` }).click();
    const dialog = page.getByRole('dialog', { name: `Block ${author.user.displayName}?` });
    await dialog.getByLabel('Reason').fill('Herhaaldelijk beledigend');
    await expectAccessible(page);
    await dialog.getByRole('button', { name: 'Block', exact: true }).click();
    await page.getByRole('status').filter({ hasText: `${author.user.displayName} has been blocked.` }).waitFor();
    const blocked = page.getByRole('region', { name: 'People who may no longer take part' });
    await expect(blocked.getByRole('row').filter({ hasText: author.user.displayName }).textContent()).resolves.toContain('Herhaaldelijk beledigend');
    await expect(author.client.errorCode(OPS.nominate, { roundId, input: { candidate: { name: 'Multatuli' }, motivation: MOTIVATION, sources: [] } })).resolves.toBe('BLOCKED');
    await expectAccessible(page);

    await blocked.getByRole('button', { name: `Lift block (${author.user.displayName})` }).click();
    await page.getByText('Nobody is blocked.').waitFor();
  });

  it('lets an editor create a round with a schedule and rules, move it on, and import nominations', async () => {
    const { project, page } = await signedInAs(f, [EDITOR, MEMBER]);
    await page.getByRole('link', { name: project.title }).click();
    await page.getByRole('link', { name: 'New round' }).click();
    await heading(page, 'New round').waitFor();
    await expectAccessible(page);

    await page.getByLabel('Title').fill('Ronde 2026');
    await page.getByLabel('Nominating opens').fill('2030-03-01T09:00');
    await page.getByLabel('Voting opens').fill('2030-04-01T09:00');
    await page.getByLabel('Closes').fill('2030-03-15T17:00');
    await page.getByLabel('Nominations per person').fill('3');
    const nominating = page.getByRole('table', { name: 'Nominating' });
    await nominating.getByRole('checkbox', { name: 'Nominate: Author' }).check();
    await nominating.getByRole('checkbox', { name: 'Endorse: Member' }).uncheck();
    await page.getByLabel('Tallies visible in phase Nominating').check();
    await page.getByRole('button', { name: 'Create round' }).click();

    // Closing before voting opens is refused, next to its field.
    await page.getByRole('alert').first().waitFor();
    await expect(page.getByLabel('Closes').getAttribute('aria-invalid')).resolves.toBe('true');
    await expectAccessible(page);
    await page.getByLabel('Closes').fill('2030-04-15T17:00');
    await page.getByRole('button', { name: 'Create round' }).click();

    await heading(page, 'Ronde 2026').waitFor();
    await page.getByRole('status').filter({ hasText: 'The round has been created.' }).waitFor();
    await expect(page.getByRole('main').textContent()).resolves.toContain('PhaseDraft');
    await expectAccessible(page);
    const roundId = new URL(page.url()).pathname.split('/').pop() ?? '';
    const [round] = await f.t.dataSource.query(`SELECT rules, max_nominations_per_member, nominating_opens_at, closes_at FROM rounds WHERE id = $1`, [roundId]);
    expect(round.max_nominations_per_member).toBe(3);
    expect(round.rules.NOMINATING).toEqual({ nominate: ['MEMBER', 'AUTHOR'], endorse: [], comment: ['MEMBER'], vote: [], talliesVisible: true });
    expect(round.rules.VOTING.vote).toEqual(['MEMBER']);
    expect(round.closes_at > round.nominating_opens_at).toBe(true);

    await page.getByRole('link', { name: 'Round settings' }).click();
    await heading(page, 'Settings of Ronde 2026').waitFor();
    await expect(page.getByLabel('Nominations per person').inputValue()).resolves.toBe('3');
    await page.getByRole('button', { name: 'Move to Nominating now' }).click();
    const dialog = page.getByRole('dialog', { name: 'Move the round to phase Nominating now?' });
    await expect(dialog.textContent()).resolves.toContain('The schedule would do this on');
    await dialog.getByRole('button', { name: 'Move to Nominating' }).click();
    await page.getByRole('status').filter({ hasText: 'The round is in phase Nominating now.' }).waitFor();
    await page.getByRole('button', { name: 'Move to Voting now' }).waitFor();

    // A file with a bad row imports nothing and names the row.
    const header = 'name,motivation,birth_year';
    await page.getByLabel('CSV file').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(`${header}\nCornelis Lely,"${MOTIVATION}",1854\nWillem Drees,kort,1886\n`) });
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByText(/^Row 3, column motivation: Write 50 to 3000 characters$/).waitFor();
    expect(await count('nominations', project.id)).toBe(0);
    await expectAccessible(page);
    await page.getByLabel('CSV file').setInputFiles({ name: 'good.csv', mimeType: 'text/csv', buffer: Buffer.from(`${header}\nCornelis Lely,"${MOTIVATION}",1854\n`) });
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByRole('status').filter({ hasText: '1 nomination imported; new candidates: 1.' }).waitFor();
    expect(await count('nominations', project.id)).toBe(1);
  });
});
