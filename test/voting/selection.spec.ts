import { createHash } from 'node:crypto';
import { GENDERS, GOVERNMENT_LAYERS } from '@quire/domain/nominations';
import { drawPositions, inQuota, PoolCandidate, Quota, solveSelection } from '@quire/domain/voting';
import { seededRandom, startTestApp, TestApp } from '@quire/testing';
import { OPS as API_OPS } from '../api/helpers';
import { MOTIVATION, NOMINATION_OPS } from '../nominations/fixtures';
import { cast, expectRefusedSettled, importCandidates, VOTING_OPS as OPS, votingBook } from './fixtures';

interface Brute {
  feasible: boolean;
  votes: number;
  drawSum: number;
  /** Every best selection (most votes, then smallest sum of draw positions). */
  best: string[][];
}

/** Every subset of the right size, checked one by one: the answer the solver must match. */
function bruteForce(pool: PoolCandidate[], size: number, quotas: Quota[], pinned: string[], excluded: string[], draw: Map<string, number>): Brute {
  const usable = pool.filter((c) => !excluded.includes(c.id));
  let best: Brute = { feasible: false, votes: -1, drawSum: Infinity, best: [] };
  const pick = (start: number, chosen: PoolCandidate[]): void => {
    if (chosen.length === size) {
      if (!pinned.every((id) => chosen.some((c) => c.id === id))) return;
      if (!quotas.every((q) => {
        const n = chosen.filter((c) => inQuota(q, c)).length;
        return n >= q.min && (q.max === null || n <= q.max);
      })) return;
      const votes = chosen.reduce((sum, c) => sum + c.votes, 0);
      const drawSum = chosen.reduce((sum, c) => sum + (draw.get(c.id) as number), 0);
      const ids = chosen.map((c) => c.id).sort();
      if (votes > best.votes || (votes === best.votes && drawSum < best.drawSum)) best = { feasible: true, votes, drawSum, best: [ids] };
      else if (votes === best.votes && drawSum === best.drawSum) best.best.push(ids);
      return;
    }
    for (let i = start; i <= usable.length - (size - chosen.length); i++) pick(i + 1, [...chosen, usable[i]]);
  };
  pick(0, []);
  return best;
}

function randomCase(random: () => number) {
  const n = 5 + Math.floor(random() * 6);
  const pool: PoolCandidate[] = Array.from({ length: n }, (_, i) => ({
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    votes: Math.floor(random() * 6), // few distinct values: many ties
    gender: GENDERS[Math.floor(random() * 3)],
    governmentLayer: GOVERNMENT_LAYERS[Math.floor(random() * 3)],
    region: random() < 0.5 ? 'Zeeland' : 'Limburg',
    periodStart: 1850 + Math.floor(random() * 150),
    periodEnd: null,
    birthYear: null,
    deathYear: null,
  }));
  const size = 1 + Math.floor(random() * Math.min(4, n - 1));
  const quotas: Quota[] = [];
  const count = Math.floor(random() * 4);
  for (let k = 0; k < count; k++) {
    const kind = Math.floor(random() * 4);
    const min = Math.floor(random() * 2);
    const max = random() < 0.5 ? null : min + Math.floor(random() * 2);
    if (kind === 0) quotas.push({ label: 'g', dimension: 'GENDER', value: GENDERS[Math.floor(random() * 2)], from: null, to: null, min, max });
    else if (kind === 1) quotas.push({ label: 'l', dimension: 'GOVERNMENT_LAYER', value: GOVERNMENT_LAYERS[Math.floor(random() * 3)], from: null, to: null, min, max });
    else if (kind === 2) quotas.push({ label: 'r', dimension: 'REGION', value: 'zeeland', from: null, to: null, min, max });
    else quotas.push({ label: 'p', dimension: 'PERIOD', value: null, from: 1900, to: 1950, min, max });
  }
  const shuffled = [...pool].sort(() => random() - 0.5);
  const pinned = random() < 0.3 ? [shuffled[0].id] : [];
  const excluded = random() < 0.3 ? [shuffled[1].id] : [];
  return { pool, size, quotas, pinned, excluded, seed: `case-${Math.floor(random() * 1e6)}` };
}

