import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { ProjectRole } from '@quire/core';
import { GraphQLClient } from '@quire/testing';
import { Page } from 'playwright-core';
import { MOTIVATION, NOMINATION_OPS as OPS } from '../nominations/fixtures';
import { cast, importCandidates, NewCandidate, VOTING_OPS } from '../voting/fixtures';
import { BrowserFixture, expectAccessible, heading, signedInAs, startBrowserFixture, TestProject } from './support';

const { MEMBER, EDITOR } = ProjectRole;

/** How long the screens may take to follow a change made elsewhere (the target is a second). */
const LIVE_TIMEOUT_MS = 10_000;
/** Rank changes are announced at most every ten seconds, so an announcement may lag that much. */
const ANNOUNCE_EVERY_MS = 10_000;
const ANNOUNCE_TIMEOUT_MS = ANNOUNCE_EVERY_MS + 5_000;

/** Rank, name and votes of each row of the page's leaderboard table, top first. */
function standingsOn(page: Page): Promise<string[][]> {
  return page
    .getByRole('table')
    .locator('tbody tr')
    .evaluateAll((rows) => rows.map((row) => [...(row as HTMLTableRowElement).cells].slice(0, 3).map((cell) => cell.textContent?.trim() ?? '')));
}

/** Polls the page (never reloading it) until its leaderboard shows `expected`, or fails showing what it does show. */
async function expectStandings(page: Page, expected: string[][]): Promise<void> {
  const deadline = Date.now() + LIVE_TIMEOUT_MS;
  let shown = await standingsOn(page);
  while (JSON.stringify(shown) !== JSON.stringify(expected) && Date.now() < deadline) {
    await page.waitForTimeout(100);
    shown = await standingsOn(page);
  }
  expect(shown).toEqual(expected);
}

/**
 * On a phone the page does not scroll sideways (a table wider than the screen scrolls in a region
 * of its own) and stays accessible; then back to the page's own size.
 */
async function expectFitsPhone(page: Page): Promise<void> {
  const before = page.viewportSize();
  await page.setViewportSize({ width: 375, height: 740 });
  await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(375);
  await expectAccessible(page);
  if (before) await page.setViewportSize(before);
}

