import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { Actor, DomainError, ErrorCode, FieldProblem, Page, PageArgs } from '@quire/core';
import { newestFirstPage } from '@quire/db';
import { AuditService } from '@quire/domain/audit';
import { candidateFields, candidateProblems, CandidateInput } from './candidate-input';
import { CandidatesService } from './candidates.service';
import { Candidate, Nomination, NominationSource, NominationStatus, Round, SOURCE_KINDS, SourceKind } from './entities';
import { Participation, userIdOf } from './participation';
import { RoundsService } from './rounds.service';

export interface SourceInput {
  kind: SourceKind;
  reference: string;
  url?: string | null;
}

export interface NominateInput {
  /** Nominate a person already known; or describe a new one in `candidate`. */
  candidateId?: string | null;
  candidate?: CandidateInput | null;
  motivation: string;
  sources: SourceInput[];
}

export const MAX_SOURCES = 10;

/** Statuses in which a nomination still counts toward a member's limit and can be acted on. */
const LIVE: NominationStatus[] = ['SUBMITTED', 'PUBLISHED', 'HIDDEN'];

@Injectable()
export class NominationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly rounds: RoundsService,
    private readonly candidates: CandidatesService,
    private readonly participation: Participation,
    private readonly audit: AuditService,
  ) {}

  /** A member's case for a candidate in a round: motivation and sources. */
  async nominate(actor: Actor, roundId: string, input: NominateInput): Promise<Nomination> {
    return this.dataSource.transaction(async (tx) => {
      const round = await tx.findOne(Round, { where: { id: roundId }, lock: { mode: 'pessimistic_read' } });
      if (!round) throw DomainError.notFound('Round', roundId);
      await this.rounds.requireAction(tx, actor, round, 'nominate');
      return this.record(tx, actor, round, userIdOf(actor), input, true);
    });
  }

  /**
   * Writes a nomination in the caller's transaction after checking its input. `enforceLimit`
   * is off for an editor's import, which brings in what the network gathered elsewhere.
   */
  async record(tx: EntityManager, actor: Actor, round: Round, nominatorId: string, input: NominateInput, enforceLimit: boolean): Promise<Nomination> {
    const problems = nominationProblems(round, input);
    const newCandidate = input.candidateId ? null : input.candidate ? candidateFields(input.candidate) : null;
    if (!input.candidateId && !newCandidate) problems.push({ field: 'candidate', message: 'Name an existing candidate or describe a new one' });
    if (newCandidate) problems.push(...candidateProblems(newCandidate));
    if (problems.length) throw DomainError.badInput(problems);
    // One member's nominations in one round are counted under a lock, so parallel requests cannot pass the limit.
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`nominate:${round.id}:${nominatorId}`]);
    const used = await tx.count(Nomination, { where: { roundId: round.id, nominatorId, status: In(LIVE) } });
    if (enforceLimit && used >= round.maxNominationsPerMember) {
      throw new DomainError(ErrorCode.LIMIT_EXCEEDED, `You can make at most ${round.maxNominationsPerMember} nominations in this round`, { limit: round.maxNominationsPerMember });
    }
    let candidate: Candidate;
    if (input.candidateId) {
      candidate = await this.liveCandidate(tx, round.projectId, input.candidateId);
      if (await tx.exists(Nomination, { where: { roundId: round.id, candidateId: candidate.id, nominatorId, status: In(LIVE) } })) {
        throw new DomainError(ErrorCode.CONFLICT, 'You nominated this person in this round already; add to your nomination or endorse it');
      }
    } else {
      candidate = await this.candidates.create(tx, actor, round.projectId, newCandidate as NonNullable<typeof newCandidate>);
    }
    const nomination = await tx.save(
      tx.create(Nomination, {
        projectId: round.projectId, roundId: round.id, candidateId: candidate.id, nominatorId, motivation: input.motivation.trim(),
        status: round.premoderation ? 'SUBMITTED' : 'PUBLISHED', hiddenReason: null, movedFromCandidateId: null, mergedIntoNominationId: null,
      }),
    );
    await tx.save(input.sources.map((s, position) => tx.create(NominationSource, { nominationId: nomination.id, kind: s.kind, reference: s.reference.trim(), url: s.url?.trim() || null, position })));
    await this.audit.record(tx, actor, { projectId: round.projectId, action: 'nomination.submitted', entityType: 'nomination', entityId: nomination.id, data: { candidateId: candidate.id, roundId: round.id, status: nomination.status, nominatorId } });
    return nomination;
  }

  /** The nominator takes a nomination back while the round is open. */
  async withdraw(actor: Actor, nominationId: string): Promise<Nomination> {
    return this.dataSource.transaction(async (tx) => {
      const nomination = await this.locked(tx, nominationId);
      await this.participation.requireReader(tx, actor, nomination.projectId);
      if (nomination.nominatorId !== userIdOf(actor)) throw DomainError.forbidden('Only the nominator can withdraw a nomination');
      const round = await tx.findOneOrFail(Round, { where: { id: nomination.roundId } });
      if (round.phase === 'CLOSED') throw DomainError.invalidTransition('round', round.phase, 'take withdrawals');
      return this.move(tx, actor, nomination, ['SUBMITTED', 'PUBLISHED'], 'WITHDRAWN', 'nomination.withdrawn');
    });
  }

  /** A moderator publishes a nomination held for pre-moderation. */
  async publish(actor: Actor, nominationId: string): Promise<Nomination> {
    return this.dataSource.transaction(async (tx) => {
      const nomination = await this.locked(tx, nominationId);
      await this.participation.requireModerator(tx, actor, nomination.projectId);
      return this.move(tx, actor, nomination, ['SUBMITTED'], 'PUBLISHED', 'nomination.published');
    });
  }

  /** A nomination status change with its guard and audit line; used by moderation too. */
  async move(tx: EntityManager, actor: Actor, nomination: Nomination, from: NominationStatus[], to: NominationStatus, action: string, reason?: string): Promise<Nomination> {
    if (!from.includes(nomination.status)) throw DomainError.invalidTransition('nomination', nomination.status, `become ${to}`);
    const previous = nomination.status;
    nomination.status = to;
    nomination.hiddenReason = to === 'HIDDEN' ? (reason ?? null) : null;
    const saved = await tx.save(nomination);
    await this.audit.record(tx, actor, { projectId: nomination.projectId, action, entityType: 'nomination', entityId: nomination.id, data: { from: previous, to, ...(reason ? { reason } : {}) } });
    return saved;
  }

  async get(actor: Actor, nominationId: string): Promise<Nomination> {
    const nomination = await this.dataSource.getRepository(Nomination).findOne({ where: { id: nominationId } });
    if (!nomination) throw DomainError.notFound('Nomination', nominationId);
    const roles = await this.participation.requireReader(this.dataSource.manager, actor, nomination.projectId).catch(() => {
      throw DomainError.notFound('Nomination', nominationId);
    });
    if (!this.visibleTo(nomination, actor, this.participation.isModerator(roles))) throw DomainError.notFound('Nomination', nominationId);
    return nomination;
  }

  /** The nominations of a candidate the actor may see: published ones, their own, and all for moderators. */
  async forCandidate(actor: Actor, candidateId: string): Promise<Nomination[]> {
    const candidate = await this.candidates.get(actor, candidateId);
    const roles = await this.participation.requireReader(this.dataSource.manager, actor, candidate.projectId);
    const all = await this.dataSource.getRepository(Nomination).find({ where: { candidateId: candidate.id }, order: { createdAt: 'ASC' } });
    return all.filter((n) => this.visibleTo(n, actor, this.participation.isModerator(roles)));
  }

  async forRound(actor: Actor, roundId: string, status: NominationStatus | null, page: PageArgs): Promise<Page<Nomination>> {
    const round = await this.rounds.get(actor, roundId);
    const roles = await this.participation.requireReader(this.dataSource.manager, actor, round.projectId);
    const qb = this.dataSource.getRepository(Nomination).createQueryBuilder('n').where('n.round_id = :roundId', { roundId });
    if (!this.participation.isModerator(roles)) {
      qb.andWhere(`(n.status = 'PUBLISHED' OR n.nominator_id = :me)`, { me: actor.kind === 'user' ? actor.userId : null });
    }
    if (status) qb.andWhere('n.status = :status', { status });
    return newestFirstPage(qb, 'n', page);
  }

  async sourcesOf(nominationIds: readonly string[]): Promise<NominationSource[][]> {
    const sources = await this.dataSource.getRepository(NominationSource).find({ where: { nominationId: In([...nominationIds]) }, order: { position: 'ASC' } });
    return nominationIds.map((id) => sources.filter((s) => s.nominationId === id));
  }

  /** A candidate of the project that has not been merged away (following the redirect if it has). */
  async liveCandidate(tx: EntityManager, projectId: string, candidateId: string): Promise<Candidate> {
    let candidate = await tx.findOne(Candidate, { where: { id: candidateId, projectId } });
    if (!candidate) throw DomainError.notFound('Candidate', candidateId);
    while (candidate.mergedIntoId) candidate = await tx.findOneOrFail(Candidate, { where: { id: candidate.mergedIntoId } });
    return candidate;
  }

  async locked(tx: EntityManager, nominationId: string): Promise<Nomination> {
    const nomination = await tx.findOne(Nomination, { where: { id: nominationId }, lock: { mode: 'pessimistic_write' } });
    if (!nomination) throw DomainError.notFound('Nomination', nominationId);
    return nomination;
  }

  private visibleTo(nomination: Nomination, actor: Actor, moderator: boolean): boolean {
    return moderator || nomination.status === 'PUBLISHED' || (actor.kind === 'user' && actor.userId === nomination.nominatorId && nomination.status !== 'MERGED');
  }
}