describe('the balance assistant against brute force', () => {
  it('finds the most votes, the documented tie-break and the cost of each quota on 300 small cases', async () => {
    const random = seededRandom(1848);
    let infeasible = 0;
    for (let i = 0; i < 300; i++) {
      const problem = randomCase(random);
      const draw = drawPositions(problem.seed, problem.pool.map((c) => c.id));
      const brute = bruteForce(problem.pool, problem.size, problem.quotas, problem.pinned, problem.excluded, draw);
      const solution = await solveSelection(problem);
      const context = JSON.stringify(problem);
      if (!brute.feasible) {
        infeasible += 1;
        expect({ context, outcome: solution.outcome }).toEqual({ context, outcome: 'INFEASIBLE' });
        continue;
      }
      expect({ context, outcome: solution.outcome, votes: solution.totalVotes }).toEqual({ context, outcome: 'OPTIMAL', votes: brute.votes });
      const drawSum = solution.selected.reduce((sum, id) => sum + (draw.get(id) as number), 0);
      expect({ context, drawSum }).toEqual({ context, drawSum: brute.drawSum });
      expect(brute.best).toContainEqual([...solution.selected].sort());
      for (const [k, q] of solution.quotas.entries()) {
        const without = bruteForce(problem.pool, problem.size, problem.quotas.filter((_, other) => other !== k), problem.pinned, problem.excluded, draw);
        expect({ context, quota: k, cost: q.costInVotes }).toEqual({ context, quota: k, cost: without.votes - brute.votes });
      }
    }
    // The cases cover both outcomes.
    expect(infeasible).toBeGreaterThan(5);
    expect(infeasible).toBeLessThan(150);
  });

  it('re-runs to the same selection with the same seed', async () => {
    const pool: PoolCandidate[] = Array.from({ length: 30 }, (_, i) => ({
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, votes: 10, gender: 'FEMALE', governmentLayer: 'NATIONAL', region: '', periodStart: null, periodEnd: null, birthYear: null, deathYear: null,
    }));
    const problem = { pool, size: 5, quotas: [], pinned: [], excluded: [], seed: 'herhaal' };
    const first = await solveSelection(problem);
    expect((await solveSelection(problem)).selected).toEqual(first.selected);
    // All tie: the first five of the draw get in.
    const draw = drawPositions('herhaal', pool.map((c) => c.id));
    expect([...first.selected].sort()).toEqual([...draw].filter(([, position]) => position <= 5).map(([id]) => id).sort());
    expect((await solveSelection({ ...problem, seed: 'anders' })).selected).not.toEqual(first.selected);
  });
});

