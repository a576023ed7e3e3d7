import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { Actor, checkPageSize, CursorPart, decodeCursor, DomainError, encodeCursor, Page, PageArgs } from '@quire/core';
import { AuditService } from '@quire/domain/audit';
import { applyCandidateFields, candidateFields, candidateProblems, CandidateFields, CandidateInput } from './candidate-input';
import { Candidate, CandidateStatus, Gender, GovernmentLayer } from './entities';
import { CandidateStatusListener } from './hooks';
import { findSimilarCandidates } from './names/similar-candidates';
import { nameKeys } from './names/dutch-names';
import { Participation, userIdOf } from './participation';

export type CandidateSort = 'MOST_ENDORSED' | 'MOST_RECENT' | 'RANDOM' | 'NAME';

export interface CandidateFilter {
  roundId?: string | null;
  periodFrom?: number | null;
  periodTo?: number | null;
  governmentLayer?: GovernmentLayer | null;
  gender?: Gender | null;
  status?: CandidateStatus | null;
  text?: string | null;
}

export interface CandidateListItem {
  candidate: Candidate;
  endorsementCount: number;
  nominationCount: number;
  /** Resume the list just after this item. */
  cursor: string[];
}

export interface SimilarCandidate {
  candidate: Candidate;
  score: number;
}

/** Candidate status moves editors make: shortlisting, and the final selection (later, by voting). */
const STATUS_MOVES: Record<CandidateStatus, CandidateStatus[]> = {
  NOMINATED: ['SHORTLISTED'],
  SHORTLISTED: ['NOMINATED', 'SELECTED', 'NOT_SELECTED'],
  SELECTED: ['SHORTLISTED'],
  NOT_SELECTED: ['SHORTLISTED'],
};

