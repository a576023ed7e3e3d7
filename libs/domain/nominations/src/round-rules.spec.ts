import { DomainError, ProjectRole } from '@quire/core';
import { Round } from './entities';
import { allowedActions, checkPhaseAllows, defaultRoundRules, nextPhase, nextScheduledTransition, rulesProblems } from './round-rules';

function round(overrides: Partial<Round>): Round {
  return Object.assign(new Round(), { phase: 'DRAFT', rules: defaultRoundRules(), nominatingOpensAt: null, votingOpensAt: null, closesAt: null, ...overrides });
}

describe('round rules', () => {
  it('moves one phase forward at a time and ends at CLOSED', () => {
    expect(['DRAFT', 'NOMINATING', 'VOTING', 'CLOSED'].map((p) => nextPhase(p as Round['phase']))).toEqual(['NOMINATING', 'VOTING', 'CLOSED', null]);
  });

  it('names the next scheduled transition from the phase and the schedule', () => {
    const at = new Date('2027-01-01T09:00:00Z');
    expect(nextScheduledTransition(round({ phase: 'DRAFT', nominatingOpensAt: at }))).toEqual({ to: 'NOMINATING', at });
    expect(nextScheduledTransition(round({ phase: 'NOMINATING', nominatingOpensAt: at }))).toBeNull();
    expect(nextScheduledTransition(round({ phase: 'VOTING', closesAt: at }))).toEqual({ to: 'CLOSED', at });
    expect(nextScheduledTransition(round({ phase: 'CLOSED', closesAt: at }))).toBeNull();
  });

  it('tells phases that allow nobody from roles that are not allowed', () => {
    const nominating = round({ phase: 'NOMINATING' });
    expect(allowedActions(nominating, [ProjectRole.MEMBER])).toEqual(['nominate', 'endorse', 'comment']);
    expect(allowedActions(nominating, [ProjectRole.AUTHOR])).toEqual([]);
    expect(() => checkPhaseAllows(nominating, 'vote', [ProjectRole.MEMBER])).toThrow(expect.objectContaining({ code: 'NOT_ALLOWED_IN_PHASE' }));
    expect(() => checkPhaseAllows(nominating, 'nominate', [ProjectRole.AUTHOR])).toThrow(DomainError);
    expect(() => checkPhaseAllows(nominating, 'nominate', [ProjectRole.AUTHOR])).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
  });

  it('checks rules given by editors', () => {
    expect(rulesProblems(defaultRoundRules())).toEqual([]);
    expect(rulesProblems(null)).toEqual([{ field: 'rules', message: expect.any(String) }]);
    const broken = { ...defaultRoundRules(), VOTING: { nominate: [], endorse: [], comment: [], vote: ['KING'], talliesVisible: 'yes' } };
    expect(rulesProblems(broken).map((p) => p.field)).toEqual(['rules.VOTING.vote', 'rules.VOTING.talliesVisible']);
  });
});
