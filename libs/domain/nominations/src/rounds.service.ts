import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { RedisPubSub } from 'graphql-redis-subscriptions';
import { DataSource, EntityManager, Not } from 'typeorm';
import { Actor, DomainError, ErrorCode, FieldProblem, PUB_SUB, stripUndefined, systemActor } from '@quire/core';
import { QUIRE_CONFIG, QuireConfig } from '@quire/config';
import { AuditService } from '@quire/domain/audit';
import { enqueue, Topics } from '@quire/queue';
import { Round, RoundAction, RoundPhase, RoundRules } from './entities';
import { RoundPhaseListener } from './hooks';
import { Participation } from './participation';
import { checkPhaseAllows, defaultRoundRules, nextPhase, rulesProblems, scheduledAt } from './round-rules';

export interface RoundSettings {
  title: string;
  description: string;
  nominatingOpensAt: Date | null;
  votingOpensAt: Date | null;
  closesAt: Date | null;
  rules: RoundRules;
  premoderation: boolean;
  maxNominationsPerMember: number;
  motivationMinLength: number;
  motivationMaxLength: number;
  votesPerMember: number;
  minVotesPerMember: number;
}

const DEFAULTS: Omit<RoundSettings, 'title' | 'rules'> = {
  description: '',
  nominatingOpensAt: null,
  votingOpensAt: null,
  closesAt: null,
  premoderation: false,
  maxNominationsPerMember: 5,
  motivationMinLength: 50,
  motivationMaxLength: 3000,
  votesPerMember: 10,
  minVotesPerMember: 0,
};

/** What a new round starts with where its editor sets nothing (the web's new-round form shows it). */
export function newRoundSettings(): Omit<RoundSettings, 'title'> {
  return { ...DEFAULTS, rules: defaultRoundRules() };
}

/** Settings that make a ballot: fixed once voting opens, so every member votes under the same rules. */
const BALLOT_SETTINGS = ['votesPerMember', 'minVotesPerMember'] as const;

/** The pub/sub message of the roundChanged subscription: which round changed (each watcher reads it as they may see it). */
export interface RoundChangedMessage {
  roundId: string;
}

