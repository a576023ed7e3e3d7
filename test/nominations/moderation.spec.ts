import { startTestApp, TestApp } from '@quire/testing';
import { expectRefused } from '../api/helpers';
import { Book, MOTIVATION, nominateNew, NOMINATION_OPS as OPS, openBook } from './fixtures';

describe('moderation: reports, hiding, decisions and blocks', () => {
  let t: TestApp;
  let book: Book;
  beforeAll(async () => {
    t = await startTestApp({ label: 'moderate' });
    book = await openBook(t);
    await t.dataSource.query(`UPDATE projects SET report_threshold = 2 WHERE id = $1`, [book.projectId]);
  });
  afterAll(async () => {
    await t?.close();
  });

  const visibleCount = async (roundId: string): Promise<number> => (await book.members[2].client.data<{ nominations: { totalCount: number } }>(OPS.nominations, { roundId })).nominations.totalCount;

  it('hides a nomination when reports reach the threshold, until a moderator keeps it', async () => {
    const nomination = await nominateNew(book.members[0].client, book.roundId, 'Pieter Jelles Troelstra');
    const before = await visibleCount(book.roundId);
    await book.members[1].client.data(OPS.report, { targetType: 'NOMINATION', targetId: nomination.id, reason: 'Beledigend' });
    await expectRefused(t, book.members[1].client, OPS.report, { targetType: 'NOMINATION', targetId: nomination.id, reason: 'Nog eens' }, 'CONFLICT');
    expect(await visibleCount(book.roundId)).toBe(before);
    await book.members[2].client.data(OPS.report, { targetType: 'NOMINATION', targetId: nomination.id, reason: 'Onjuist' });
    expect(await visibleCount(book.roundId)).toBe(before - 1);
    const { moderationQueue } = await book.editor.data<{ moderationQueue: { targetId: string; status: string; openReports: number; reasons: string[] }[] }>(OPS.moderationQueue, { projectId: book.projectId });
    expect(moderationQueue).toContainEqual(expect.objectContaining({ targetId: nomination.id, status: 'HIDDEN', openReports: 2, reasons: ['Beledigend', 'Onjuist'] }));
    for (const client of [book.members[0].client, book.author]) {
      await expectRefused(t, client, OPS.moderate, { targetType: 'NOMINATION', targetId: nomination.id, decision: 'KEEP' }, 'FORBIDDEN');
      await expectRefused(t, client, OPS.moderationQueue, { projectId: book.projectId }, 'FORBIDDEN');
    }
    await book.editor.data(OPS.moderate, { targetType: 'NOMINATION', targetId: nomination.id, decision: 'KEEP' });
    expect(await visibleCount(book.roundId)).toBe(before);
    const after = await book.editor.data<{ moderationQueue: { targetId: string }[] }>(OPS.moderationQueue, { projectId: book.projectId });
    expect(after.moderationQueue.map((i) => i.targetId)).not.toContain(nomination.id);
  });

  it('lets moderators hide a comment, which members then no longer see', async () => {
    const { candidateId } = await nominateNew(book.members[0].client, book.roundId, 'Hugo de Groot');
    const { addComment } = await book.members[1].client.data<{ addComment: { id: string } }>(OPS.comment, { candidateId, body: 'Reclame: koop nu!' });
    await book.editor.data(OPS.moderate, { targetType: 'COMMENT', targetId: addComment.id, decision: 'HIDE', reason: 'Spam' });
    const seen = await book.members[2].client.data<{ candidate: { comments: unknown[] } }>(OPS.candidate, { id: candidateId });
    expect(seen.candidate.comments).toEqual([]);
    const moderator = await book.editor.data<{ candidate: { comments: unknown[] } }>(OPS.candidate, { id: candidateId });
    expect(moderator.candidate.comments).toHaveLength(1);
  });

  it('blocks a member from taking part, and unblocks', async () => {
    const blocked = book.members[2];
    await expectRefused(t, book.members[0].client, OPS.block, { projectId: book.projectId, userId: blocked.userId, reason: 'Trollen' }, 'FORBIDDEN');
    await book.editor.data(OPS.block, { projectId: book.projectId, userId: blocked.userId, reason: 'Trollen' });
    await expectRefused(t, book.editor, OPS.block, { projectId: book.projectId, userId: blocked.userId, reason: 'Nog eens' }, 'CONFLICT');
    await expectRefused(t, blocked.client, OPS.nominate, { roundId: book.roundId, input: { candidate: { name: 'Multatuli' }, motivation: MOTIVATION, sources: [] } }, 'BLOCKED');
    await book.editor.data(OPS.unblock, { projectId: book.projectId, userId: blocked.userId });
    await nominateNew(blocked.client, book.roundId, 'Multatuli');
    await expectRefused(t, book.editor, OPS.unblock, { projectId: book.projectId, userId: blocked.userId }, 'NOT_FOUND');
  });

  it('refuses bad reports with typed errors', async () => {
    const nomination = await nominateNew(book.members[1].client, book.roundId, 'Christiaan Huygens');
    await expectRefused(t, book.members[0].client, OPS.report, { targetType: 'NOMINATION', targetId: nomination.id, reason: '' }, 'BAD_USER_INPUT');
    await expectRefused(t, book.members[0].client, OPS.report, { targetType: 'NOMINATION', targetId: '00000000-0000-4000-8000-000000000000', reason: 'Onzin' }, 'NOT_FOUND');
    await expectRefused(t, book.members[0].client, OPS.report, { targetType: 'ROUND', targetId: nomination.id, reason: 'Onzin' }, 'BAD_USER_INPUT');
    await expectRefused(t, book.outsider, OPS.report, { targetType: 'NOMINATION', targetId: nomination.id, reason: 'Onzin' }, 'NOT_FOUND');
  });
});
