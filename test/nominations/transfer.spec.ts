import { dbSnapshot, startTestApp, TestApp } from '@quire/testing';
import { expectRefused } from '../api/helpers';
import { Book, MOTIVATION, nominateNew, NOMINATION_OPS as OPS, openBook } from './fixtures';

const HEADER = 'name,motivation,birth_year,death_year,government_layer,gender,sources,nominator_email';

describe('import from CSV and export as open data', () => {
  let t: TestApp;
  let book: Book;
  beforeAll(async () => {
    t = await startTestApp({ label: 'transfer' });
    book = await openBook(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('imports a good file in one go', async () => {
    const csv = [
      HEADER,
      `Cornelis Lely,"${MOTIVATION}",1854,1929,NATIONAL,MALE,https://nl.wikipedia.org/wiki/Cornelis_Lely,`,
      `"Jacobs, Aletta","${MOTIVATION}",1854,1929,OTHER,FEMALE,"Aletta Jacobs, Herinneringen (1924); https://www.atria.nl",`,
    ].join('\n');
    const { importNominations } = await book.editor.data<{ importNominations: { imported: number; candidatesCreated: number } }>(OPS.importNominations, { roundId: book.roundId, csv });
    expect(importNominations).toEqual({ imported: 2, candidatesCreated: 2 });
  });

  it('refuses a broken file whole, reporting every bad row, and changes nothing', async () => {
    const csv = [
      HEADER,
      `Willem Drees,"${MOTIVATION}",1886,1988,NATIONAL,MALE,,`,
      `X,"${MOTIVATION}",18xx,1988,NATIONAL,MALE,,`,
      `Hendrik Colijn,kort,1869,1944,KINGDOM,MALE,,`,
      `Pieter Cort van der Linden,"${MOTIVATION}",1846,1935,NATIONAL,MALE,,stranger@example.org`,
    ].join('\n');
    const before = await dbSnapshot(t.dataSource);
    const result = await book.editor.request(OPS.importNominations, { roundId: book.roundId, csv });
    expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const fields = (result.errors?.[0].extensions?.fields ?? []).map((f) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['row 3: name', 'row 3: birth_year', 'row 4: motivation', 'row 4: governmentLayer', 'row 5: nominator_email']));
    expect(fields.some((f) => f.startsWith('row 2'))).toBe(false);
    expect(await dbSnapshot(t.dataSource)).toEqual(before);
  });

  it('refuses files that are not CSV of the expected columns, and people who may not import', async () => {
    await expectRefused(t, book.editor, OPS.importNominations, { roundId: book.roundId, csv: 'naam;motivatie\nLely;goed' }, 'BAD_USER_INPUT');
    await expectRefused(t, book.editor, OPS.importNominations, { roundId: book.roundId, csv: `${HEADER}\n"unterminated,${MOTIVATION}` }, 'BAD_USER_INPUT');
    await expectRefused(t, book.editor, OPS.importNominations, { roundId: book.roundId, csv: HEADER }, 'BAD_USER_INPUT');
    for (const client of [book.members[0].client, book.author, book.outsider]) {
      await expectRefused(t, client, OPS.importNominations, { roundId: book.roundId, csv: `${HEADER}\nCornelis Lely,"${MOTIVATION}",1854,1929,NATIONAL,MALE,,` }, 'FORBIDDEN');
    }
  });

  it('exports published nominations as CSV and JSON, without e-mail addresses', async () => {
    await nominateNew(book.members[0].client, book.roundId, 'Johan Rudolph Thorbecke', { birthYear: 1798, deathYear: 1872 });
    const { exportNominations: csv } = await book.members[1].client.data<{ exportNominations: string }>(OPS.exportNominations, { roundId: book.roundId, format: 'CSV' });
    const lines = csv.trim().split('\n');
    expect(lines[0]).toMatch(/^candidate_id,name,/);
    expect(csv).toContain('Johan Rudolph Thorbecke');
    expect(csv).not.toMatch(/@example\.org/);
    const { exportNominations: json } = await book.members[1].client.data<{ exportNominations: string }>(OPS.exportNominations, { roundId: book.roundId, format: 'JSON' });
    const data = JSON.parse(json) as { candidates: { name: string; nominations: unknown[] }[] };
    expect(data.candidates.map((c) => c.name)).toEqual(expect.arrayContaining(['Cornelis Lely', 'Johan Rudolph Thorbecke']));
    await expectRefused(t, book.outsider, OPS.exportNominations, { roundId: book.roundId, format: 'CSV' }, 'NOT_FOUND');
  });
});
