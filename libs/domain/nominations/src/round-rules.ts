import { DomainError, ErrorCode, FieldProblem, ProjectRole } from '@quire/core';
import { Round, ROUND_ACTIONS, ROUND_PHASES, RoundAction, RoundPhase, RoundRules } from './entities';

const { MEMBER } = ProjectRole;

/** What a new round allows unless its editors change it. */
export function defaultRoundRules(): RoundRules {
  return {
    DRAFT: { nominate: [], endorse: [], comment: [], vote: [], talliesVisible: false },
    NOMINATING: { nominate: [MEMBER], endorse: [MEMBER], comment: [MEMBER], vote: [], talliesVisible: false },
    VOTING: { nominate: [], endorse: [MEMBER], comment: [MEMBER], vote: [MEMBER], talliesVisible: true },
    CLOSED: { nominate: [], endorse: [], comment: [MEMBER], vote: [], talliesVisible: true },
  };
}

/** The one forward step each phase allows; CLOSED is final. */
const NEXT_PHASE: Record<RoundPhase, RoundPhase | null> = { DRAFT: 'NOMINATING', NOMINATING: 'VOTING', VOTING: 'CLOSED', CLOSED: null };

export function nextPhase(phase: RoundPhase): RoundPhase | null {
  return NEXT_PHASE[phase];
}

/** When the schedule moves a round into `phase` (null: only by hand). */
export function scheduledAt(round: Pick<Round, 'nominatingOpensAt' | 'votingOpensAt' | 'closesAt'>, phase: RoundPhase): Date | null {
  switch (phase) {
    case 'NOMINATING':
      return round.nominatingOpensAt;
    case 'VOTING':
      return round.votingOpensAt;
    case 'CLOSED':
      return round.closesAt;
    case 'DRAFT':
      return null;
  }
}

/** The round's next scheduled transition, if its schedule names one. */
export function nextScheduledTransition(round: Round): { to: RoundPhase; at: Date } | null {
  const to = nextPhase(round.phase);
  const at = to && scheduledAt(round, to);
  return to && at ? { to, at } : null;
}

/** The actions that `roles` may take in the round's current phase. */
export function allowedActions(round: Round, roles: readonly ProjectRole[]): RoundAction[] {
  return ROUND_ACTIONS.filter((action) => round.rules[round.phase][action].some((r) => roles.includes(r)));
}

/** Throws unless `roles` may do `action` in the round's current phase. */
export function checkPhaseAllows(round: Round, action: RoundAction, roles: readonly ProjectRole[]): void {
  const allowed = round.rules[round.phase][action];
  if (allowed.length === 0) {
    throw new DomainError(ErrorCode.NOT_ALLOWED_IN_PHASE, `Nobody can ${action} while the round is ${round.phase.toLowerCase()}`, { phase: round.phase, action });
  }
  if (!roles.some((r) => allowed.includes(r))) {
    throw DomainError.forbidden(`In this phase, ${action} needs the role ${allowed.join(' or ')}`);
  }
}

export function rulesProblems(rules: unknown): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const roles = Object.values(ProjectRole) as string[];
  if (typeof rules !== 'object' || rules === null) return [{ field: 'rules', message: 'Give rules for every phase' }];
  for (const phase of ROUND_PHASES) {
    const phaseRules = (rules as Record<string, unknown>)[phase] as Record<string, unknown> | undefined;
    if (!phaseRules) {
      problems.push({ field: `rules.${phase}`, message: 'Missing' });
      continue;
    }
    for (const action of ROUND_ACTIONS) {
      const list = phaseRules[action];
      if (!Array.isArray(list) || list.some((r) => !roles.includes(r as string))) problems.push({ field: `rules.${phase}.${action}`, message: 'A list of roles' });
    }
    if (typeof phaseRules['talliesVisible'] !== 'boolean') problems.push({ field: `rules.${phase}.talliesVisible`, message: 'true or false' });
  }
  return problems;
}