describe('proposing and confirming the selection', () => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp({ label: 'selection', worker: true }); });
  afterAll(async () => { await t?.close(); });

  it('proposes within quotas, reports what binds, confirms into SELECTED candidates with UNASSIGNED portraits', async () => {
    const book = await votingBook(t, [
      { name: 'Anna Minister', gender: 'FEMALE', governmentLayer: 'NATIONAL' },
      { name: 'Bert Minister', gender: 'MALE', governmentLayer: 'NATIONAL' },
      { name: 'Cees Wethouder', gender: 'MALE', governmentLayer: 'MUNICIPAL' },
      { name: 'Dirk Dijkgraaf', gender: 'MALE', governmentLayer: 'WATER_BOARD' },
      { name: 'Eva Gedeputeerde', gender: 'FEMALE', governmentLayer: 'PROVINCIAL' },
    ], { votesPerMember: 3 });
    const [anna, bert, cees, dirk, eva] = book.candidates;
    for (const m of book.members) for (const c of [bert, cees, dirk]) await cast(m.client, book.roundId, c);
    await cast(book.editor, book.roundId, anna);
    await cast(book.author, book.roundId, bert);
    await expectRefusedSettled(t, book.editor, OPS.proposeSelection, { roundId: book.roundId, input: { size: 2 } }, 'NOT_ALLOWED_IN_PHASE');
    await book.editor.data(NOMINATION_OPS.advanceRound, { id: book.roundId, to: 'CLOSED' });

    type Proposal = { id: string; outcome: string; totalVotes: number; selectedIds: string[]; seed: string; quotas: { label: string; selected: number; atLimit: boolean; binding: boolean; costInVotes: number }[]; entries: { votes: number; pinned: boolean; candidate: { id: string } }[] };
    const propose = async (input: Record<string, unknown>): Promise<Proposal> => (await book.editor.data<{ proposeSelection: Proposal }>(OPS.proposeSelection, { roundId: book.roundId, input })).proposeSelection;
    const plain = await propose({ size: 3 });
    expect(plain).toMatchObject({ outcome: 'OPTIMAL', totalVotes: 10 });
    expect(new Set(plain.selectedIds)).toEqual(new Set([bert, cees, dirk]));
    const balanced = await propose({ size: 3, quotas: [{ dimension: 'GENDER', value: 'FEMALE', min: 1, label: 'een vrouw' }], pinned: [eva], excluded: [dirk] });
    expect(new Set(balanced.selectedIds)).toEqual(new Set([bert, cees, eva]));
    expect(balanced.quotas).toEqual([expect.objectContaining({ label: 'een vrouw', selected: 1, atLimit: true, binding: false, costInVotes: 0 })]);
    expect(balanced.entries.find((e) => e.candidate.id === eva)).toMatchObject({ pinned: true, votes: 0 });
    const costly = await propose({ size: 3, quotas: [{ dimension: 'GENDER', value: 'FEMALE', min: 2 }] });
    expect(costly.quotas[0]).toMatchObject({ binding: true, costInVotes: 10 - (4 + 1 + 0) });
    const impossible = await propose({ size: 3, quotas: [{ dimension: 'GENDER', value: 'NONBINARY', min: 1 }] });
    expect(impossible).toMatchObject({ outcome: 'INFEASIBLE', selectedIds: [], totalVotes: null });
    expect((await propose({ size: 3, seed: plain.seed })).selectedIds).toEqual(plain.selectedIds);

    await expectRefusedSettled(t, book.editor, OPS.proposeSelection, { roundId: book.roundId, input: { size: 3, pinned: [anna], excluded: [anna] } }, 'BAD_USER_INPUT');
    await expectRefusedSettled(t, book.editor, OPS.proposeSelection, { roundId: book.roundId, input: { quotas: [{ dimension: 'PERIOD', from: 1950, to: 1900, min: 1 }] } }, 'BAD_USER_INPUT');
    await expectRefusedSettled(t, book.editor, OPS.proposeSelection, { roundId: book.roundId, input: { quotas: [{ dimension: 'GENDER', value: 'OTHER', min: 1 }] } }, 'BAD_USER_INPUT');
    await expectRefusedSettled(t, book.editor, OPS.proposeSelection, { roundId: book.roundId, input: { size: 0 } }, 'BAD_USER_INPUT');
    await expectRefusedSettled(t, book.editor, OPS.proposeSelection, { roundId: book.roundId, input: { pinned: ['00000000-0000-4000-8000-000000000000'] } }, 'BAD_USER_INPUT');
    await expectRefusedSettled(t, book.editor, OPS.confirmSelection, { id: impossible.id }, 'INVALID_TRANSITION');

    await book.editor.data(OPS.confirmSelection, { id: balanced.id });
    const statuses: { id: string; status: string }[] = await t.dataSource.query(`SELECT id, status FROM candidates WHERE project_id = $1`, [book.projectId]);
    expect(Object.fromEntries(statuses.map((s) => [s.id, s.status]))).toEqual({ [bert]: 'SELECTED', [cees]: 'SELECTED', [eva]: 'SELECTED', [anna]: 'NOT_SELECTED', [dirk]: 'NOT_SELECTED' });
    const portraits: { candidate_id: string; status: string }[] = await t.dataSource.query(`SELECT candidate_id, status FROM portraits WHERE project_id = $1`, [book.projectId]);
    expect(portraits.map((p) => p.candidate_id).sort()).toEqual([bert, cees, eva].sort());
    expect(portraits.every((p) => p.status === 'UNASSIGNED')).toBe(true);
    await expectRefusedSettled(t, book.editor, OPS.confirmSelection, { id: balanced.id }, 'INVALID_TRANSITION');
    await expectRefusedSettled(t, book.editor, OPS.confirmSelection, { id: plain.id }, 'CONFLICT');
    const { selections } = await book.members[0].client.data<{ selections: { id: string; status: string }[] }>(OPS.selections, { roundId: book.roundId });
    expect(selections.find((s) => s.id === balanced.id)?.status).toBe('CONFIRMED');
  });

  it('gives a candidate selected by hand its portrait, and takes it back with the selection until work on it starts', async () => {
    const book = await votingBook(t, ['Eva Handmatig', 'Frits Handmatig']);
    const [eva, frits] = book.candidates;
    const setStatus = (id: string, status: string) => book.editor.request<{ setCandidateStatus: { status: string } }>(NOMINATION_OPS.setCandidateStatus, { id, status });
    const portraitOf = async (candidateId: string): Promise<{ id: string; status: string } | undefined> =>
      ((await t.dataSource.query(`SELECT id, status FROM portraits WHERE candidate_id = $1`, [candidateId])) as { id: string; status: string }[])[0];
    for (const id of [eva, frits]) {
      expect((await setStatus(id, 'SHORTLISTED')).errors).toBeUndefined();
      expect((await setStatus(id, 'SELECTED')).data?.setCandidateStatus.status).toBe('SELECTED');
      expect(await portraitOf(id)).toMatchObject({ status: 'UNASSIGNED' });
    }
    const { portraits } = await book.editor.data<{ portraits: { candidateId: string }[] }>('query($p: ID!) { portraits(projectId: $p) { candidateId } }', { p: book.projectId });
    expect(portraits.map((p) => p.candidateId).sort()).toEqual([eva, frits].sort());

    // Nobody started on Eva's portrait: back on the shortlist, it goes.
    const evaPortrait = (await portraitOf(eva)) as { id: string };
    expect((await setStatus(eva, 'SHORTLISTED')).data?.setCandidateStatus.status).toBe('SHORTLISTED');
    expect(await portraitOf(eva)).toBeUndefined();
    const audit: { action: string; entity_type: string; data: { candidateId: string } }[] = await t.dataSource.query(
      `SELECT action, entity_type, data FROM audit_events WHERE entity_id = $1 ORDER BY created_at, action`,
      [evaPortrait.id],
    );
    expect(audit).toEqual([
      { action: 'portrait.created', entity_type: 'portrait', data: { candidateId: eva } },
      { action: 'portrait.removed', entity_type: 'portrait', data: { candidateId: eva } },
    ]);
    // Frits's has an editor: he stays selected, his portrait as it was.
    const fritsPortrait = (await portraitOf(frits)) as { id: string };
    const [{ id: editorId }]: { id: string }[] = await t.dataSource.query(
      `SELECT m.user_id AS id FROM project_memberships m WHERE m.project_id = $1 AND 'EDITOR' = ANY(m.roles) LIMIT 1`,
      [book.projectId],
    );
    const team = await book.editor.request('mutation($p: ID!, $t: PortraitTeamInput!) { setPortraitTeam(portraitId: $p, team: $t) { id } }', { p: fritsPortrait.id, t: { coAuthorIds: [], editorId } });
    expect(team.errors).toBeUndefined();
    const refused = await setStatus(frits, 'SHORTLISTED');
    expect(refused.errors?.[0].extensions?.code).toBe('INVALID_TRANSITION');
    const [{ status }]: { status: string }[] = await t.dataSource.query(`SELECT status FROM candidates WHERE id = $1`, [frits]);
    expect(status).toBe('SELECTED');
    expect(await portraitOf(frits)).toMatchObject({ id: fritsPortrait.id });
  });

  it("fills the book's remaining places from a later round, never offers a candidate selected before, and says when none are left", async () => {
    const book = await votingBook(t, ['Anna Eerste', 'Bert Eerste', 'Cees Eerste', 'Dirk Eerste'], { votesPerMember: 3 });
    await book.admin.data(API_OPS.updateProject, { id: book.projectId, input: { targetPortraitCount: 4 } });
    const [anna, bert, cees] = book.candidates;
    for (const c of [anna, bert, cees]) await cast(book.members[0].client, book.roundId, c);
    await book.editor.data(NOMINATION_OPS.advanceRound, { id: book.roundId, to: 'CLOSED' });
    type Places = { portraits: number; selectedElsewhere: number; selectedElsewhereIds: string[]; confirmedHere: boolean; left: number };
    const places = async (roundId: string): Promise<Places> => (await book.members[1].client.data<{ round: { selectionPlaces: Places } }>(OPS.selectionPlaces, { id: roundId })).round.selectionPlaces;
    const propose = async (roundId: string, input: Record<string, unknown>) =>
      (await book.editor.data<{ proposeSelection: { id: string; size: number; selectedIds: string[]; entries: { votes: number; drawPosition: number; candidate: { id: string } }[] } }>(OPS.proposeSelection, { roundId, input })).proposeSelection;
    expect(await places(book.roundId)).toEqual({ portraits: 4, selectedElsewhere: 0, selectedElsewhereIds: [], confirmedHere: false, left: 4 });
    const first = await propose(book.roundId, { size: 3 });
    await book.editor.data(OPS.confirmSelection, { id: first.id });
    expect(await places(book.roundId)).toEqual({ portraits: 4, selectedElsewhere: 0, selectedElsewhereIds: [], confirmedHere: true, left: 1 });
    await expectRefusedSettled(t, book.editor, OPS.proposeSelection, { roundId: book.roundId, input: { size: 1 } }, 'CONFLICT');

    /** A round that closes with new candidates `names` and known ones `again` on its ballot, each member voting for the candidates named in `votes`. */
    const closedRound = async (title: string, names: string[], votes: string[][], again: Record<string, string> = {}): Promise<{ roundId: string; ids: Map<string, string> }> => {
      const { createRound } = await book.editor.data<{ createRound: { id: string } }>(NOMINATION_OPS.createRound, { projectId: book.projectId, input: { title, votesPerMember: 3 } });
      await book.editor.data(NOMINATION_OPS.advanceRound, { id: createRound.id, to: 'NOMINATING' });
      const ids = await importCandidates(book.editor, createRound.id, names.map((name) => ({ name })));
      const idOf = new Map([...names.map((name, i): [string, string] => [name, ids[i]]), ...Object.entries(again)]);
      for (const candidateId of Object.values(again)) {
        const { nominate } = await book.editor.data<{ nominate: { id: string; status: string } }>(NOMINATION_OPS.nominate, { roundId: createRound.id, input: { candidateId, motivation: MOTIVATION } });
        if (nominate.status !== 'PUBLISHED') await book.editor.data(NOMINATION_OPS.publishNomination, { id: nominate.id });
      }
      await book.editor.data(NOMINATION_OPS.advanceRound, { id: createRound.id, to: 'VOTING' });
      for (const [m, chosen] of votes.entries()) for (const name of chosen) await cast(book.members[m].client, createRound.id, idOf.get(name) as string);
      await book.editor.data(NOMINATION_OPS.advanceRound, { id: createRound.id, to: 'CLOSED' });
      return { roundId: createRound.id, ids: idOf };
    };
    // Round 2: Anna (selected in round 1) is on the ballot again with the most votes, next to two new candidates.
    const second = await closedRound('Ronde 2', ['Eva Tweede', 'Fien Tweede'], [['Anna Eerste', 'Eva Tweede'], ['Anna Eerste']], { 'Anna Eerste': anna });
    const secondResults = await book.editor.data<{ roundResults: { entries: { rank: number; votes: number; candidate: { id: string } }[] } }>(OPS.roundResults, { roundId: second.roundId });
    expect(secondResults.roundResults.entries[0]).toMatchObject({ rank: 1, votes: 2, candidate: { id: anna } });
    const eva = second.ids.get('Eva Tweede') as string;
    expect(await places(second.roundId)).toEqual({ portraits: 4, selectedElsewhere: 3, selectedElsewhereIds: expect.arrayContaining([anna, bert, cees]), confirmedHere: false, left: 1 });
    await expectRefusedSettled(t, book.editor, OPS.proposeSelection, { roundId: second.roundId, input: { size: 2 } }, 'BAD_USER_INPUT');
    const pinnedTaken = await expectRefusedSettled(t, book.editor, OPS.proposeSelection, { roundId: second.roundId, input: { pinned: [anna] } }, 'BAD_USER_INPUT');
    expect(pinnedTaken.errors?.[0].extensions?.['fields']).toEqual([{ field: 'pinned', message: `Selected in another round already: ${anna}` }]);
    // Left out, the size is the places left; Anna is not in the pool, so Eva gets the one place.
    const fill = await propose(second.roundId, {});
    expect(fill).toMatchObject({ size: 1, selectedIds: [eva] });
    expect(fill.entries).toEqual([expect.objectContaining({ votes: 1, candidate: expect.objectContaining({ id: eva }) })]);

    // Round 3 closes too and proposes for the same last place; round 2 confirms first.
    const third = await closedRound('Ronde 3', ['Gijs Derde'], [['Gijs Derde']]);
    const race = await propose(third.roundId, { size: 1 });
    for (const [client, code] of [[book.members[0].client, 'FORBIDDEN'], [book.author, 'FORBIDDEN'], [book.outsider, 'NOT_FOUND']] as const) {
      await expectRefusedSettled(t, client, OPS.confirmSelection, { id: fill.id }, code);
    }
    await book.editor.data(OPS.confirmSelection, { id: fill.id });
    expect(await places(third.roundId)).toEqual({ portraits: 4, selectedElsewhere: 4, selectedElsewhereIds: expect.arrayContaining([anna, bert, cees, eva]), confirmedHere: false, left: 0 });
    const full = await expectRefusedSettled(t, book.editor, OPS.confirmSelection, { id: race.id }, 'CONFLICT');
    expect(full.errors?.[0].message).toBe('All 4 places of the book are taken by the selections of other rounds');
    await expectRefusedSettled(t, book.editor, OPS.proposeSelection, { roundId: third.roundId, input: {} }, 'CONFLICT');

    // Round 2 confirmed only its own: Anna stays SELECTED (from round 1) although round 2 passed her over.
    const statuses: { id: string; status: string }[] = await t.dataSource.query(`SELECT id, status FROM candidates WHERE project_id = $1`, [book.projectId]);
    const statusOf = new Map(statuses.map((r) => [r.id, r.status]));
    expect([anna, bert, cees, eva].map((id) => statusOf.get(id))).toEqual(['SELECTED', 'SELECTED', 'SELECTED', 'SELECTED']);
    expect(statusOf.get(second.ids.get('Fien Tweede') as string)).toBe('NOT_SELECTED');
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM portraits WHERE project_id = $1`, [book.projectId]);
    expect(n).toBe(4);
  });

  it('tells where the seeded draw decided: the candidates with equal votes the selection split, in the order anyone can recompute', async () => {
    const book = await votingBook(t, ['Ties Een', 'Ties Twee', 'Ties Drie', 'Ties Vier'], { votesPerMember: 1 });
    const [een, twee, drie, vier] = book.candidates;
    for (const [m, c] of [[0, een], [1, twee], [2, drie]] as const) await cast(book.members[m].client, book.roundId, c);
    await cast(book.editor, book.roundId, vier);
    await book.author.data(OPS.castVote, { roundId: book.roundId, candidateId: vier });
    await book.editor.data(NOMINATION_OPS.advanceRound, { id: book.roundId, to: 'CLOSED' });
    // Vier has 2 votes and is in; Een, Twee and Drie have 1 each, for one place, with Drie excluded.
    const { proposeSelection } = await book.editor.data<{ proposeSelection: { id: string } }>(OPS.proposeSelection, { roundId: book.roundId, input: { size: 2, seed: 'gelijkspel', excluded: [drie] } });
    type Tie = { votes: number; candidates: { drawPosition: number; selected: boolean; candidate: { id: string } }[] };
    const { selection } = await book.members[0].client.data<{ selection: { seed: string; selectedIds: string[]; ties: Tie[] } }>(OPS.selectionTies, { id: proposeSelection.id });
    const key = (id: string): string => createHash('sha256').update(`gelijkspel:${id}`).digest('hex');
    const [first, second] = [een, twee].sort((a, b) => key(a).localeCompare(key(b)));
    const position = (id: string): number => [een, twee, drie, vier].map(key).sort().indexOf(key(id)) + 1;
    expect(selection.seed).toBe('gelijkspel');
    expect(new Set(selection.selectedIds)).toEqual(new Set([vier, first]));
    expect(selection.ties).toEqual([{
      votes: 1,
      candidates: [
        { drawPosition: position(first), selected: true, candidate: { id: first } },
        { drawPosition: position(second), selected: false, candidate: { id: second } },
      ],
    }]);
  });
});