@Injectable()
export class RoundsService {
  private readonly logger = new Logger('Rounds');
  private readonly phaseListeners: RoundPhaseListener[] = [];

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly participation: Participation,
    private readonly audit: AuditService,
    @Inject(PUB_SUB) private readonly pubSub: RedisPubSub,
    @Inject(QUIRE_CONFIG) private readonly config: QuireConfig,
  ) {}

  async create(actor: Actor, projectId: string, input: Partial<RoundSettings> & { title: string }): Promise<Round> {
    return this.dataSource.transaction(async (tx) => {
      await this.participation.requireModerator(tx, actor, projectId);
      const settings: RoundSettings = { ...newRoundSettings(), ...stripUndefined(input), title: input.title };
      throwIfProblems(settingsProblems(settings));
      const round = await tx.save(tx.create(Round, { ...settings, projectId, phase: 'DRAFT', phaseChangedAt: new Date(), createdById: actor.kind === 'user' ? actor.userId : null }));
      await this.audit.record(tx, actor, { projectId, action: 'round.created', entityType: 'round', entityId: round.id, data: { title: round.title } });
      await enqueue(tx, 'rounds', 'plan', { roundId: round.id });
      return round;
    });
  }

  async update(actor: Actor, roundId: string, changes: Partial<RoundSettings>): Promise<Round> {
    return this.announcingChange(roundId, async (tx) => {
      const round = await this.locked(tx, roundId);
      await this.participation.requireModerator(tx, actor, round.projectId);
      if (round.phase === 'CLOSED') throw DomainError.invalidTransition('round', round.phase, 'be changed');
      const ballotChanges = BALLOT_SETTINGS.filter((field) => changes[field] !== undefined && changes[field] !== round[field]);
      if (round.phase === 'VOTING' && ballotChanges.length) {
        throw new DomainError(ErrorCode.NOT_ALLOWED_IN_PHASE, 'The vote budget and minimum cannot change while voting is open', {
          phase: round.phase, fields: ballotChanges.map((field) => ({ field, message: 'Fixed while voting is open' })),
        });
      }
      Object.assign(round, stripUndefined(changes));
      throwIfProblems(settingsProblems(round));
      const saved = await tx.save(round);
      await this.audit.record(tx, actor, { projectId: round.projectId, action: 'round.updated', entityType: 'round', entityId: round.id, data: { changed: Object.keys(stripUndefined(changes)) } });
      await enqueue(tx, 'rounds', 'plan', { roundId: round.id });
      return saved;
    });
  }

  /** An editor moves the round one phase forward by hand. */
  async advance(actor: Actor, roundId: string, to: RoundPhase): Promise<Round> {
    return this.announcingChange(roundId, async (tx) => {
      const round = await this.locked(tx, roundId);
      await this.participation.requireModerator(tx, actor, round.projectId);
      return this.transition(tx, actor, round, to, 'manual');
    });
  }

  /**
   * The scheduled transition to `to` planned for `at`. 'stale' when the round has moved on or
   * its schedule changed since the job was planned, so a job delivered twice, late or after a
   * re-plan never moves a round twice; 'early' when the time has not come (the caller retries).
   */
  async advanceOnSchedule(roundId: string, to: RoundPhase, at: Date): Promise<'advanced' | 'stale' | 'early'> {
    const outcome = await this.dataSource.transaction(async (tx) => {
      const round = await tx.findOne(Round, { where: { id: roundId }, lock: { mode: 'pessimistic_write' } });
      if (!round || nextPhase(round.phase) !== to) return 'stale';
      const planned = scheduledAt(round, to);
      if (!planned || planned.getTime() !== at.getTime()) return 'stale';
      if (planned.getTime() > Date.now()) return 'early';
      await this.transition(tx, systemActor('round schedule'), round, to, 'schedule');
      return 'advanced';
    });
    if (outcome === 'advanced') await this.announceChanged(roundId);
    return outcome;
  }

  /** Another context acts on every phase change, inside its transaction (see RoundPhaseListener). */
  onPhaseChange(listener: RoundPhaseListener): void {
    this.phaseListeners.push(listener);
  }

  /**
   * A signal after every committed change of the round's phase or settings, for who may read the
   * round (NOT_FOUND for others); each watcher then reads it as they may see it.
   */
  async changes(actor: Actor, roundId: string): Promise<AsyncIterator<RoundChangedMessage>> {
    await this.get(actor, roundId);
    return this.pubSub.asyncIterator<RoundChangedMessage>(Topics.roundChanged(this.config.redisPrefix, roundId));
  }

  async get(actor: Actor, roundId: string): Promise<Round> {
    const round = await this.dataSource.getRepository(Round).findOne({ where: { id: roundId } });
    if (!round) throw DomainError.notFound('Round', roundId);
    await this.participation.requireReader(this.dataSource.manager, actor, round.projectId).catch(() => {
      throw DomainError.notFound('Round', roundId);
    });
    return round;
  }

  async list(actor: Actor, projectId: string): Promise<Round[]> {
    await this.participation.requireReader(this.dataSource.manager, actor, projectId);
    return this.dataSource.getRepository(Round).find({ where: { projectId }, order: { createdAt: 'DESC' } });
  }

  /** Rounds whose schedule may still move them; the worker re-plans these at start. */
  openRoundIds(): Promise<string[]> {
    return this.dataSource.getRepository(Round).find({ select: { id: true }, where: { phase: Not('CLOSED') } }).then((rows) => rows.map((r) => r.id));
  }

  findUnchecked(roundId: string, em: EntityManager = this.dataSource.manager): Promise<Round | null> {
    return em.findOne(Round, { where: { id: roundId } });
  }

  /** The actor's roles, after checking that the round's phase lets them do `action`. */
  async requireAction(em: EntityManager, actor: Actor, round: Round, action: RoundAction): Promise<void> {
    const roles = await this.participation.activeRoles(em, actor, round.projectId);
    checkPhaseAllows(round, action, roles);
  }

  /** The newest round of the project that allows `action` now, for actions on a candidate. */
  async currentRoundFor(em: EntityManager, candidateId: string): Promise<Round> {
    const rows: { round_id: string }[] = await em.query(
      `SELECT n.round_id FROM nominations n JOIN rounds r ON r.id = n.round_id
        WHERE n.candidate_id = $1 ORDER BY r.created_at DESC LIMIT 1`,
      [candidateId],
    );
    const round = rows[0] && (await em.findOne(Round, { where: { id: rows[0].round_id } }));
    if (!round) throw DomainError.notFound('Round for candidate', candidateId);
    return round;
  }

  private async transition(tx: EntityManager, actor: Actor, round: Round, to: RoundPhase, how: 'manual' | 'schedule'): Promise<Round> {
    if (nextPhase(round.phase) !== to) throw DomainError.invalidTransition('round', round.phase, `move to ${to}`);
    const from = round.phase;
    round.phase = to;
    round.phaseChangedAt = new Date();
    const saved = await tx.save(round);
    await this.audit.record(tx, actor, { projectId: round.projectId, action: 'round.phase_changed', entityType: 'round', entityId: round.id, data: { from, to, how } });
    await enqueue(tx, 'rounds', 'plan', { roundId: round.id });
    for (const listener of this.phaseListeners) await listener(tx, actor, saved, from);
    return saved;
  }

  /** Runs a change of the round in a transaction, and tells its watchers after the commit. */
  private async announcingChange(roundId: string, change: (tx: EntityManager) => Promise<Round>): Promise<Round> {
    const round = await this.dataSource.transaction(change);
    await this.announceChanged(roundId);
    return round;
  }

  /** After commit; a lost signal leaves a watcher's screen as it was until they reload it. */
  private async announceChanged(roundId: string): Promise<void> {
    const message: RoundChangedMessage = { roundId };
    await this.pubSub.publish(Topics.roundChanged(this.config.redisPrefix, roundId), message).catch((error) => this.logger.warn(`Announcing a round change failed: ${error}`));
  }

  private async locked(tx: EntityManager, roundId: string): Promise<Round> {
    const round = await tx.findOne(Round, { where: { id: roundId }, lock: { mode: 'pessimistic_write' } });
    if (!round) throw DomainError.notFound('Round', roundId);
    return round;
  }
}

