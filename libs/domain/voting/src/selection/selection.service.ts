import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { Actor, DomainError, ErrorCode, FieldProblem } from '@quire/core';
import { AuditService } from '@quire/domain/audit';
import { createPortraitsForSelection, removeUnstartedPortrait } from '@quire/domain/manuscripts';
import { Candidate, CandidateStatus, GENDERS, GOVERNMENT_LAYERS, Participation, Round, userIdOf } from '@quire/domain/nominations';
import { Project } from '@quire/domain/projects';
import { Quota, QUOTA_DIMENSIONS, QuotaDimension, Selection } from '../entities';
import { PoolCandidate, solveSelection } from './solver';

export interface QuotaInput {
  dimension: QuotaDimension;
  value?: string | null;
  from?: number | null;
  to?: number | null;
  min?: number | null;
  max?: number | null;
  label?: string | null;
}

export interface SelectionInput {
  /** How many to select; the project's number of portraits when left out. */
  size?: number | null;
  quotas?: QuotaInput[] | null;
  pinned?: string[] | null;
  excluded?: string[] | null;
  /** The seed of the tie-break draw; a new random one when left out. */
  seed?: string | null;
}

/** The book's places for one round's selection. */
export interface SelectionPlaces {
  /** The book's number of portraits (N). */
  portraits: number;
  /** Candidates the confirmed selections of the project's other rounds took. */
  selectedElsewhere: string[];
  /** Whether this round's selection is confirmed. */
  confirmedHere: boolean;
  /** Places no confirmed selection has filled yet. */
  left: number;
}

export const MAX_QUOTAS = 50;
export const MAX_SELECTION_SIZE = 5000;

/**
 * The final selection of N from a closed round: editors ask the balance assistant for proposals
 * (quotas, pins, exclusions; each run kept, so they can compare and rerun), and confirm one. The
 * confirmed one decides the candidates (SELECTED or NOT_SELECTED) and makes their portraits.
 */
