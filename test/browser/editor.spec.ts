import { Page } from 'playwright-core';
import * as Y from 'yjs';
import { DocumentStore, sqlOfManager } from '@quire/collab-core';
import { ProjectRole } from '@quire/core';
import { freePort, setWordLimits, waitFor } from '@quire/testing';
import { appendParagraph, CollabProcess, connectClient, startCollabProcess, synced, TEST_TICKET_SECRET, TestClient, textOf } from '../collab/support';
import { BrowserFixture, expectAccessible, heading, SignedInPerson, signedInAs, startBrowserFixture, TestProject } from './support';

const { MEMBER, AUTHOR, EDITOR } = ProjectRole;

/** How long the pages may take to show what others wrote (the target is well under a second). */
const LIVE_TIMEOUT_MS = 10_000;

/** Tickets live this long here, so the pages renew theirs while the tests run (five minutes in use). */
const TICKET_TTL_SECONDS = 10;

const TICKET = `mutation($id: ID!) { collabTicket(portraitId: $id) { ticket url documentName } }`;

/**
 * The portrait editor in Chromium against the real api and a real collaboration process (started
 * as the collab suites start it, its own process on its own port; the api's tickets point there):
 * browsers and a stock y-websocket client converge, offline edits merge, "saved" means stored,
 * readers cannot write, and versions restore as a change everyone sees.
 */
