import { dbSnapshot, startTestApp, TestApp, waitFor } from '@quire/testing';
import { expectRefused } from '../api/helpers';
import { Book, MOTIVATION, nominateNew, NOMINATION_OPS as OPS, openBook } from './fixtures';

const MOVABLE = ['candidates', 'nominations', 'endorsements', 'comments', 'follows'];

describe('merging duplicate candidates', () => {
  let t: TestApp;
  let book: Book;
  beforeAll(async () => {
    t = await startTestApp({ label: 'merge', worker: true });
    book = await openBook(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('moves nominations, endorsements, comments and follows; keeps one per person; undo restores exactly', async () => {
    const [m0, m1, m2] = book.members;
    const target = await nominateNew(m0.client, book.roundId, 'Johan Rudolph Thorbecke', { birthYear: 1798 });
    const source = await nominateNew(m1.client, book.roundId, 'J.R. Thorbecke', { birthYear: 1798 });
    // m0 nominated both: after the merge one nomination remains, the other is MERGED into it.
    const { nominate: twin } = await m0.client.data<{ nominate: { id: string } }>(OPS.nominate, { roundId: book.roundId, input: { candidateId: source.candidateId, motivation: MOTIVATION, sources: [] } });
    await m2.client.data(OPS.endorse, { id: source.candidateId });
    await m2.client.data(OPS.endorse, { id: target.candidateId });
    await m1.client.data(OPS.endorse, { id: source.candidateId });
    await m2.client.data(OPS.follow, { id: source.candidateId });
    await m2.client.data(OPS.comment, { candidateId: source.candidateId, body: 'Dit is dezelfde persoon.' });
    const before = await dbSnapshot(t.dataSource, MOVABLE);

    for (const client of [m0.client, book.author]) await expectRefused(t, client, OPS.merge, { sourceId: source.candidateId, targetId: target.candidateId }, 'FORBIDDEN');
    await expectRefused(t, book.editor, OPS.merge, { sourceId: source.candidateId, targetId: source.candidateId }, 'BAD_USER_INPUT');

    const { mergeCandidates } = await book.editor.data<{ mergeCandidates: { id: string } }>(OPS.merge, { sourceId: source.candidateId, targetId: target.candidateId });
    const { candidate } = await m2.client.data<{ candidate: { id: string; endorsementCount: number; followedByMe: boolean; commentCount: number; nominations: { id: string; status: string }[] } }>(OPS.candidate, { id: source.candidateId });
    expect(candidate.id).toBe(target.candidateId); // the source redirects
    expect(candidate.endorsementCount).toBe(2); // m2 backed both and keeps one; m1's moved over
    expect(candidate).toMatchObject({ followedByMe: true, commentCount: 1 });
    expect(candidate.nominations.map((n) => n.id).sort()).toEqual([target.id, source.id].sort());
    const [{ status }] = await t.dataSource.query(`SELECT status FROM nominations WHERE id = $1`, [twin.id]);
    expect(status).toBe('MERGED');
    await expectRefused(t, book.editor, OPS.merge, { sourceId: source.candidateId, targetId: target.candidateId }, 'CONFLICT');

    // The nominators of the merged candidate are told.
    await waitFor(async () => {
      const { notifications } = await m1.client.data<{ notifications: { nodes: { kind: string }[] } }>(OPS.notifications);
      return notifications.nodes.some((n) => n.kind === 'CANDIDATE_MERGED');
    }, 'the nominator to be notified of the merge');

    await expectRefused(t, m0.client, OPS.undoMerge, { mergeId: mergeCandidates.id }, 'FORBIDDEN');
    await book.editor.data(OPS.undoMerge, { mergeId: mergeCandidates.id });
    const restored = await dbSnapshot(t.dataSource, MOVABLE);
    const strip = (s: Record<string, unknown[]>): Record<string, unknown[]> =>
      Object.fromEntries(Object.entries(s).map(([table, rows]) => [table, rows.map((r) => {
        const { id: _id, updated_at: _u, ...rest } = r as Record<string, unknown>;
        return table === 'endorsements' || table === 'follows' ? rest : { ...(r as object), updated_at: undefined };
      }).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))]));
    expect(strip(restored)).toEqual(strip(before));
    await expectRefused(t, book.editor, OPS.undoMerge, { mergeId: mergeCandidates.id }, 'INVALID_TRANSITION');
  });

  it('audits merge and undo', async () => {
    const rows: { action: string }[] = await t.dataSource.query(`SELECT action FROM audit_events WHERE action LIKE 'candidate.merge%' ORDER BY seq`);
    expect(rows.map((r) => r.action)).toEqual(['candidate.merged', 'candidate.merge_undone']);
  });
});