@Injectable()
export class SelectionService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly participation: Participation,
    private readonly audit: AuditService,
  ) {}

  async propose(actor: Actor, roundId: string, input: SelectionInput): Promise<Selection> {
    const em = this.dataSource.manager;
    const round = await this.closedRound(em, actor, roundId);
    const places = await this.places(em, round);
    if (places.confirmedHere) throw new DomainError(ErrorCode.CONFLICT, "This round's selection is confirmed already", { action: 'select' });
    if (places.left === 0) throw noPlacesLeft(places);
    const pool = await this.pool(em, round.id);
    const problem = {
      pool, size: input.size ?? places.left, quotas: quotasOf(input.quotas ?? []),
      pinned: [...new Set(input.pinned ?? [])], excluded: [...new Set(input.excluded ?? [])], seed: input.seed ?? randomBytes(8).toString('hex'),
    };
    const problems = selectionProblems(problem, new Set(pool.map((c) => c.id)), places);
    if (problems.length) throw DomainError.badInput(problems);
    const solution = await solveSelection(problem);
    return this.dataSource.transaction(async (tx) => {
      const selection = await tx.save(tx.create(Selection, {
        projectId: round.projectId, roundId, size: problem.size, seed: problem.seed, quotas: problem.quotas, pinned: problem.pinned, excluded: problem.excluded,
        outcome: solution.outcome, selected: solution.selected, totalVotes: solution.totalVotes, quotaReport: solution.quotas, solveSeconds: solution.seconds,
        status: 'PROPOSED', createdById: userIdOf(actor), confirmedAt: null, confirmedById: null,
      }));
      await this.audit.record(tx, actor, {
        projectId: round.projectId, action: 'selection.proposed', entityType: 'selection', entityId: selection.id,
        data: { roundId, outcome: solution.outcome, totalVotes: solution.totalVotes, size: problem.size },
      });
      return selection;
    });
  }

  /** Makes a proposal the book's list: its candidates SELECTED, the rest of the round NOT_SELECTED, and their portraits. */
  async confirm(actor: Actor, selectionId: string): Promise<Selection> {
    return this.dataSource.transaction(async (tx) => {
      const selection = await tx.findOne(Selection, { where: { id: selectionId }, lock: { mode: 'pessimistic_write' } });
      if (!selection) throw DomainError.notFound('Selection', selectionId);
      // Outsiders are told it does not exist; participants that are not editors, that they may not.
      await this.participation.requireReader(tx, actor, selection.projectId).catch(() => {
        throw DomainError.notFound('Selection', selectionId);
      });
      await this.participation.requireModerator(tx, actor, selection.projectId);
      if (selection.status !== 'PROPOSED') throw DomainError.invalidTransition('selection', selection.status, 'be confirmed');
      if (selection.outcome !== 'OPTIMAL') throw DomainError.invalidTransition('selection', selection.outcome, 'be confirmed');
      // One confirmation at a time per project: the places left are counted and filled together.
      await tx.query(`SELECT id FROM projects WHERE id = $1 FOR NO KEY UPDATE`, [selection.projectId]);
      const places = await this.places(tx, { id: selection.roundId, projectId: selection.projectId });
      if (places.confirmedHere) throw new DomainError(ErrorCode.CONFLICT, "This round's selection is confirmed already", { action: 'confirm' });
      if (places.left === 0) throw noPlacesLeft(places);
      if (selection.selected.length > places.left) {
        throw new DomainError(
          ErrorCode.CONFLICT,
          `This proposal selects ${selection.selected.length} candidates, but only ${places.left} of the book's ${places.portraits} places are left; ask the assistant again`,
          { portraits: places.portraits, left: places.left },
        );
      }
      const poolIds = (await this.pool(tx, selection.roundId)).map((c) => c.id);
      const inPool = new Set(poolIds);
      if (!selection.selected.every((id) => inPool.has(id))) {
        throw new DomainError(ErrorCode.CONFLICT, 'Candidates of this proposal were merged or selected in another round since; ask the assistant again');
      }
      const chosen = new Set(selection.selected);
      const notSelected = poolIds.filter((id) => !chosen.has(id));
      // The selection transition of candidates: the chosen become SELECTED, the others NOT_SELECTED.
      await tx.query(`UPDATE candidates SET status = 'SELECTED', updated_at = now() WHERE id = ANY($1::uuid[])`, [selection.selected]);
      await tx.query(`UPDATE candidates SET status = 'NOT_SELECTED', updated_at = now() WHERE id = ANY($1::uuid[])`, [notSelected]);
      const portraits = await createPortraitsForSelection(tx, selection.projectId, selection.selected);
      selection.status = 'CONFIRMED';
      selection.confirmedAt = new Date();
      selection.confirmedById = userIdOf(actor);
      const saved = await tx.save(selection);
      await this.audit.record(tx, actor, {
        projectId: selection.projectId, action: 'selection.confirmed', entityType: 'selection', entityId: selection.id,
        data: { roundId: selection.roundId, selected: selection.selected.length, notSelected: notSelected.length, portraits: portraits.length },
      });
      return saved;
    });
  }

  /**
   * CandidateStatusListener: a candidate an editor selects by hand gets its portrait, as a confirmed
   * selection's do; taken back to the shortlist, it loses the portrait if nobody started on it.
   */
  async onCandidateStatusChanged(tx: EntityManager, actor: Actor, candidate: Candidate, from: CandidateStatus): Promise<void> {
    const record = (action: string, portraitId: string) =>
      this.audit.record(tx, actor, { projectId: candidate.projectId, action, entityType: 'portrait', entityId: portraitId, data: { candidateId: candidate.id } });
    if (candidate.status === 'SELECTED') {
      for (const portraitId of await createPortraitsForSelection(tx, candidate.projectId, [candidate.id])) await record('portrait.created', portraitId);
    } else if (from === 'SELECTED') {
      const removed = await removeUnstartedPortrait(tx, candidate.id);
      if (removed) await record('portrait.removed', removed);
    }
  }

  async list(actor: Actor, roundId: string): Promise<Selection[]> {
    const round = await this.roundFor(this.dataSource.manager, actor, roundId);
    return this.dataSource.getRepository(Selection).find({ where: { roundId: round.id }, order: { createdAt: 'DESC' }, take: 100 });
  }

  async get(actor: Actor, selectionId: string): Promise<Selection> {
    const selection = await this.dataSource.getRepository(Selection).findOne({ where: { id: selectionId } });
    if (!selection) throw DomainError.notFound('Selection', selectionId);
    await this.participation.requireReader(this.dataSource.manager, actor, selection.projectId).catch(() => {
      throw DomainError.notFound('Selection', selectionId);
    });
    return selection;
  }

  /**
   * The book's places for a round's selection: N, the candidates the confirmed selections of the
   * project's other rounds took (not offered again), and how many places are left.
   */
  async placesFor(actor: Actor, roundId: string): Promise<SelectionPlaces> {
    const em = this.dataSource.manager;
    return this.places(em, await this.roundFor(em, actor, roundId));
  }

  private async places(em: EntityManager, round: Pick<Round, 'id' | 'projectId'>): Promise<SelectionPlaces> {
    const project = await em.findOneOrFail(Project, { where: { id: round.projectId } });
    const confirmed = await em.find(Selection, { where: { projectId: round.projectId, status: 'CONFIRMED' }, select: { roundId: true, selected: true } });
    const elsewhere = [...new Set(confirmed.filter((s) => s.roundId !== round.id).flatMap((s) => s.selected))];
    const here = confirmed.find((s) => s.roundId === round.id)?.selected.length ?? 0;
    return {
      portraits: project.targetPortraitCount, selectedElsewhere: elsewhere, confirmedHere: here > 0,
      left: Math.max(0, project.targetPortraitCount - elsewhere.length - here),
    };
  }

  /**
   * The candidates of a closed round's results (not merged away since), with their votes; without
   * those that other rounds' confirmed selections took (as of `asOf`: the pool a proposal made then saw).
   */
  async pool(em: EntityManager, roundId: string, asOf: Date | null = null): Promise<PoolCandidate[]> {
    return em.query(
      `SELECT c.id, e.votes, c.gender, c.government_layer AS "governmentLayer", c.region, c.period_start AS "periodStart", c.period_end AS "periodEnd",
              c.birth_year AS "birthYear", c.death_year AS "deathYear"
         FROM round_result_entries e JOIN candidates c ON c.id = e.candidate_id
        WHERE e.round_id = $1 AND c.merged_into_id IS NULL
          AND NOT EXISTS (SELECT 1 FROM selections s
                           WHERE s.project_id = c.project_id AND s.status = 'CONFIRMED' AND s.round_id <> $1 AND c.id = ANY (s.selected)
                             AND ($2::timestamptz IS NULL OR s.confirmed_at <= $2))
        ORDER BY e.rank, c.id`,
      [roundId, asOf],
    );
  }

  /** Any participant may read the proposals (the work is done in the open). */
  private async roundFor(em: EntityManager, actor: Actor, roundId: string): Promise<Round> {
    const round = await em.findOne(Round, { where: { id: roundId } });
    if (!round) throw DomainError.notFound('Round', roundId);
    await this.participation.requireReader(em, actor, round.projectId).catch(() => {
      throw DomainError.notFound('Round', roundId);
    });
    return round;
  }

  private async closedRound(em: EntityManager, actor: Actor, roundId: string): Promise<Round> {
    const round = await this.roundFor(em, actor, roundId);
    await this.participation.requireModerator(em, actor, round.projectId);
    if (round.phase !== 'CLOSED') {
      throw new DomainError(ErrorCode.NOT_ALLOWED_IN_PHASE, 'The selection is made from the final results: close the round first', { phase: round.phase, action: 'select' });
    }
    return round;
  }
}