describe('web: writing a portrait together', () => {
  let f: BrowserFixture;
  let collab: CollabProcess;
  const stockClients: TestClient[] = [];
  let project: TestProject;
  let portraitId: string;
  let documentName: string;
  let editor: { person: SignedInPerson; page: Page };
  let lead: { person: SignedInPerson; page: Page };
  let coAuthor: { person: SignedInPerson; page: Page };

  beforeAll(async () => {
    const collabPort = await freePort();
    f = await startBrowserFixture('web-editor', {
      env: { COLLAB_TICKET_SECRET: TEST_TICKET_SECRET, COLLAB_PUBLIC_URL: `ws://127.0.0.1:${collabPort}/collab`, COLLAB_TICKET_TTL_SECONDS: String(TICKET_TTL_SECONDS) },
    });
    collab = await startCollabProcess({ database: f.t.database, prefix: f.t.config.redisPrefix }, { port: collabPort });
    ({ project, ...editor } = await signedInAs(f, [EDITOR]));
    lead = await signedInAs(f, [AUTHOR], project);
    coAuthor = await signedInAs(f, [AUTHOR], project);
    const [candidate] = await f.t.dataSource.query(
      `INSERT INTO candidates (project_id, name, status, match_key, surname_key) VALUES ($1, 'Aletta Jacobs', 'SELECTED', 'aletta jacobs', 'jacobs') RETURNING id`,
      [project.id],
    );
    portraitId = (await editor.person.client.data<{ createPortrait: { id: string } }>(`mutation($c: ID!) { createPortrait(candidateId: $c) { id } }`, { c: candidate.id })).createPortrait.id;
    documentName = `portrait:${portraitId}`;
  });

  afterAll(async () => {
    for (const client of stockClients) client.destroy();
    await collab?.stop();
    await f?.close();
  });

  const portraitPath = (): string => `/p/${project.slug}/portraits/${portraitId}`;
  const text = (page: Page) => page.getByRole('textbox', { name: 'Text of the portrait' });
  const saveStatus = (page: Page) => page.locator('.quire-save-status');

  async function openPortrait(page: Page): Promise<void> {
    await page.goto(portraitPath());
    await heading(page, 'Portrait of Aletta Jacobs').waitFor();
    await text(page).waitFor();
  }

  async function expectSaveStatus(page: Page, state: string, timeout = LIVE_TIMEOUT_MS): Promise<void> {
    await page.locator(`.quire-save-status[data-state="${state}"]`).waitFor({ timeout });
  }

  async function expectNotSaved(page: Page): Promise<void> {
    expect(await saveStatus(page).getAttribute('data-state')).not.toBe('saved');
  }

  /** Types at the end of the text, as a person would. */
  async function typeAtEnd(page: Page, words: string): Promise<void> {
    await text(page).click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type(words);
  }

  /** What the text says, one line per block, without the names on others' carets. */
  function written(page: Page): Promise<string> {
    return text(page).evaluate((element) => {
      const copy = element.cloneNode(true) as HTMLElement;
      for (const caret of copy.querySelectorAll('.quire-caret')) caret.remove();
      return [...copy.children].map((block) => block.textContent ?? '').join('\n');
    });
  }

  async function expectTextContains(page: Page, ...parts: string[]): Promise<void> {
    await waitFor(async () => {
      const shown = await written(page);
      return parts.every((part) => shown.includes(part)) || undefined;
    }, `the page to show ${parts.join(', ')}`, { timeoutMs: LIVE_TIMEOUT_MS });
  }

  /** The document as the update log holds it. */
  async function stored(): Promise<Y.Doc> {
    const { state } = await new DocumentStore(sqlOfManager(f.t.dataSource.manager)).currentState(documentName);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, state);
    return doc;
  }

  async function storedText(): Promise<string> {
    return textOf(await stored());
  }

  async function lastSeq(): Promise<number> {
    return (await new DocumentStore(sqlOfManager(f.t.dataSource.manager)).lastSeqs([documentName])).get(documentName) ?? 0;
  }

  async function stockClient(person: SignedInPerson): Promise<TestClient> {
    const { collabTicket } = await person.client.data<{ collabTicket: { ticket: string; url: string; documentName: string } }>(TICKET, { id: portraitId });
    const client = connectClient(collabTicket.url, collabTicket.documentName, collabTicket.ticket, { quire: true });
    stockClients.push(client);
    await synced(client);
    return client;
  }

  it('lets an editor find the portrait from the project home, set its team and let the authors start', async () => {
    const { page } = editor;
    await page.goto(`/p/${project.slug}`);
    await heading(page, 'Portraits', 2).waitFor();
    await page.getByRole('link', { name: 'All portraits' }).click();
    await heading(page, 'Portraits').waitFor();
    const row = page.getByRole('row').filter({ hasText: 'Aletta Jacobs' });
    await expect(row.textContent()).resolves.toContain('No authors yet');
    await expect(row.textContent()).resolves.toContain('0 (too short)');
    await expectAccessible(page);

    await row.getByRole('link', { name: 'Aletta Jacobs' }).click();
    await heading(page, 'Portrait of Aletta Jacobs').waitFor();
    await page.getByLabel('Lead author').selectOption({ label: lead.person.user.displayName });
    await page.getByRole('group', { name: 'Co-authors' }).getByRole('checkbox', { name: coAuthor.person.user.displayName }).check();
    await page.getByLabel('Editor', { exact: true }).selectOption({ label: editor.person.user.displayName });
    await page.getByRole('button', { name: 'Save team' }).click();
    await page.getByRole('status').filter({ hasText: 'The team has been saved.' }).waitFor();
    await page.getByRole('button', { name: 'Let the authors start' }).click();
    await page.getByRole('status').filter({ hasText: 'The portrait is now: Being written.' }).waitFor();
    // Editors read while the authors write.
    await expectSaveStatus(page, 'readOnly');
    await expectAccessible(page);
  });

  it('has two authors in two browsers and a stock WebsocketProvider client converge, with carets, presence and the word count', async () => {
    await openPortrait(lead.page);
    await openPortrait(coAuthor.page);
    await expectSaveStatus(lead.page, 'saved');
    await expectSaveStatus(coAuthor.page, 'saved');

    await typeAtEnd(lead.page, 'Aletta Jacobs werd in 1854 in Sappemeer geboren.');
    await expectTextContains(coAuthor.page, 'in Sappemeer geboren');
    await typeAtEnd(coAuthor.page, ' Zij was de eerste vrouw die in Nederland studeerde.');
    const stock = await stockClient(coAuthor.person);
    appendParagraph(stock.doc, 'Zij promoveerde in 1879.');

    for (const page of [lead.page, coAuthor.page]) await expectTextContains(page, 'in Sappemeer geboren', 'die in Nederland studeerde', 'Zij promoveerde in 1879.');
    await waitFor(() => textOf(stock.doc).includes('die in Nederland studeerde') || undefined, 'the stock client to have what the browsers wrote', { timeoutMs: LIVE_TIMEOUT_MS });
    expect(await written(lead.page)).toBe(await written(coAuthor.page));
    await expectSaveStatus(lead.page, 'saved');
    await expectSaveStatus(coAuthor.page, 'saved');
    expect(await storedText()).toBe(textOf(stock.doc));

    // The co-author sees the lead's caret with the lead's name, and both see who is here.
    await text(lead.page).click();
    await coAuthor.page.locator('.quire-caret__label', { hasText: lead.person.user.displayName }).waitFor({ timeout: LIVE_TIMEOUT_MS });
    const presence = lead.page.getByRole('region', { name: 'Here now' });
    await presence.getByText(coAuthor.person.user.displayName).waitFor();
    await presence.getByText(`${lead.person.user.displayName} (you)`).waitFor();

    // 8 + 9 + 4 words, counted as the server counts them; the project asks 600 to 1,200.
    const length = lead.page.getByRole('region', { name: 'Length' });
    await length.getByText('21 words').waitFor();
    await expect(length.textContent()).resolves.toContain('579 more words needed');
    await expect(length.textContent()).resolves.toContain('A portrait has 600 to 1,200 words.');
    await expectAccessible(lead.page);
  });

  it('says saved only once the update log holds the change, deletions included', async () => {
    const runner = f.t.dataSource.createQueryRunner();
    await runner.connect();
    try {
      // While the update log is locked, nothing can be stored.
      await runner.startTransaction();
      await runner.query(`LOCK TABLE collab_updates IN EXCLUSIVE MODE`);
      await typeAtEnd(lead.page, ' Opgeslagen?');
      await expectSaveStatus(lead.page, 'saving');
      await expectTextContains(coAuthor.page, 'in Sappemeer geboren');
      await lead.page.waitForTimeout(1000);
      // Still not saved (a ticket renewal may reconnect meanwhile, so "saving" or "connecting").
      await expectNotSaved(lead.page);
      await runner.commitTransaction();
      await expectSaveStatus(lead.page, 'saved');
      expect(await storedText()).toContain('Opgeslagen?');

      // A change that only deletes moves no clock; it too is saved only once stored.
      await runner.startTransaction();
      await runner.query(`LOCK TABLE collab_updates IN EXCLUSIVE MODE`);
      await text(lead.page).click();
      await lead.page.keyboard.press('Control+End');
      for (let i = 0; i < ' Opgeslagen?'.length; i++) await lead.page.keyboard.press('Backspace');
      await expectSaveStatus(lead.page, 'saving');
      await lead.page.waitForTimeout(1000);
      // Still not saved (a ticket renewal may reconnect meanwhile, so "saving" or "connecting").
      await expectNotSaved(lead.page);
      await runner.commitTransaction();
      await expectSaveStatus(lead.page, 'saved');
      expect(await storedText()).not.toContain('Opgeslagen?');
    } finally {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      await runner.release();
    }
  });

  it('keeps what an author writes offline and merges it on reconnect, with a new ticket', async () => {
    const context = lead.page.context();
    await context.setOffline(true);
    await expectSaveStatus(lead.page, 'offline');
    await expect(saveStatus(lead.page).textContent()).resolves.toBe('Offline — changes are kept and will be sent when the connection is back');
    await typeAtEnd(lead.page, ' Offline geschreven.');
    await typeAtEnd(coAuthor.page, ' Intussen online.');
    await expectTextContains(coAuthor.page, 'Intussen online.');
    await expectSaveStatus(coAuthor.page, 'saved');
    // Offline for longer than a ticket lives: the page cannot renew it meanwhile, and renews it to reconnect.
    await lead.page.waitForTimeout((TICKET_TTL_SECONDS + 1) * 1000);
    expect(await written(coAuthor.page)).not.toContain('Offline geschreven.');
    await expectSaveStatus(lead.page, 'offline');

    await context.setOffline(false);
    for (const page of [lead.page, coAuthor.page]) await expectTextContains(page, 'Offline geschreven.', 'Intussen online.');
    await expectSaveStatus(lead.page, 'saved');
    const storedNow = await storedText();
    expect(storedNow).toContain('Offline geschreven.');
    expect(storedNow).toContain('Intussen online.');
    expect(await written(lead.page)).toBe(await written(coAuthor.page));
  });

  it('writes the sources and the image credit into the document for everyone', async () => {
    const { page } = lead;
    const panel = page.getByRole('region', { name: 'Sources and image' });
    await panel.getByLabel('Caption').fill('Aletta Jacobs omstreeks 1880');
    await panel.getByLabel('Image credit').fill('Collectie Atria, publiek domein');
    await panel.getByRole('button', { name: 'Add a source' }).click();
    const source = panel.getByRole('group', { name: 'Source 1' });
    await waitFor(() => source.getByLabel('Kind of source').evaluate((el) => el === document.activeElement || undefined), 'focus to move to the new source');
    await source.getByLabel('Kind of source').selectOption({ label: 'Literature' });
    await source.getByLabel('Description').fill('Aletta Jacobs, Herinneringen (1924)');
    await source.getByLabel('Web address').fill('https://www.dbnl.org/');
    await expectSaveStatus(page, 'saved');

    const other = coAuthor.page.getByRole('region', { name: 'Sources and image' });
    await waitFor(async () => (await other.getByLabel('Image credit').inputValue()) === 'Collectie Atria, publiek domein' || undefined, 'the co-author to see the credit', { timeoutMs: LIVE_TIMEOUT_MS });
    await waitFor(async () => (await other.getByRole('group', { name: 'Source 1' }).getByLabel('Description').inputValue()).includes('Herinneringen') || undefined, 'the co-author to see the source', { timeoutMs: LIVE_TIMEOUT_MS });

    const meta = (await stored()).getMap('meta');
    // The format of docs/collaboration.md, which the export reads.
    expect(meta.get('imageCaption')).toBe('Aletta Jacobs omstreeks 1880');
    expect(meta.get('imageCredit')).toBe('Collectie Atria, publiek domein');
    const sources = (meta.get('sources') as Y.Array<Y.Map<unknown>>).toArray().map((s) => s.toJSON());
    expect(sources).toEqual([{ id: expect.stringMatching(/^[0-9a-f-]{36}$/), kind: 'LITERATURE', reference: 'Aletta Jacobs, Herinneringen (1924)', url: 'https://www.dbnl.org/' }]);
    await expectAccessible(page);
  });

  it('lets a member read the text but not change it', async () => {
    const { page } = await signedInAs(f, [MEMBER], project);
    await openPortrait(page);
    await expectSaveStatus(page, 'readOnly');
    await expectTextContains(page, 'Offline geschreven.');
    await expect(text(page).getAttribute('aria-readonly')).resolves.toBe('true');
    await expect(text(page).getAttribute('contenteditable')).resolves.toBe('false');
    await expect(page.getByRole('toolbar').count()).resolves.toBe(0);
    await expect(page.getByRole('region', { name: 'Sources and image' }).getByLabel('Caption').getAttribute('readonly')).resolves.not.toBeNull();

    const before = await lastSeq();
    const shown = await written(page);
    await text(page).click();
    await page.keyboard.type('GEKLADDER');
    await page.waitForTimeout(500);
    expect(await written(page)).toBe(shown);
    expect(await lastSeq()).toBe(before);
    await expectAccessible(page);
  });

  it('saves a named version and restores it as a change both authors see', async () => {
    const { page } = lead;
    await page.getByLabel('Name of the version').fill('Eerste opzet');
    await page.getByRole('button', { name: 'Save a named version' }).click();
    await page.getByRole('status').filter({ hasText: 'Version ‘Eerste opzet’ has been saved.' }).waitFor();
    // The other author's open page lists it too, without a reload.
    await heading(coAuthor.page, 'Eerste opzet', 3).waitFor({ timeout: LIVE_TIMEOUT_MS });
    await expectAccessible(coAuthor.page);
    const original = await written(page);

    await typeAtEnd(page, ' Een zin die weer verdwijnt.');
    await expectTextContains(coAuthor.page, 'Een zin die weer verdwijnt.');
    await expectSaveStatus(page, 'saved');

    const version = page.getByRole('listitem').filter({ has: heading(page, 'Eerste opzet', 3) });
    await version.getByRole('button', { name: 'Show text' }).click();
    await version.getByText('Offline geschreven.', { exact: false }).waitFor();
    await version.getByRole('button', { name: 'Restore' }).click();
    const dialog = page.getByRole('dialog', { name: 'Restore ‘Eerste opzet’?' });
    await dialog.getByRole('button', { name: 'Restore' }).click();
    await page.getByRole('status').filter({ hasText: 'The text of ‘Eerste opzet’ has been restored.' }).waitFor();

    for (const other of [page, coAuthor.page]) {
      await waitFor(async () => (await written(other)) === original || undefined, 'the restored text on both pages', { timeoutMs: LIVE_TIMEOUT_MS });
    }
    // The text kept before the restore is named after the restore, so it is not taken for the version restored.
    await heading(page, 'The text from before ‘Eerste opzet’ was restored', 3).waitFor();
    await expect(page.getByRole('heading', { name: 'Eerste opzet', exact: true, level: 3 }).count()).resolves.toBe(1);
    expect(await storedText()).not.toContain('Een zin die weer verdwijnt.');
    await expectAccessible(page);
  });

  it('explains that a portrait outside the word limits cannot be submitted, and leaves it as it was', async () => {
    await lead.page.getByText('A portrait is submitted and made final with 600 to 1,200 words, as the text counts them a few seconds after it changes.').waitFor();
    const [{ word_count: words }] = await f.t.dataSource.query(`SELECT word_count FROM collab_documents WHERE name = $1`, [documentName]);
    expect(words).toBeGreaterThan(0);
    expect(words).toBeLessThan(600);
    await lead.page.getByRole('button', { name: 'Submit for review' }).click();
    await lead.page.getByRole('alert').filter({ hasText: `The portrait cannot be submitted yet: it has ${words} words, and this book asks for 600 to 1,200.` }).waitFor();
    await expectAccessible(lead.page);
    const [{ status }] = await f.t.dataSource.query(`SELECT status FROM portraits WHERE id = $1`, [portraitId]);
    expect(status).toBe('DRAFTING');
  });

  it('turns the other author read-only as soon as the portrait is submitted, without a reload', async () => {
    // The editors let this short text through.
    await setWordLimits(f.t.dataSource, project.id, 1);
    await openPortrait(editor.page);
    await editor.page.getByText(/^Being written since /).waitFor();
    await lead.page.getByRole('button', { name: 'Submit for review' }).click();
    await lead.page.getByRole('status').filter({ hasText: 'The portrait is now: Submitted.' }).waitFor();
    // The server downgrades open connections within a second; the page follows.
    await expectSaveStatus(coAuthor.page, 'readOnly', 3000);
    await expect(text(coAuthor.page).getAttribute('contenteditable')).resolves.toBe('false');
    await expect(coAuthor.page.getByRole('toolbar').count()).resolves.toBe(0);
    await coAuthor.page.getByText('There is no workflow step you can take on this portrait now.').waitFor();
    await coAuthor.page.getByText(/^Submitted since /).waitFor();
    await expectAccessible(coAuthor.page);
    // The editor's open page shows the new state, the step the editor may take now and the version submitting made.
    await editor.page.getByText(/^Submitted since /).waitFor({ timeout: LIVE_TIMEOUT_MS });
    await editor.page.getByRole('button', { name: 'Start the review' }).waitFor();
    await editor.page.getByText('On submission').first().waitFor();
    await expectAccessible(editor.page);

    // The notice follows a change of language, as the rest of the page does.
    await lead.page.getByRole('button', { name: 'Nederlands' }).click();
    await lead.page.getByRole('status').filter({ hasText: 'Het portret is nu: Ingediend.' }).waitFor();
    await lead.page.getByRole('button', { name: 'English' }).click();
    await lead.page.getByRole('status').filter({ hasText: 'The portrait is now: Submitted.' }).waitFor();
  });
});
