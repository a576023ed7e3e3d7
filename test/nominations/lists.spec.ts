import { startTestApp, TestApp } from '@quire/testing';
import { expectRefused } from '../api/helpers';
import { Book, nominateNew, NOMINATION_OPS as OPS, openBook } from './fixtures';

type Page = { candidates: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: { endorsementCount: number; candidate: { id: string; name: string } }[] } };

describe('candidate lists: filters, sorts and stable paging', () => {
  let t: TestApp;
  let book: Book;
  const people = [
    { name: 'Johan Rudolph Thorbecke', governmentLayer: 'NATIONAL', periodStart: 1840, periodEnd: 1872, gender: 'MALE' },
    { name: 'Aletta Jacobs', governmentLayer: 'OTHER', periodStart: 1880, periodEnd: 1929, gender: 'FEMALE' },
    { name: 'Cornelis Lely', governmentLayer: 'NATIONAL', periodStart: 1891, periodEnd: 1913, gender: 'MALE' },
    { name: 'Marga Klompé', governmentLayer: 'NATIONAL', periodStart: 1956, periodEnd: 1971, gender: 'FEMALE' },
    { name: 'Frits Philips', governmentLayer: 'MUNICIPAL', periodStart: 1935, periodEnd: 1971, gender: 'MALE' },
    { name: 'Neelie Kroes', governmentLayer: 'NATIONAL', periodStart: 1971, periodEnd: 2014, gender: 'FEMALE' },
    { name: 'Els Borst', governmentLayer: 'NATIONAL', periodStart: 1994, periodEnd: 2002, gender: 'FEMALE' },
  ];
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp({ label: 'lists' });
    book = await openBook(t, { maxNominationsPerMember: 10 });
    for (const p of people) ids[p.name] = (await nominateNew(book.members[0].client, book.roundId, p.name, p)).candidateId;
    // Endorsements: Klompé 3, Lely 2, Jacobs 1.
    for (const [name, count] of [['Marga Klompé', 3], ['Cornelis Lely', 2], ['Aletta Jacobs', 1]] as const) {
      for (const client of [book.editor, book.members[1].client, book.members[2].client].slice(0, count)) await client.data(OPS.endorse, { id: ids[name] });
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  async function all(client = book.members[1].client, variables: Record<string, unknown> = {}, first = 2): Promise<string[]> {
    const names: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: Page = await client.data<Page>(OPS.candidates, { projectId: book.projectId, first, after, ...variables });
      names.push(...page.candidates.nodes.map((n) => n.candidate.name));
      if (!page.candidates.pageInfo.hasNextPage) return names;
      after = page.candidates.pageInfo.endCursor;
    }
  }

  it('sorts by endorsements, recency and name, paging without gaps or repeats', async () => {
    expect((await all(undefined, { sort: 'MOST_ENDORSED' })).slice(0, 3)).toEqual(['Marga Klompé', 'Cornelis Lely', 'Aletta Jacobs']);
    expect(await all(undefined, { sort: 'MOST_RECENT' })).toEqual(people.map((p) => p.name).reverse());
    expect(await all(undefined, { sort: 'NAME' })).toEqual(people.map((p) => p.name).sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
  });

  it('shuffles with a seed per member: stable across pages and calls, different between members', async () => {
    const once = await all(book.members[1].client, { sort: 'RANDOM' }, 3);
    expect(await all(book.members[1].client, { sort: 'RANDOM' }, 2)).toEqual(once);
    expect([...once].sort()).toEqual(people.map((p) => p.name).sort());
    const others = await Promise.all([book.members[2].client, book.editor, book.author].map((c) => all(c, { sort: 'RANDOM' }, 7)));
    expect(others.some((order) => JSON.stringify(order) !== JSON.stringify(once))).toBe(true);
  });

  it('filters by layer, gender, period and text (without accents)', async () => {
    const names = async (filter: Record<string, unknown>): Promise<string[]> => (await all(undefined, { filter, sort: 'NAME' }, 10));
    expect(await names({ governmentLayer: 'MUNICIPAL' })).toEqual(['Frits Philips']);
    expect(await names({ gender: 'FEMALE', governmentLayer: 'NATIONAL' })).toEqual(['Els Borst', 'Marga Klompé', 'Neelie Kroes']);
    expect(await names({ periodFrom: 1850, periodTo: 1900 })).toEqual(['Aletta Jacobs', 'Cornelis Lely', 'Johan Rudolph Thorbecke']);
    expect(await names({ text: 'klompe' })).toEqual(['Marga Klompé']);
    expect(await names({ text: '%' })).toEqual([]);
  });

  it('refuses forged cursors and page sizes, and outsiders', async () => {
    await expectRefused(t, book.members[1].client, OPS.candidates, { projectId: book.projectId, after: 'bm9uc2Vuc2U' }, 'BAD_USER_INPUT');
    await expectRefused(t, book.members[1].client, OPS.candidates, { projectId: book.projectId, first: 1000 }, 'BAD_USER_INPUT');
    await expectRefused(t, book.members[1].client, OPS.candidates, { projectId: book.projectId, sort: 'LOUDEST' }, 'BAD_USER_INPUT');
    await expectRefused(t, book.outsider, OPS.candidates, { projectId: book.projectId }, 'FORBIDDEN');
  });
});
