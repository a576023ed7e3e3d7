import { startTestApp, TestApp } from '@quire/testing';
import { anonymous, expectRefused } from '../api/helpers';
import { Book, MOTIVATION, nominateNew, NOMINATION_OPS as OPS, openBook } from './fixtures';

describe('nominating', () => {
  let t: TestApp;
  let book: Book;
  beforeAll(async () => {
    t = await startTestApp({ label: 'nominate' });
    book = await openBook(t, { maxNominationsPerMember: 3, motivationMinLength: 20, motivationMaxLength: 500 });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('records a nomination with its candidate and sources, published at once', async () => {
    const { nominate } = await book.members[0].client.data<{ nominate: Record<string, unknown> }>(OPS.nominate, {
      roundId: book.roundId,
      input: {
        candidate: { name: 'Johan Rudolph Thorbecke', birthYear: 1798, deathYear: 1872, governmentLayer: 'NATIONAL', gender: 'MALE', wikidataId: 'Q57196', offices: ['Minister van Binnenlandse Zaken'] },
        motivation: MOTIVATION,
        sources: [{ kind: 'URL', reference: 'Parlement.com', url: 'https://www.parlement.com/id/vg09ll0i1aza/j_r_thorbecke' }, { kind: 'LITERATURE', reference: 'J. Drentje, Thorbecke. Een filosoof in de politiek (2004)' }],
      },
    });
    expect(nominate).toMatchObject({ status: 'PUBLISHED', motivation: MOTIVATION, sources: [{ kind: 'URL' }, { kind: 'LITERATURE', url: null }] });
    const { candidate } = await book.members[1].client.data<{ candidate: { name: string; nominations: unknown[] } }>(OPS.candidate, { id: nominate['candidateId'] });
    expect(candidate).toMatchObject({ name: 'Johan Rudolph Thorbecke', nominations: [{ status: 'PUBLISHED' }] });
  });

  it('refuses bad input with the field named, changing nothing', async () => {
    const member = book.members[1].client;
    const cases: [Record<string, unknown>, string][] = [
      [{ candidate: { name: 'Lely' }, motivation: 'te kort', sources: [] }, 'motivation'],
      [{ candidate: { name: 'Lely' }, motivation: 'x'.repeat(501), sources: [] }, 'motivation'],
      [{ candidate: { name: 'L' }, motivation: MOTIVATION, sources: [] }, 'candidate.name'],
      [{ candidate: { name: 'Cornelis Lely', birthYear: 1854, deathYear: 1829 }, motivation: MOTIVATION, sources: [] }, 'candidate.deathYear'],
      [{ candidate: { name: 'Cornelis Lely', birthYear: 3000 }, motivation: MOTIVATION, sources: [] }, 'candidate.birthYear'],
      [{ candidate: { name: 'Cornelis Lely', wikidataId: 'lely' }, motivation: MOTIVATION, sources: [] }, 'candidate.wikidataId'],
      [{ candidate: { name: 'Cornelis Lely' }, motivation: MOTIVATION, sources: [{ kind: 'URL', reference: 'site', url: 'javascript:alert(1)' }] }, 'sources.0.url'],
      [{ candidate: { name: 'Cornelis Lely' }, motivation: MOTIVATION, sources: [{ kind: 'URL', reference: 'site' }] }, 'sources.0.url'],
      [{ motivation: MOTIVATION, sources: [] }, 'candidate'],
      [{ candidate: { name: 'x'.repeat(300) }, motivation: MOTIVATION, sources: [] }, 'name'],
    ];
    for (const [input, field] of cases) {
      const result = await expectRefused(t, member, OPS.nominate, { roundId: book.roundId, input }, 'BAD_USER_INPUT');
      expect(JSON.stringify(result.errors?.[0].extensions)).toContain(field);
    }
    await expectRefused(t, member, OPS.nominate, { roundId: book.roundId, input: { candidate: { name: 'Lely', gender: 'ROBOT' }, motivation: MOTIVATION, sources: [] } }, 'BAD_USER_INPUT');
    await expectRefused(t, member, OPS.nominate, { roundId: '00000000-0000-4000-8000-000000000000', input: { candidate: { name: 'Lely' }, motivation: MOTIVATION, sources: [] } }, 'NOT_FOUND');
    await expectRefused(t, member, OPS.nominate, { roundId: 'ronde-1', input: { candidate: { name: 'Lely' }, motivation: MOTIVATION, sources: [] } }, 'BAD_USER_INPUT');
    await expectRefused(t, member, OPS.nominate, { roundId: book.roundId, input: { candidateId: '00000000-0000-4000-8000-000000000000', motivation: MOTIVATION, sources: [] } }, 'NOT_FOUND');
  });

  it('holds the limit per member under concurrency: ten parallel requests, three nominations', async () => {
    const member = book.members[2].client;
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => member.request(OPS.nominate, { roundId: book.roundId, input: { candidate: { name: `Kandidaat Nummer ${i}` }, motivation: MOTIVATION, sources: [] } })),
    );
    expect(results.filter((r) => !r.errors).length).toBe(3);
    expect(results.filter((r) => r.errors?.[0].extensions?.code === 'LIMIT_EXCEEDED').length).toBe(7);
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM nominations WHERE round_id = $1 AND nominator_id = $2`, [book.roundId, book.members[2].userId]);
    expect(n).toBe(3);
  });

  it('refuses a second nomination of the same candidate by the same member, but takes another member’s', async () => {
    const first = await nominateNew(book.author, book.roundId, 'Cornelis Lely', { birthYear: 1854, deathYear: 1929 });
    const input = { candidateId: first.candidateId, motivation: MOTIVATION, sources: [] };
    await expectRefused(t, book.author, OPS.nominate, { roundId: book.roundId, input }, 'CONFLICT');
    const { nominate } = await book.editor.data<{ nominate: { candidateId: string } }>(OPS.nominate, { roundId: book.roundId, input });
    expect(nominate.candidateId).toBe(first.candidateId);
  });

  it('refuses people outside the project and visitors', async () => {
    const input = { candidate: { name: 'Willem Drees' }, motivation: MOTIVATION, sources: [] };
    await expectRefused(t, book.outsider, OPS.nominate, { roundId: book.roundId, input }, 'FORBIDDEN');
    await expectRefused(t, anonymous(t), OPS.nominate, { roundId: book.roundId, input }, 'UNAUTHENTICATED');
  });

  it('lets only the nominator withdraw, and not twice', async () => {
    const nomination = await nominateNew(book.editor, book.roundId, 'Aletta Jacobs', { birthYear: 1854, deathYear: 1929, gender: 'FEMALE' });
    await expectRefused(t, book.members[0].client, OPS.withdrawNomination, { id: nomination.id }, 'FORBIDDEN');
    const { withdrawNomination } = await book.editor.data<{ withdrawNomination: { status: string } }>(OPS.withdrawNomination, { id: nomination.id });
    expect(withdrawNomination.status).toBe('WITHDRAWN');
    await expectRefused(t, book.editor, OPS.withdrawNomination, { id: nomination.id }, 'INVALID_TRANSITION');
  });

  it('holds nominations for pre-moderation: hidden from others until a moderator publishes', async () => {
    const { createRound } = await book.editor.data<{ createRound: { id: string } }>(OPS.createRound, { projectId: book.projectId, input: { title: 'Met voorafgaande moderatie', premoderation: true } });
    await book.editor.data(OPS.advanceRound, { id: createRound.id, to: 'NOMINATING' });
    const { nominate } = await book.members[0].client.data<{ nominate: { id: string; status: string; candidateId: string } }>(OPS.nominate, {
      roundId: createRound.id, input: { candidate: { name: 'Hendrik Lorentz' }, motivation: MOTIVATION, sources: [] },
    });
    expect(nominate.status).toBe('SUBMITTED');
    const seen = await book.members[1].client.data<{ nominations: { totalCount: number } }>(OPS.nominations, { roundId: createRound.id });
    expect(seen.nominations.totalCount).toBe(0);
    await expectRefused(t, book.members[1].client, OPS.publishNomination, { id: nominate.id }, 'FORBIDDEN');
    await expectRefused(t, book.author, OPS.publishNomination, { id: nominate.id }, 'FORBIDDEN');
    await book.editor.data(OPS.publishNomination, { id: nominate.id });
    const after = await book.members[1].client.data<{ nominations: { totalCount: number } }>(OPS.nominations, { roundId: createRound.id });
    expect(after.nominations.totalCount).toBe(1);
    await expectRefused(t, book.editor, OPS.publishNomination, { id: nominate.id }, 'INVALID_TRANSITION');
  });
});