function quotasOf(inputs: QuotaInput[]): Quota[] {
  return inputs.map((q) => {
    const period = q.dimension === 'PERIOD';
    const value = period ? null : (q.value ?? '').trim();
    const from = period ? (q.from ?? null) : null;
    const to = period ? (q.to ?? null) : null;
    const label = q.label?.trim() || (period ? `${q.dimension} ${from}-${to}` : `${q.dimension} ${value}`);
    return { label, dimension: q.dimension, value, from, to, min: q.min ?? 0, max: q.max ?? null };
  });
}

function noPlacesLeft(places: SelectionPlaces): DomainError {
  return new DomainError(ErrorCode.CONFLICT, `All ${places.portraits} places of the book are taken by the selections of other rounds`, { portraits: places.portraits, left: 0 });
}

function selectionProblems(
  p: { size: number; quotas: Quota[]; pinned: string[]; excluded: string[]; seed: string }, pool: Set<string>, places: SelectionPlaces,
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const wholeNumber = (n: unknown, min: number, max: number): boolean => Number.isInteger(n) && (n as number) >= min && (n as number) <= max;
  if (!wholeNumber(p.size, 1, MAX_SELECTION_SIZE)) problems.push({ field: 'size', message: `A whole number from 1 to ${MAX_SELECTION_SIZE}` });
  else if (p.size > places.left) problems.push({ field: 'size', message: `At most ${places.left}: the places of the book's ${places.portraits} that are left` });
  if (p.quotas.length > MAX_QUOTAS) problems.push({ field: 'quotas', message: `At most ${MAX_QUOTAS} quotas` });
  p.quotas.forEach((q, i) => {
    const field = `quotas.${i}`;
    if (!QUOTA_DIMENSIONS.includes(q.dimension)) problems.push({ field: `${field}.dimension`, message: `One of ${QUOTA_DIMENSIONS.join(', ')}` });
    if (q.dimension === 'PERIOD') {
      if (!wholeNumber(q.from, 1000, 2100) || !wholeNumber(q.to, 1000, 2100) || (q.from as number) > (q.to as number)) {
        problems.push({ field: `${field}.from`, message: 'A period needs years from and to (1000-2100), from not after to' });
      }
    } else if (q.dimension === 'GENDER' && !GENDERS.includes(q.value as never)) {
      problems.push({ field: `${field}.value`, message: `One of ${GENDERS.join(', ')}` });
    } else if (q.dimension === 'GOVERNMENT_LAYER' && !GOVERNMENT_LAYERS.includes(q.value as never)) {
      problems.push({ field: `${field}.value`, message: `One of ${GOVERNMENT_LAYERS.join(', ')}` });
    } else if (q.dimension === 'REGION' && (!q.value || q.value.length > 100)) {
      problems.push({ field: `${field}.value`, message: 'Name the region (at most 100 characters)' });
    }
    if (!wholeNumber(q.min, 0, MAX_SELECTION_SIZE)) problems.push({ field: `${field}.min`, message: `A whole number from 0 to ${MAX_SELECTION_SIZE}` });
    if (q.max !== null && (!wholeNumber(q.max, 0, MAX_SELECTION_SIZE) || q.max < q.min)) problems.push({ field: `${field}.max`, message: 'A whole number, at least the minimum' });
    if (q.label.length > 200) problems.push({ field: `${field}.label`, message: 'At most 200 characters' });
  });
  const excluded = new Set(p.excluded);
  for (const [field, ids] of [['pinned', p.pinned], ['excluded', p.excluded]] as const) {
    if (ids.length > MAX_SELECTION_SIZE) problems.push({ field, message: `At most ${MAX_SELECTION_SIZE}` });
    const unknown = ids.filter((id) => !pool.has(id));
    const elsewhere = unknown.filter((id) => places.selectedElsewhere.includes(id));
    if (elsewhere.length) problems.push({ field, message: `Selected in another round already: ${elsewhere.slice(0, 5).join(', ')}` });
    else if (unknown.length) problems.push({ field, message: `Not candidates of this round's results: ${unknown.slice(0, 5).join(', ')}` });
  }
  if (p.pinned.some((id) => excluded.has(id))) problems.push({ field: 'pinned', message: 'A candidate cannot be pinned and excluded at once' });
  if (p.pinned.length > p.size) problems.push({ field: 'pinned', message: `At most ${p.size} pinned candidates (the size of the selection)` });
  if (!p.seed.trim() || p.seed.length > 200) problems.push({ field: 'seed', message: 'A seed of 1-200 characters' });
  return problems;
}
