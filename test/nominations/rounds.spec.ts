import { ProjectRole } from '@quire/core';
import { GraphQLClient, startTestApp, TestApp, waitFor } from '@quire/testing';
import { anonymous, expectRefused } from '../api/helpers';
import { Book, MOTIVATION, nominateNew, NOMINATION_OPS as OPS, openBook, untilListening, watchRound } from './fixtures';

describe('rounds: phases, rules and transitions', () => {
  let t: TestApp;
  let book: Book;
  beforeAll(async () => {
    t = await startTestApp({ label: 'rounds' });
    book = await openBook(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('lets editors create a round in DRAFT and refuses everyone else, changing nothing', async () => {
    const input = { title: 'Ronde 2' };
    const { createRound } = await book.editor.data<{ createRound: { phase: string } }>(OPS.createRound, { projectId: book.projectId, input });
    expect(createRound.phase).toBe('DRAFT');
    for (const client of [book.members[0].client, book.author, book.outsider]) {
      await expectRefused(t, client, OPS.createRound, { projectId: book.projectId, input }, 'FORBIDDEN');
    }
    await expectRefused(t, anonymous(t), OPS.createRound, { projectId: book.projectId, input }, 'UNAUTHENTICATED');
  });

  it('tells what a new round starts with: what a round created with a title only gets', async () => {
    const settings = `description nominatingOpensAt votingOpensAt closesAt premoderation maxNominationsPerMember motivationMinLength motivationMaxLength
      votesPerMember minVotesPerMember rules { ${['DRAFT', 'NOMINATING', 'VOTING', 'CLOSED'].map((phase) => `${phase} { nominate endorse comment vote talliesVisible }`).join(' ')} }`;
    const { roundDefaults } = await book.members[0].client.data<{ roundDefaults: Record<string, unknown> }>(`{ roundDefaults { ${settings} } }`);
    const { createRound } = await book.editor.data<{ createRound: Record<string, unknown> }>(
      `mutation($projectId: ID!, $input: RoundInput!) { createRound(projectId: $projectId, input: $input) { ${settings} } }`,
      { projectId: book.projectId, input: { title: 'Ronde met standaarden' } },
    );
    expect(roundDefaults).toEqual(createRound);
    expect(roundDefaults).toMatchObject({ votesPerMember: 10, rules: { VOTING: { vote: ['MEMBER'] } } });
    expect((await anonymous(t).request('{ roundDefaults { votesPerMember } }')).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('refuses bad settings with the fields named, changing nothing', async () => {
    const now = Date.now();
    const cases: [Record<string, unknown>, string][] = [
      [{ title: '' }, 'title'],
      [{ title: 'x'.repeat(201) }, 'title'],
      [{ title: 'Ronde', nominatingOpensAt: new Date(now + 2000).toISOString(), votingOpensAt: new Date(now + 1000).toISOString() }, 'votingOpensAt'],
      [{ title: 'Ronde', votesPerMember: 0 }, 'votesPerMember'],
      [{ title: 'Ronde', motivationMinLength: 500, motivationMaxLength: 100 }, 'motivationMaxLength'],
      [{ title: 'Ronde', minVotesPerMember: 20, votesPerMember: 10 }, 'minVotesPerMember'],
    ];
    for (const [input, field] of cases) {
      const result = await expectRefused(t, book.editor, OPS.createRound, { projectId: book.projectId, input }, 'BAD_USER_INPUT');
      expect(JSON.stringify(result.errors?.[0].extensions)).toContain(field);
    }
    await expectRefused(t, book.editor, OPS.createRound, { projectId: book.projectId, input: { title: 'Ronde', nominatingOpensAt: 'tomorrow' } }, 'BAD_USER_INPUT');
  });

  it('moves one phase at a time, only forward, and CLOSED is final', async () => {
    const { createRound } = await book.editor.data<{ createRound: { id: string } }>(OPS.createRound, { projectId: book.projectId, input: { title: 'Ronde 3' } });
    const id = createRound.id;
    await expectRefused(t, book.editor, OPS.advanceRound, { id, to: 'VOTING' }, 'INVALID_TRANSITION');
    await expectRefused(t, book.members[0].client, OPS.advanceRound, { id, to: 'NOMINATING' }, 'FORBIDDEN');
    for (const to of ['NOMINATING', 'VOTING', 'CLOSED']) {
      const { advanceRound } = await book.editor.data<{ advanceRound: { phase: string } }>(OPS.advanceRound, { id, to });
      expect(advanceRound.phase).toBe(to);
    }
    for (const to of ['DRAFT', 'NOMINATING', 'VOTING', 'CLOSED']) await expectRefused(t, book.editor, OPS.advanceRound, { id, to }, 'INVALID_TRANSITION');
    await expectRefused(t, book.editor, OPS.updateRound, { id, input: { title: 'Anders' } }, 'INVALID_TRANSITION');
    const audit: { n: number }[] = await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_events WHERE entity_id = $1 AND action = 'round.phase_changed'`, [id]);
    expect(audit[0].n).toBe(3);
  });

  it('pushes the round to whoever watches it after a phase change or new settings, as each may see it, and refuses people outside the project', async () => {
    const { createRound } = await book.editor.data<{ createRound: { id: string } }>(OPS.createRound, { projectId: book.projectId, input: { title: 'Ronde die verandert' } });
    const id = createRound.id;
    const refused = watchRound(t, book.outsider, id);
    await waitFor(() => refused.errors.length > 0 || undefined, 'the refusal');
    expect(refused.errors[0].extensions?.code).toBe('NOT_FOUND');
    await refused.dispose();

    const member = watchRound(t, book.members[0].client, id);
    const editor = watchRound(t, book.editor, id);
    try {
      await untilListening(book.editor, id, [member, editor]);
      await book.editor.data(OPS.updateRound, { id, input: { title: 'Ronde met nieuwe naam' } });
      await waitFor(() => (member.pushes.length > 0 && editor.pushes.length > 0) || undefined, 'the new title');
      expect(member.pushes[0]).toEqual({ phase: 'DRAFT', title: 'Ronde met nieuwe naam', myActions: [] });

      await book.editor.data(OPS.advanceRound, { id, to: 'NOMINATING' });
      await waitFor(() => (member.pushes.some((p) => p.phase === 'NOMINATING') && editor.pushes.some((p) => p.phase === 'NOMINATING')) || undefined, 'the phase change');
      expect(member.pushes.at(-1)?.myActions).toContain('nominate');
      // A refused change is not announced.
      const pushed = member.pushes.length;
      await expectRefused(t, book.members[0].client, OPS.advanceRound, { id, to: 'VOTING' }, 'FORBIDDEN');
      await book.editor.data(OPS.advanceRound, { id, to: 'VOTING' });
      await waitFor(() => member.pushes.some((p) => p.phase === 'VOTING') || undefined, 'voting to open');
      expect(member.pushes.slice(pushed).map((p) => p.phase)).toEqual(['VOTING']);
      expect(member.pushes.at(-1)?.myActions).toContain('vote');
    } finally {
      await member.dispose();
      await editor.dispose();
    }
  });

  it('applies each phase’s rules: who may nominate, endorse and comment', async () => {
    const { createRound } = await book.editor.data<{ createRound: { id: string } }>(OPS.createRound, { projectId: book.projectId, input: { title: 'Ronde 4' } });
    const id = createRound.id;
    const member = book.members[1].client;
    const input = { candidate: { name: 'Johan Rudolph Thorbecke', birthYear: 1798, deathYear: 1872 }, motivation: MOTIVATION, sources: [] };
    await expectRefused(t, member, OPS.nominate, { roundId: id, input }, 'NOT_ALLOWED_IN_PHASE');
    await book.editor.data(OPS.advanceRound, { id, to: 'NOMINATING' });
    const { nominate } = await member.data<{ nominate: { candidateId: string } }>(OPS.nominate, { roundId: id, input });
    const { round } = await member.data<{ round: { myActions: string[]; myNominationCount: number } }>(OPS.round, { id });
    expect(round).toMatchObject({ myActions: ['nominate', 'endorse', 'comment'], myNominationCount: 1 });
    await book.editor.data(OPS.advanceRound, { id, to: 'VOTING' });
    await expectRefused(t, member, OPS.nominate, { roundId: id, input: { ...input, candidate: { name: 'Cornelis Lely' } } }, 'NOT_ALLOWED_IN_PHASE');
    await book.members[2].client.data(OPS.endorse, { id: nominate.candidateId });
    await book.editor.data(OPS.advanceRound, { id, to: 'CLOSED' });
    await expectRefused(t, book.members[0].client, OPS.endorse, { id: nominate.candidateId }, 'NOT_ALLOWED_IN_PHASE');
    await book.members[0].client.data(OPS.comment, { candidateId: nominate.candidateId, body: 'Terecht gekozen.' });
  });

  it('follows rules an editor sets: only authors may nominate', async () => {
    const rules = {
      DRAFT: { nominate: [], endorse: [], comment: [], vote: [], talliesVisible: false },
      NOMINATING: { nominate: ['AUTHOR'], endorse: ['MEMBER'], comment: ['MEMBER'], vote: [], talliesVisible: false },
      VOTING: { nominate: [], endorse: [], comment: [], vote: ['MEMBER'], talliesVisible: true },
      CLOSED: { nominate: [], endorse: [], comment: [], vote: [], talliesVisible: true },
    };
    const { createRound } = await book.editor.data<{ createRound: { id: string } }>(OPS.createRound, { projectId: book.projectId, input: { title: 'Auteursronde', rules } });
    await book.editor.data(OPS.advanceRound, { id: createRound.id, to: 'NOMINATING' });
    await expectRefused(t, book.members[0].client, OPS.nominate, { roundId: createRound.id, input: { candidate: { name: 'Aletta Jacobs' }, motivation: MOTIVATION, sources: [] } }, 'FORBIDDEN');
    await nominateNew(book.author, createRound.id, 'Aletta Jacobs');
    const bad = { ...rules, VOTING: { ...rules.VOTING, vote: ['KING'] } };
    await expectRefused(t, book.editor, OPS.updateRound, { id: createRound.id, input: { rules: bad } }, 'BAD_USER_INPUT');
  });

  it('keeps one project’s rounds from another project’s people', async () => {
    const other = await t.project();
    const stranger: GraphQLClient = (await t.person([ProjectRole.EDITOR, ProjectRole.MEMBER], other)).client;
    await expectRefused(t, stranger, OPS.round, { id: book.roundId }, 'NOT_FOUND');
    await expectRefused(t, stranger, OPS.rounds, { projectId: book.projectId }, 'FORBIDDEN');
    await expectRefused(t, stranger, OPS.advanceRound, { id: book.roundId, to: 'VOTING' }, 'FORBIDDEN');
  });
});