function settingsProblems(s: RoundSettings): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!s.title.trim() || s.title.length > 200) problems.push({ field: 'title', message: 'Give a title of 1-200 characters' });
  if (s.description.length > 5000) problems.push({ field: 'description', message: 'At most 5000 characters' });
  const times = [['nominatingOpensAt', s.nominatingOpensAt], ['votingOpensAt', s.votingOpensAt], ['closesAt', s.closesAt]] as const;
  const given = times.filter(([, t]) => t);
  for (let i = 1; i < given.length; i++) {
    if ((given[i - 1][1] as Date) >= (given[i][1] as Date)) problems.push({ field: given[i][0], message: `Must come after ${given[i - 1][0]}` });
  }
  const limits: [keyof RoundSettings, number, number][] = [
    ['maxNominationsPerMember', 1, 1000], ['motivationMinLength', 0, 10000], ['motivationMaxLength', 1, 20000], ['votesPerMember', 1, 1000], ['minVotesPerMember', 0, 1000],
  ];
  for (const [field, min, max] of limits) {
    const value = s[field] as number;
    if (!Number.isInteger(value) || value < min || value > max) problems.push({ field, message: `A whole number from ${min} to ${max}` });
  }
  if (s.motivationMaxLength < s.motivationMinLength) problems.push({ field: 'motivationMaxLength', message: 'At least the minimum length' });
  if (s.minVotesPerMember > s.votesPerMember) problems.push({ field: 'minVotesPerMember', message: 'At most the votes per member' });
  return [...problems, ...rulesProblems(s.rules)];
}

function throwIfProblems(problems: FieldProblem[]): void {
  if (problems.length) throw DomainError.badInput(problems);
}
