import { startTestApp, TestApp, waitFor } from '@quire/testing';
import { anonymous, expectRefused } from '../api/helpers';
import { Book, nominateNew, NOMINATION_OPS as OPS, openBook } from './fixtures';

describe('endorsing, commenting and following', () => {
  let t: TestApp;
  let book: Book;
  let candidateId: string;
  beforeAll(async () => {
    t = await startTestApp({ label: 'engage', worker: true });
    book = await openBook(t);
    candidateId = (await nominateNew(book.members[0].client, book.roundId, 'Willem Drees', { birthYear: 1886, deathYear: 1988 })).candidateId;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('takes one endorsement per member, and lets it be withdrawn', async () => {
    const member = book.members[1].client;
    await member.data(OPS.endorse, { id: candidateId });
    await expectRefused(t, member, OPS.endorse, { id: candidateId }, 'CONFLICT');
    await book.members[2].client.data(OPS.endorse, { id: candidateId });
    const seen = await member.data<{ candidate: { endorsementCount: number; endorsedByMe: boolean } }>(OPS.candidate, { id: candidateId });
    expect(seen.candidate).toMatchObject({ endorsementCount: 2, endorsedByMe: true });
    await member.data(OPS.withdrawEndorsement, { id: candidateId });
    await expectRefused(t, member, OPS.withdrawEndorsement, { id: candidateId }, 'NOT_FOUND');
    const after = await member.data<{ candidate: { endorsementCount: number; endorsedByMe: boolean } }>(OPS.candidate, { id: candidateId });
    expect(after.candidate).toMatchObject({ endorsementCount: 1, endorsedByMe: false });
  });

  it('refuses endorsements and comments from outside the project', async () => {
    for (const op of [OPS.endorse, OPS.follow]) {
      await expectRefused(t, book.outsider, op, { id: candidateId }, 'NOT_FOUND');
      await expectRefused(t, anonymous(t), op, { id: candidateId }, 'UNAUTHENTICATED');
    }
    await expectRefused(t, book.outsider, OPS.comment, { candidateId, body: 'Hallo' }, 'NOT_FOUND');
  });

  it('threads comments, refuses empty or oversized ones, and notifies followers', async () => {
    await book.members[2].client.data(OPS.follow, { id: candidateId });
    const { addComment } = await book.members[1].client.data<{ addComment: { id: string } }>(OPS.comment, { candidateId, body: 'Vader Drees verdient een plek.' });
    await book.members[0].client.data(OPS.comment, { candidateId, body: 'Eens, vanwege de AOW.', parentId: addComment.id });
    const follower = book.members[2].client;
    const notified = await waitFor(async () => {
      const { notifications } = await follower.data<{ notifications: { unreadCount: number; nodes: { kind: string; data: string }[] } }>(OPS.notifications);
      return notifications.unreadCount >= 2 && notifications;
    }, 'the follower to be notified twice');
    expect(notified.nodes.map((n) => n.kind)).toEqual(['COMMENT_ADDED', 'COMMENT_ADDED']);
    expect(JSON.parse(notified.nodes[0].data)).toMatchObject({ candidateId, candidateName: 'Willem Drees' });
    await expectRefused(t, book.members[0].client, OPS.comment, { candidateId, body: '   ' }, 'BAD_USER_INPUT');
    await expectRefused(t, book.members[0].client, OPS.comment, { candidateId, body: 'x'.repeat(5001) }, 'BAD_USER_INPUT');
    await expectRefused(t, book.members[0].client, OPS.comment, { candidateId, body: 'Los', parentId: '00000000-0000-4000-8000-000000000000' }, 'BAD_USER_INPUT');
    const { candidate } = await book.members[0].client.data<{ candidate: { comments: { parentId: string | null }[]; commentCount: number } }>(OPS.candidate, { id: candidateId });
    expect(candidate.comments.map((c) => c.parentId)).toEqual([null, addComment.id]);
  });
});
