import { randomUUID } from 'node:crypto';
import { Actor, ProjectRole } from '@quire/core';
import { Project } from '@quire/domain/projects';
import { startTestApp, TestApp } from '@quire/testing';
import { checkedVoter, requestParameters, VOTERS, VoterRow } from '../../libs/domain/voting/src/voters';
import { votingBook } from './fixtures';

const { MEMBER, EDITOR, ADMIN } = ProjectRole;

/**
 * Votes are cast by the database on its own verdict (cast_votes, through vote_voters) while the api
 * answers with checkVoter's: a vote the api refuses must never be written, and one it accepts must
 * not be turned away. Every combination of voter, candidate, round, phase and rules, through both.
 */
describe('who may vote: the api and the database agree', () => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp({ label: 'voters' }); });
  afterAll(async () => { await t?.close(); });

  it('gives one verdict in checkVoter and vote_voters for every voter, candidate, phase and rule', async () => {
    const book = await votingBook(t, ['Rita Een', 'Sander Twee', 'Tom Drie']);
    const [nominated, merged, hidden] = book.candidates;
    const project = { id: book.projectId } as Project;
    await t.dataSource.query(`UPDATE candidates SET merged_into_id = $1 WHERE id = $2`, [nominated, merged]);
    await t.dataSource.query(`UPDATE nominations SET status = 'HIDDEN' WHERE candidate_id = $1`, [hidden]);
    const [member, editor, projectAdmin, outsider, installationAdmin, blocked] = await Promise.all([
      t.person([MEMBER], project), t.person([EDITOR, MEMBER], project), t.person([ADMIN], project), t.person([]),
      t.person([], undefined, { installationAdmin: true }), t.person([MEMBER], project),
    ]);
    await t.dataSource.query(`INSERT INTO project_blocks (project_id, user_id, reason) VALUES ($1, $2, 'Spam')`, [book.projectId, blocked.user.id]);
    const actors: Actor[] = [
      ...[member, editor, projectAdmin, outsider, installationAdmin, blocked].map(({ user }): Actor => ({ kind: 'user', userId: user.id, installationAdmin: user.installationAdmin })),
      { kind: 'anonymous' },
    ];
    const rounds = [book.roundId, randomUUID()];
    const candidates = [nominated, merged, hidden, randomUUID(), null];
    const requests = actors.flatMap((actor) => rounds.flatMap((roundId) => candidates.map((candidateId) => ({ actor, roundId, candidateId }))));

    const verdicts = { allowed: 0, refused: 0 };
    for (const phase of ['VOTING', 'NOMINATING', 'CLOSED']) {
      for (const voters of [[MEMBER], [EDITOR, ADMIN], []]) {
        await t.dataSource.query(`UPDATE rounds SET phase = $2, rules = jsonb_set(rules, ARRAY[$2, 'vote'], $3::jsonb) WHERE id = $1`, [book.roundId, phase, JSON.stringify(voters)]);
        const rows: VoterRow[] = await t.dataSource.query(VOTERS, requestParameters(requests));
        requests.forEach(({ actor, roundId, candidateId }, i) => {
          const allowed = !(checkedVoter(actor, roundId, candidateId, rows[i]) instanceof Error);
          expect({ phase, voters, actor, roundId, candidateId, mayVote: rows[i].may_vote }).toEqual({ phase, voters, actor, roundId, candidateId, mayVote: allowed });
          verdicts[allowed ? 'allowed' : 'refused'] += 1;
        });
      }
    }
    // Both verdicts, many times: the comparison is not of two answers that never change.
    expect(verdicts.allowed).toBeGreaterThan(20);
    expect(verdicts.refused).toBeGreaterThan(verdicts.allowed);
  });
});