@Injectable()
export class CandidatesService {
  private readonly statusListeners: CandidateStatusListener[] = [];

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly participation: Participation,
    private readonly audit: AuditService,
  ) {}

  /** Makes a candidate inside the caller's transaction (a nomination or an import). */
  async create(tx: EntityManager, actor: Actor, projectId: string, fields: CandidateFields): Promise<Candidate> {
    const keys = nameKeys(fields.name, fields.nameVariants);
    const candidate = tx.create(Candidate, { ...fields, projectId, status: 'NOMINATED', mergedIntoId: null, createdById: userIdOf(actor), ...keys });
    const saved = await tx.save(candidate);
    await this.audit.record(tx, actor, { projectId, action: 'candidate.created', entityType: 'candidate', entityId: saved.id, data: { name: saved.name } });
    return saved;
  }

  /** Editors correct what the network wrote about a person. */
  async update(actor: Actor, candidateId: string, input: CandidateInput): Promise<Candidate> {
    return this.dataSource.transaction(async (tx) => {
      const candidate = await this.locked(tx, candidateId);
      await this.participation.requireModerator(tx, actor, candidate.projectId);
      const fields = candidateFields(input);
      const problems = candidateProblems(fields);
      if (problems.length) throw DomainError.badInput(problems);
      applyCandidateFields(candidate, fields);
      Object.assign(candidate, nameKeys(fields.name, fields.nameVariants));
      const saved = await tx.save(candidate);
      await this.audit.record(tx, actor, { projectId: candidate.projectId, action: 'candidate.updated', entityType: 'candidate', entityId: candidate.id });
      return saved;
    });
  }

  /** Another context acts on every status change made by hand, inside its transaction (see CandidateStatusListener). */
  onStatusChange(listener: CandidateStatusListener): void {
    this.statusListeners.push(listener);
  }

  async setStatus(actor: Actor, candidateId: string, status: CandidateStatus): Promise<Candidate> {
    return this.dataSource.transaction(async (tx) => {
      const candidate = await this.locked(tx, candidateId);
      await this.participation.requireModerator(tx, actor, candidate.projectId);
      if (!STATUS_MOVES[candidate.status].includes(status)) throw DomainError.invalidTransition('candidate', candidate.status, `become ${status}`);
      const from = candidate.status;
      candidate.status = status;
      const saved = await tx.save(candidate);
      await this.audit.record(tx, actor, { projectId: candidate.projectId, action: 'candidate.status_changed', entityType: 'candidate', entityId: candidate.id, data: { from, to: status } });
      for (const listener of this.statusListeners) await listener(tx, actor, saved, from);
      return saved;
    });
  }

  /** A candidate the actor may see; a merged one answers with the candidate it was merged into. */
  async get(actor: Actor, candidateId: string): Promise<Candidate> {
    let candidate = await this.dataSource.getRepository(Candidate).findOne({ where: { id: candidateId } });
    if (!candidate) throw DomainError.notFound('Candidate', candidateId);
    await this.participation.requireReader(this.dataSource.manager, actor, candidate.projectId).catch(() => {
      throw DomainError.notFound('Candidate', candidateId);
    });
    for (let hops = 0; candidate.mergedIntoId && hops < 20; hops++) {
      candidate = await this.dataSource.getRepository(Candidate).findOneOrFail({ where: { id: candidate.mergedIntoId } });
    }
    return candidate;
  }

  /**
   * Candidates as stored, without following merges, for records whose access the caller has
   * checked already (a merge names its duplicate by the name it had; a report names its candidate).
   */
  async byIdsUnchecked(ids: readonly string[]): Promise<(Candidate | Error)[]> {
    const rows = await this.dataSource.getRepository(Candidate).findBy({ id: In([...ids]) });
    const byId = new Map(rows.map((c) => [c.id, c]));
    return ids.map((id) => byId.get(id) ?? DomainError.notFound('Candidate', id));
  }

  async similar(actor: Actor, projectId: string, query: { name: string; birthYear?: number | null; deathYear?: number | null }, limit = 8): Promise<SimilarCandidate[]> {
    await this.participation.requireReader(this.dataSource.manager, actor, projectId);
    if (query.name.trim().length < 2 || query.name.length > 200) return [];
    const ranked = await findSimilarCandidates(this.dataSource.manager, projectId, query, limit);
    if (!ranked.length) return [];
    const rows = await this.dataSource.getRepository(Candidate).findBy({ id: In(ranked.map((r) => r.id)) });
    const byId = new Map(rows.map((c) => [c.id, c]));
    return ranked.flatMap((r) => {
      const candidate = byId.get(r.id);
      return candidate ? [{ candidate, score: r.score }] : [];
    });
  }

  async list(actor: Actor, projectId: string, filter: CandidateFilter, sort: CandidateSort, page: PageArgs): Promise<Page<CandidateListItem>> {
    const roles = await this.participation.requireReader(this.dataSource.manager, actor, projectId);
    const first = checkPageSize(page.first);
    const visible = this.participation.isModerator(roles) ? ['SUBMITTED', 'PUBLISHED', 'HIDDEN'] : ['PUBLISHED'];
    const params: unknown[] = [projectId, visible, actor.kind === 'user' ? actor.userId : 'anonymous'];
    const where: string[] = ['c.project_id = $1', 'c.merged_into_id IS NULL'];
    const nominationScope = ['n.candidate_id = c.id', 'n.status = ANY($2)'];
    const add = (value: unknown): string => `$${params.push(value)}`;
    if (filter.roundId) nominationScope.push(`n.round_id = ${add(filter.roundId)}`);
    where.push(`EXISTS (SELECT 1 FROM nominations n WHERE ${nominationScope.join(' AND ')})`);
    if (filter.governmentLayer) where.push(`c.government_layer = ${add(filter.governmentLayer)}`);
    if (filter.gender) where.push(`c.gender = ${add(filter.gender)}`);
    if (filter.status) where.push(`c.status = ${add(filter.status)}`);
    if (filter.periodFrom != null) where.push(`COALESCE(c.period_end, c.period_start, c.death_year) >= ${add(filter.periodFrom)}`);
    if (filter.periodTo != null) where.push(`COALESCE(c.period_start, c.period_end, c.birth_year) <= ${add(filter.periodTo)}`);
    if (filter.text?.trim()) {
      const text = add(`%${filter.text.trim().toLowerCase().replace(/[\\%_]/g, (m) => `\\${m}`)}%`);
      where.push(`unaccent(lower(c.name || ' ' || array_to_string(c.name_variants, ' ') || ' ' || c.organisation)) LIKE unaccent(${text})`);
    }
    const order = ORDERS[sort];
    const base = `
      SELECT c.id, c.created_at, lower(c.name) AS name_key,
        -- Milliseconds, the precision a cursor (a JavaScript date) carries.
        date_trunc('milliseconds', c.created_at) AS created_ms,
        (SELECT count(*)::int FROM endorsements e WHERE e.candidate_id = c.id) AS endorsement_count,
        (SELECT count(*)::int FROM nominations n WHERE n.candidate_id = c.id AND n.status = 'PUBLISHED') AS nomination_count,
        md5(c.id::text || $3) AS shuffle
      FROM candidates c WHERE ${where.join(' AND ')}`;
    const [{ n: totalCount }] = await this.dataSource.query(`SELECT count(*)::int AS n FROM (${base}) counted`, params);
    let after = '';
    if (page.after) {
      const [key, id] = decodeCursor(page.after, [order.shape, 'uuid']);
      after = `WHERE ${order.after(add(key), add(id))}`;
    }
    const rows: { id: string; endorsement_count: number; nomination_count: number; sort_key: string | number | Date }[] = await this.dataSource.query(
      `SELECT id, endorsement_count, nomination_count, ${order.key} AS sort_key FROM (${base}) listed ${after} ORDER BY ${order.by} LIMIT ${add(first + 1)}`,
      params,
    );
    const candidates = await this.dataSource.getRepository(Candidate).findBy({ id: In(rows.map((r) => r.id)) });
    const byId = new Map(candidates.map((c) => [c.id, c]));
    const items = rows.slice(0, first).map((r) => ({
      candidate: byId.get(r.id) as Candidate,
      endorsementCount: r.endorsement_count,
      nominationCount: r.nomination_count,
      cursor: [r.sort_key instanceof Date ? r.sort_key.toISOString() : String(r.sort_key), r.id],
    }));
    const last = items[items.length - 1];
    return { items, totalCount, hasNextPage: rows.length > first, endCursor: last ? encodeCursor(last.cursor) : null };
  }

  async locked(tx: EntityManager, candidateId: string): Promise<Candidate> {
    const candidate = await tx.findOne(Candidate, { where: { id: candidateId }, lock: { mode: 'pessimistic_write' } });
    if (!candidate) throw DomainError.notFound('Candidate', candidateId);
    return candidate;
  }
}

/** Keyset orders: `key` is the value the cursor carries, `after` the condition to resume after it. */
const ORDERS: Record<CandidateSort, { key: string; shape: CursorPart; by: string; after: (key: string, id: string) => string }> = {
  MOST_ENDORSED: { key: 'endorsement_count', shape: 'integer', by: 'endorsement_count DESC, id', after: (k, id) => `(endorsement_count < ${k}::int OR (endorsement_count = ${k}::int AND id > ${id}::uuid))` },
  MOST_RECENT: { key: 'created_ms', shape: 'timestamp', by: 'created_ms DESC, id DESC', after: (k, id) => `(created_ms, id) < (${k}::timestamptz, ${id}::uuid)` },
  NAME: { key: 'name_key', shape: 'text', by: 'name_key, id', after: (k, id) => `(name_key, id) > (${k}::text, ${id}::uuid)` },
  RANDOM: { key: 'shuffle', shape: 'text', by: 'shuffle, id', after: (k, id) => `(shuffle, id) > (${k}::text, ${id}::uuid)` },
};