describe('web: voting, the live leaderboard, results and the selection', () => {
  let f: BrowserFixture;
  beforeAll(async () => {
    // The worker folds votes into the tallies the leaderboard shows.
    f = await startBrowserFixture('web-voting', { worker: true });
  });
  afterAll(async () => {
    await f?.close();
  });

  /**
   * A round 'Stemronde' (of a new project unless given) that has `candidates` on its ballot, and the
   * known candidates `again` nominated anew, and is open for voting; set up through the api.
   */
  async function votingRound(
    candidates: NewCandidate[], input: Record<string, unknown> = {}, inProject?: TestProject, again: string[] = [],
  ): Promise<{ project: TestProject; editor: GraphQLClient; roundId: string; ids: string[] }> {
    const project = inProject ?? (await f.t.project());
    const editor = (await f.t.person([EDITOR, MEMBER], project)).client;
    const { createRound } = await editor.data<{ createRound: { id: string } }>(OPS.createRound, { projectId: project.id, input: { title: 'Stemronde', ...input } });
    await editor.data(OPS.advanceRound, { id: createRound.id, to: 'NOMINATING' });
    const ids = await importCandidates(editor, createRound.id, candidates);
    for (const candidateId of again) await editor.data(OPS.nominate, { roundId: createRound.id, input: { candidateId, motivation: MOTIVATION } });
    await editor.data(OPS.advanceRound, { id: createRound.id, to: 'VOTING' });
    return { project, editor, roundId: createRound.id, ids };
  }

  const ballotStatus = (page: Page) => page.getByRole('status').filter({ hasText: 'votes left' });
  const voteButton = (page: Page, name: string) => page.getByRole('button', { name: `Vote (${name})`, exact: true });

  /** Votes on the round page and waits for the ballot to say so. */
  async function vote(page: Page, name: string, left: string): Promise<void> {
    await voteButton(page, name).click();
    await page.locator(`button[aria-pressed="true"]`, { hasText: name }).waitFor();
    await ballotStatus(page).filter({ hasText: left }).waitFor();
  }

  it('shows a fourth member the leaderboard move live while three members vote in their own browsers', async () => {
    const { project, roundId } = await votingRound([{ name: 'Anna Eén' }, { name: 'Bas Twee' }, { name: 'Cees Drie' }], { votesPerMember: 2 });
    const [watcher, first, second, third] = await Promise.all([1, 2, 3, 4].map(() => signedInAs(f, [MEMBER], project)));

    // The watcher's clock is the test's: after each change it moves on past the announcement
    // interval, so that every change of ranks is announced before the next change comes.
    await watcher.page.clock.install();
    const watcherSees = async (expected: string[][]): Promise<void> => {
      await expectStandings(watcher.page, expected);
      await watcher.page.clock.fastForward(ANNOUNCE_EVERY_MS);
    };
    await watcher.page.goto(`/p/${project.slug}/rounds/${roundId}/leaderboard`);
    await heading(watcher.page, 'Leaderboard of Stemronde').waitFor();
    await watcherSees([['1', 'Anna Eén', '0'], ['1', 'Bas Twee', '0'], ['1', 'Cees Drie', '0']]);
    await expectAccessible(watcher.page);
    // Marks this page: a reload would lose the mark.
    await watcher.page.evaluate(() => Object.assign(window, { quireSamePage: true }));

    // The first member votes on a phone.
    await first.page.setViewportSize({ width: 375, height: 740 });
    await first.page.getByRole('link', { name: project.title }).click();
    await first.page.getByRole('link', { name: 'Stemronde' }).click();
    await heading(first.page, 'Stemronde').waitFor();
    await ballotStatus(first.page).filter({ hasText: '2 of 2 votes left' }).waitFor();
    await expectAccessible(first.page);
    await vote(first.page, 'Bas Twee', '1 of 2 votes left');
    await watcherSees([['1', 'Bas Twee', '1'], ['2', 'Anna Eén', '0'], ['2', 'Cees Drie', '0']]);

    await second.page.goto(`/p/${project.slug}/rounds/${roundId}`);
    await vote(second.page, 'Cees Drie', '1 of 2 votes left');
    await vote(second.page, 'Bas Twee', '0 of 2 votes left');
    await watcherSees([['1', 'Bas Twee', '2'], ['2', 'Cees Drie', '1'], ['3', 'Anna Eén', '0']]);

    await third.page.goto(`/p/${project.slug}/rounds/${roundId}`);
    await vote(third.page, 'Cees Drie', '1 of 2 votes left');
    await watcherSees([['1', 'Bas Twee', '2'], ['1', 'Cees Drie', '2'], ['3', 'Anna Eén', '0']]);
    await vote(third.page, 'Anna Eén', '0 of 2 votes left');
    await watcherSees([['1', 'Bas Twee', '2'], ['1', 'Cees Drie', '2'], ['3', 'Anna Eén', '1']]);

    // With no votes left, voting for someone else moves one of my votes.
    await voteButton(third.page, 'Bas Twee').click();
    await third.page.getByText('You have used all your votes. Move one of them to Bas Twee.').waitFor();
    await third.page.getByLabel('Take the vote from').selectOption({ label: 'Anna Eén' });
    await expectAccessible(third.page);
    await third.page.getByRole('button', { name: 'Move vote' }).click();
    await third.page.locator('button[aria-pressed="true"]', { hasText: 'Bas Twee' }).waitFor();
    await expect(voteButton(third.page, 'Anna Eén').getAttribute('aria-pressed')).resolves.toBe('false');
    await watcherSees([['1', 'Bas Twee', '3'], ['2', 'Cees Drie', '2'], ['3', 'Anna Eén', '0']]);
    await watcher.page
      .locator('[aria-live="polite"]')
      .filter({ hasText: 'New standings: Bas Twee at rank 1 with 3 votes, Cees Drie at rank 2 with 2 votes, Anna Eén at rank 3 with 0 votes.' })
      .waitFor({ state: 'attached', timeout: ANNOUNCE_TIMEOUT_MS });

    // Withdrawing from "my votes" gives the vote back.
    await third.page.getByRole('button', { name: 'Withdraw vote (Cees Drie)' }).click();
    await ballotStatus(third.page).filter({ hasText: '1 of 2 votes left' }).waitFor();
    // The button went with the vote; a keyboard user goes on from the list's heading, not the page's start.
    await expect(third.page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('My votes');
    await watcherSees([['1', 'Bas Twee', '3'], ['2', 'Cees Drie', '1'], ['3', 'Anna Eén', '0']]);
    await expectAccessible(third.page);

    // Rank changes are announced politely, not on every update: the move was the last change of
    // ranks, and the withdrawal after it, which moved no rank, is not announced.
    await expect(watcher.page.locator('[aria-live="polite"]').filter({ hasText: 'New standings:' }).textContent()).resolves.toBe(
      'New standings: Bas Twee at rank 1 with 3 votes, Cees Drie at rank 2 with 2 votes, Anna Eén at rank 3 with 0 votes.',
    );
    await expect(watcher.page.evaluate(() => (window as { quireSamePage?: boolean }).quireSamePage)).resolves.toBe(true);
    await expect(watcher.page.getByRole('link', { name: 'Bas Twee' }).count()).resolves.toBe(1);
    await expectAccessible(watcher.page);
  });

  it('opens the ballot on a member\'s open round page when an editor opens voting, and says so', async () => {
    const project = await f.t.project();
    const editor = (await f.t.person([EDITOR, MEMBER], project)).client;
    const { createRound } = await editor.data<{ createRound: { id: string } }>(OPS.createRound, { projectId: project.id, input: { title: 'Volgronde', votesPerMember: 2 } });
    await editor.data(OPS.advanceRound, { id: createRound.id, to: 'NOMINATING' });
    await importCandidates(editor, createRound.id, [{ name: 'Dirk Vier' }, { name: 'Els Vijf' }]);
    const { page } = await signedInAs(f, [MEMBER], project);
    await page.goto(`/p/${project.slug}/rounds/${createRound.id}`);
    await heading(page, 'Volgronde').waitFor();
    await page.getByText('Nominate candidates').waitFor();
    expect(await page.getByRole('heading', { name: 'Your ballot' }).count()).toBe(0);
    await page.evaluate(() => Object.assign(window, { quireSamePage: true }));

    await editor.data(OPS.advanceRound, { id: createRound.id, to: 'VOTING' });
    await page.getByRole('status').filter({ hasText: 'The round has moved to the phase Voting.' }).waitFor({ timeout: LIVE_TIMEOUT_MS });
    await heading(page, 'Your ballot', 2).waitFor();
    await ballotStatus(page).filter({ hasText: '2 of 2 votes left' }).waitFor();
    expect(await page.getByText('Nominate candidates').count()).toBe(0);
    await expectAccessible(page);
    await vote(page, 'Els Vijf', '1 of 2 votes left');
    await expect(page.evaluate(() => (window as { quireSamePage?: boolean }).quireSamePage)).resolves.toBe(true);
  });

  it('lets an editor have the votes counted again and shows whether the live tally agrees, and where it does not', async () => {
    const { project, roundId, ids } = await votingRound([{ name: 'Fenna Zes' }, { name: 'Gijs Zeven' }], { votesPerMember: 2 });
    const voters = await Promise.all([1, 2].map(() => f.t.person([MEMBER], project)));
    await cast(voters[0].client, roundId, ids[0]);
    await cast(voters[1].client, roundId, ids[0]);
    await cast(voters[1].client, roundId, ids[1]);
    await f.t.jobsSettled();

    const member = await signedInAs(f, [MEMBER], project);
    await member.page.goto(`/p/${project.slug}/rounds/${roundId}/leaderboard`);
    await heading(member.page, 'Leaderboard of Stemronde').waitFor();
    expect(await member.page.getByRole('button', { name: 'Count again' }).count()).toBe(0);

    const { page } = await signedInAs(f, [EDITOR, MEMBER], project);
    await page.goto(`/p/${project.slug}/rounds/${roundId}/leaderboard`);
    await heading(page, 'Recount', 2).waitFor();
    await page.getByRole('button', { name: 'Count again' }).click();
    await page.getByRole('status').filter({ hasText: 'The live tally agrees with the votes: 3 votes.' }).waitFor({ timeout: LIVE_TIMEOUT_MS });
    await expectAccessible(page);

    // A live tally gone wrong (here by hand) is reported, candidate by candidate, not hidden.
    await f.t.dataSource.query(`UPDATE tallies SET votes = votes + 2 WHERE round_id = $1 AND candidate_id = $2`, [roundId, ids[1]]);
    await page.getByRole('button', { name: 'Count again' }).click();
    await page.getByRole('status').filter({ hasText: 'The live tally differs from the votes for 1 candidate.' }).waitFor({ timeout: LIVE_TIMEOUT_MS });
    const differences = page.getByRole('table', { name: 'Where the live tally and the votes differ' });
    await expect(differences.locator('tbody tr').evaluateAll((rows) => rows.map((row) => [...(row as HTMLTableRowElement).cells].map((cell) => cell.textContent?.trim())))).resolves.toEqual([['Gijs Zeven', '3', '1']]);
    // The earlier recount stays listed with its own outcome.
    await page.getByText('The live tally agrees with the votes: 3 votes.').waitFor();
    await expectAccessible(page);
  });

  it('hides the standings from members where the phase does, tells editors who see them, and says when voting has ended', async () => {
    const hidden = { nominate: [], endorse: [], comment: [], vote: [MEMBER] as ProjectRole[], talliesVisible: false };
    const rules = {
      DRAFT: { ...hidden, vote: [] },
      NOMINATING: { ...hidden, nominate: [MEMBER], vote: [] },
      VOTING: hidden,
      CLOSED: { ...hidden, vote: [], talliesVisible: true },
    };
    const { project, roundId, ids } = await votingRound([{ name: 'Dirk Vier' }, { name: 'Eva Vijf' }], { rules });
    const voter = await f.t.person([MEMBER], project);
    await cast(voter.client, roundId, ids[0]);

    const member = await signedInAs(f, [MEMBER], project);
    await member.page.goto(`/p/${project.slug}/rounds/${roundId}`);
    await member.page.getByText('The standings are hidden while voting is open.', { exact: false }).waitFor();
    await expect(member.page.getByRole('table').count()).resolves.toBe(0);
    await expectAccessible(member.page);

    const editor = await signedInAs(f, [EDITOR, MEMBER], project);
    await editor.page.goto(`/p/${project.slug}/rounds/${roundId}`);
    await editor.page.getByText('Members do not see the standings in this phase; you see them as an editor.').waitFor();
    await expectStandings(editor.page, [['1', 'Dirk Vier', '1'], ['2', 'Eva Vijf', '0']]);
    await expectAccessible(editor.page);

    // The editor closes the round in their browser while the member's page still offers the vote:
    // the member's page follows without a reload, its ballot read-only and saying so.
    await editor.page.goto(`/p/${project.slug}/rounds/${roundId}/settings`);
    await editor.page.getByRole('button', { name: 'Move to Closed now' }).click();
    await editor.page.getByRole('dialog', { name: 'Move the round to phase Closed now?' }).getByRole('button', { name: 'Move to Closed' }).click();
    await editor.page.getByRole('status').filter({ hasText: 'The round is in phase Closed now.' }).waitFor();
    await member.page.getByRole('status').filter({ hasText: 'Voting has ended.' }).waitFor({ timeout: LIVE_TIMEOUT_MS });
    await member.page.getByRole('link', { name: 'See the results' }).waitFor();
    await expect(voteButton(member.page, 'Eva Vijf').count()).resolves.toBe(0);
    await expectAccessible(member.page);
  });

  it('publishes the results with their counts and exports, and lets an editor propose a balanced selection and confirm it', async () => {
    const { project, editor, roundId, ids } = await votingRound(
      [
        { name: 'Anna Eén', gender: 'FEMALE', governmentLayer: 'NATIONAL' },
        { name: 'Bas Twee', gender: 'MALE', governmentLayer: 'NATIONAL' },
        { name: 'Cees Drie', gender: 'MALE', governmentLayer: 'MUNICIPAL' },
        { name: 'Dirk Vier', gender: 'MALE', governmentLayer: 'PROVINCIAL' },
        { name: 'Eva Vijf', gender: 'FEMALE', governmentLayer: 'MUNICIPAL' },
      ],
      { votesPerMember: 3 },
    );
    const [anna, bas, cees, dirk] = ids;
    const voters = await Promise.all([1, 2, 3].map(() => f.t.person([MEMBER], project)));
    for (const [voter, choices] of [[voters[0], [bas, cees, dirk]], [voters[1], [bas, cees, anna]], [voters[2], [bas, dirk]]] as const) {
      for (const candidateId of choices) await cast(voter.client, roundId, candidateId);
    }
    await editor.data(OPS.advanceRound, { id: roundId, to: 'CLOSED' });

    const { page } = await signedInAs(f, [EDITOR, MEMBER], project);
    await page.goto(`/p/${project.slug}/rounds/${roundId}`);
    await page.getByRole('link', { name: 'See the results' }).click();
    await heading(page, 'Results of Stemronde').waitFor();
    await expectStandings(page, [['1', 'Bas Twee', '3'], ['2', 'Cees Drie', '2'], ['2', 'Dirk Vier', '2'], ['4', 'Anna Eén', '1'], ['5', 'Eva Vijf', '0']]);
    await page.getByText('Votes counted').waitFor();
    await expectAccessible(page);
    await expectFitsPhone(page);

    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download as CSV' }).click()]);
    expect(csv.suggestedFilename()).toBe('stemronde-results.csv');
    const csvText = await readFile(await csv.path(), 'utf8');
    expect(csvText.split('\n')[0]).toBe('rank,votes,candidate_id,name,birth_year,death_year,government_layer,gender,region,period_start,period_end,wikidata_id');
    expect(csvText).toContain(`1,3,${bas},Bas Twee`);
    const [json] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download as JSON' }).click()]);
    const exported = JSON.parse(await readFile(await json.path(), 'utf8'));
    expect(exported.totals).toMatchObject({ votes: 8, voters: 3 });

    await page.getByRole('link', { name: 'Go to the selection' }).click();
    await heading(page, 'Selection from Stemronde').waitFor();
    await page.getByText('There is no proposal yet.').waitFor();
    await expectAccessible(page);

    // The book has room for more portraits than the round has candidates: the form starts at all of them.
    await expect(page.getByLabel('Number of candidates to select').inputValue()).resolves.toBe('5');
    // Three, at least two of them women; Dirk Vier pinned, Cees Drie excluded.
    await page.getByLabel('Number of candidates to select').fill('3');
    await page.getByRole('button', { name: 'Add a quota' }).click();
    const quota = page.getByRole('group', { name: 'Quota 1' });
    await expect(quota.getByLabel('Group').evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    await quota.getByLabel('Gender').selectOption({ label: 'Woman' });
    await quota.getByLabel('At least').fill('2');
    await page.getByRole('button', { name: 'Pin (Dirk Vier)' }).click();
    await page.getByRole('button', { name: 'Exclude (Cees Drie)' }).click();
    await page.getByText('1 pinned, 1 excluded.').waitFor();
    await expect(page.getByRole('button', { name: 'Pin (Dirk Vier)' }).getAttribute('aria-pressed')).resolves.toBe('true');
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Ask for a proposal' }).click();

    await page.getByRole('status').filter({ hasText: 'The assistant has made a new proposal.' }).waitFor();
    await heading(page, "The assistant's proposal", 2).waitFor();
    await page.getByText('3 candidates with 3 votes together: no selection within these quotas has more.').waitFor();
    const quotas = page.getByRole('table', { name: 'The quotas in this proposal' });
    await expect(quotas.getByRole('row', { name: /Gender: Woman/ }).textContent()).resolves.toContain('Binds: costs 3 votes');
    const selected = page.getByRole('table', { name: 'Selected candidates, most votes first' });
    await expect(selected.locator('tbody tr td:first-child').allTextContents()).resolves.toEqual(['Dirk Vier', 'Anna Eén', 'Eva Vijf']);
    await page.locator('code', { hasText: 'Seed: ' }).waitFor();
    await expectAccessible(page);
    await expectFitsPhone(page);

    await page.getByRole('button', { name: 'Confirm this selection' }).click();
    const dialog = page.getByRole('dialog', { name: 'Select these 3 candidates for good?' });
    await dialog.waitFor();
    await expectAccessible(page);
    await dialog.getByRole('button', { name: 'Confirm', exact: true }).click();
    await page.getByRole('status').filter({ hasText: '3 candidates have been selected.' }).waitFor();
    await heading(page, 'Confirmed selection', 2).waitFor();
    await expect(page.getByRole('button', { name: 'Confirm this selection' }).count()).resolves.toBe(0);
    await expectAccessible(page);

    const statuses: { name: string; status: string }[] = await f.t.dataSource.query(`SELECT name, status FROM candidates WHERE project_id = $1 ORDER BY name`, [project.id]);
    expect(statuses).toEqual([
      { name: 'Anna Eén', status: 'SELECTED' },
      { name: 'Bas Twee', status: 'NOT_SELECTED' },
      { name: 'Cees Drie', status: 'NOT_SELECTED' },
      { name: 'Dirk Vier', status: 'SELECTED' },
      { name: 'Eva Vijf', status: 'SELECTED' },
    ]);
    const [{ n: portraits }] = await f.t.dataSource.query(`SELECT count(*)::int AS n FROM portraits WHERE project_id = $1 AND status = 'UNASSIGNED'`, [project.id]);
    expect(portraits).toBe(3);
  });

  it("lets a later round's selection fill the places left of the book, without the candidates selected before, and says when none are left", async () => {
    // Round 1: three candidates without votes for two places, so the seeded draw decides.
    const names = ['Anna Eén', 'Bas Twee', 'Cas Drie'];
    const first = await votingRound(names.map((name) => ({ name })), { votesPerMember: 2 });
    const { project, editor } = first;
    await f.t.dataSource.query(`UPDATE projects SET target_portrait_count = 3 WHERE id = $1`, [project.id]);
    await editor.data(OPS.advanceRound, { id: first.roundId, to: 'CLOSED' });
    const { proposeSelection } = await editor.data<{ proposeSelection: { id: string } }>(VOTING_OPS.proposeSelection, { roundId: first.roundId, input: { size: 2, seed: 'loting' } });
    await editor.data(VOTING_OPS.confirmSelection, { id: proposeSelection.id });
    // The draw, recomputed as the results page tells anyone to: by SHA-256 of "loting:<id>".
    const drawn = names.map((name, i) => ({ name, id: first.ids[i], key: createHash('sha256').update(`loting:${first.ids[i]}`).digest('hex') })).sort((a, b) => a.key.localeCompare(b.key));

    const { page } = await signedInAs(f, [EDITOR, MEMBER], project);
    await page.goto(`/p/${project.slug}/rounds/${first.roundId}/results`);
    await page.getByText('3 candidates had 0 votes each, and the selection took 2 of them: those drawn first, as far as the quotas allowed.').waitFor();
    await page.locator('code', { hasText: 'Seed: loting' }).waitFor();
    const tie = page.getByRole('table', { name: 'Candidates with 0 votes, in the order of the draw' });
    await expect(tie.locator('tbody tr').evaluateAll((rows) => rows.map((row) => [...(row as HTMLTableRowElement).cells].map((cell) => cell.textContent?.trim())))).resolves.toEqual([
      ['1', drawn[0].name, drawn[0].id, 'Selected'], ['2', drawn[1].name, drawn[1].id, 'Selected'], ['3', drawn[2].name, drawn[2].id, 'Not selected'],
    ]);
    await expectAccessible(page);
    // And in Dutch. Each switch is saved in the person's profile, which the next page starts from:
    // wait for each save, so that the two cannot land in the other order.
    const localeSaved = (locale: string) => page.waitForResponse((r) => r.url().endsWith('/graphql') && (r.request().postData() ?? '').includes(`"locale":"${locale}"`));
    await Promise.all([localeSaved('nl'), page.getByRole('button', { name: 'Nederlands' }).click()]);
    await page.getByText('3 kandidaten hadden elk 0 stemmen, en de selectie nam er 2 van: wie het eerst geloot was, voor zover de quota het toelieten.').waitFor();
    await Promise.all([localeSaved('en'), page.getByRole('button', { name: 'English' }).click()]);

    // Round 2 has a candidate selected in round 1 on its ballot again, with the most votes, and two new candidates.
    const again = drawn[0];
    const second = await votingRound([{ name: 'Cor Drie' }, { name: 'Door Vier' }], { votesPerMember: 2 }, project, [again.id]);
    const voter = await f.t.person([MEMBER], project);
    for (const candidateId of [again.id, second.ids[1]]) await cast(voter.client, second.roundId, candidateId);
    await editor.data(OPS.advanceRound, { id: second.roundId, to: 'CLOSED' });
    await page.goto(`/p/${project.slug}/rounds/${second.roundId}/selection`);
    await heading(page, 'Selection from Stemronde').waitFor();
    await page.getByText("1 place is left of the book's 3 portraits. 2 places were filled by the selections of other rounds; those candidates are not offered again here.").waitFor();
    await expect(page.getByLabel('Number of candidates to select').inputValue()).resolves.toBe('1');
    const offered = page.getByRole('table', { name: 'Candidates from the results' });
    await expect(offered.locator('tbody tr td:nth-child(2)').allTextContents()).resolves.toEqual(['Door Vier', 'Cor Drie']);
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Ask for a proposal' }).click();
    await page.getByRole('status').filter({ hasText: 'The assistant has made a new proposal.' }).waitFor();
    await heading(page, "The assistant's proposal", 2).waitFor();
    const selected = page.getByRole('table', { name: 'Selected candidates, most votes first' });
    await expect(selected.locator('tbody tr td:first-child').allTextContents()).resolves.toEqual(['Door Vier']);
    await page.getByRole('button', { name: 'Confirm this selection' }).click();
    await page.getByRole('dialog', { name: 'Select this candidate for good?' }).getByRole('button', { name: 'Confirm', exact: true }).click();
    await page.getByRole('status').filter({ hasText: '1 candidate has been selected.' }).waitFor();
    await heading(page, 'Confirmed selection', 2).waitFor();

    // A third round finds the book full: the screen says so and offers no selection to make.
    const third = await votingRound([{ name: 'Eef Vijf' }], {}, project);
    await editor.data(OPS.advanceRound, { id: third.roundId, to: 'CLOSED' });
    await page.goto(`/p/${project.slug}/rounds/${third.roundId}/selection`);
    await page.getByText('All 3 places of the book are filled by the selections of other rounds. Nobody more can be selected from this round.').waitFor();
    await expect(page.getByRole('button', { name: 'Ask for a proposal' }).count()).resolves.toBe(0);
    await expectAccessible(page);
    const [{ n }] = await f.t.dataSource.query(`SELECT count(*)::int AS n FROM candidates WHERE project_id = $1 AND status = 'SELECTED'`, [project.id]);
    expect(n).toBe(3);
  });
});