function nominationProblems(round: Round, input: NominateInput): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const motivation = input.motivation.trim();
  if (motivation.length < round.motivationMinLength || motivation.length > round.motivationMaxLength) {
    problems.push({ field: 'motivation', message: `Write ${round.motivationMinLength} to ${round.motivationMaxLength} characters` });
  }
  if (input.sources.length > MAX_SOURCES) problems.push({ field: 'sources', message: `At most ${MAX_SOURCES} sources` });
  input.sources.forEach((s, i) => problems.push(...sourceProblems(s, `sources.${i}`)));
  return problems;
}

export function sourceProblems(s: SourceInput, field: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!SOURCE_KINDS.includes(s.kind)) problems.push({ field: `${field}.kind`, message: `One of ${SOURCE_KINDS.join(', ')}` });
  if (!s.reference.trim() || s.reference.length > 500) problems.push({ field: `${field}.reference`, message: 'Describe the source in 1-500 characters' });
  const url = s.url?.trim();
  if (s.kind === 'URL' && !url) problems.push({ field: `${field}.url`, message: 'Give the web address' });
  if (url && !isWebAddress(url)) problems.push({ field: `${field}.url`, message: 'An http or https address of at most 2000 characters' });
  return problems;
}

function isWebAddress(value: string): boolean {
  if (value.length > 2000) return false;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
