import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { DataSource, In } from 'typeorm';
import { Actor, DomainError, FieldProblem } from '@quire/core';
import { AuditService } from '@quire/domain/audit';
import { candidateFields, candidateProblems, CandidateInput } from './candidate-input';
import { Candidate, Gender, GovernmentLayer, Nomination, NominationSource, Round } from './entities';
import { NominateInput, NominationsService, SourceInput, sourceProblems } from './nominations.service';
import { Participation, userIdOf } from './participation';

export const IMPORT_MAX_BYTES = 2_000_000;
export const IMPORT_MAX_ROWS = 5000;

export const IMPORT_COLUMNS = [
  'name', 'motivation', 'birth_year', 'death_year', 'name_variants', 'offices', 'organisation', 'government_layer',
  'period_start', 'period_end', 'gender', 'region', 'wikidata_id', 'bio', 'sources', 'nominator_email',
] as const;

export interface ImportResult {
  imported: number;
  candidatesCreated: number;
}

export type ExportFormat = 'CSV' | 'JSON';

/**
 * Bringing in nominations gathered elsewhere (a spreadsheet from social media) and giving them
 * out as open data. An import is all or nothing: any bad row refuses the whole file, with every
 * problem reported by row, and nothing written.
 */
@Injectable()
export class TransferService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly nominations: NominationsService,
    private readonly participation: Participation,
    private readonly audit: AuditService,
  ) {}

  async importCsv(actor: Actor, roundId: string, csv: string): Promise<ImportResult> {
    return this.dataSource.transaction(async (tx) => {
      const round = await tx.findOne(Round, { where: { id: roundId }, lock: { mode: 'pessimistic_read' } });
      if (!round) throw DomainError.notFound('Round', roundId);
      await this.participation.requireModerator(tx, actor, round.projectId);
      if (round.phase === 'CLOSED') throw DomainError.invalidTransition('round', round.phase, 'take nominations');
      const rows = parseRows(csv);
      const emails = [...new Set(rows.map((r) => r.nominator_email?.trim().toLowerCase()).filter((e): e is string => !!e))];
      const members: { id: string; email: string }[] = emails.length
        ? await tx.query(`SELECT u.id, lower(u.email) AS email FROM users u JOIN project_memberships m ON m.user_id = u.id WHERE m.project_id = $1 AND lower(u.email) = ANY($2)`, [round.projectId, emails])
        : [];
      const memberByEmail = new Map(members.map((m) => [m.email, m.id]));
      const problems: FieldProblem[] = [];
      const planned = rows.map((row, index) => {
        const line = index + 2; // the header is line 1
        const { input, problems: rowProblems } = toNomination(row, round, memberByEmail);
        problems.push(...rowProblems.map((p) => ({ field: `row ${line}: ${p.field}`, message: p.message })));
        return { input, nominatorId: row.nominator_email?.trim() ? memberByEmail.get(row.nominator_email.trim().toLowerCase()) : userIdOf(actor) };
      });
      if (problems.length) throw DomainError.badInput(problems, `The file has ${problems.length} problem(s); nothing was imported`);
      const before = await tx.count(Candidate, { where: { projectId: round.projectId } });
      for (const { input, nominatorId } of planned) {
        const existing = input.candidate?.wikidataId
          ? await tx.findOne(Candidate, { where: { projectId: round.projectId, wikidataId: input.candidate.wikidataId } })
          : null;
        await this.nominations.record(tx, actor, round, nominatorId as string, existing ? { ...input, candidateId: existing.id, candidate: null } : input, false);
      }
      const candidatesCreated = (await tx.count(Candidate, { where: { projectId: round.projectId } })) - before;
      await this.audit.record(tx, actor, { projectId: round.projectId, action: 'nominations.imported', entityType: 'round', entityId: round.id, data: { rows: planned.length, candidatesCreated } });
      return { imported: planned.length, candidatesCreated };
    });
  }

  /** Published nominations of a round with their candidates, as CSV or JSON (open data: no e-mail addresses). */
  async export(actor: Actor, roundId: string, format: ExportFormat): Promise<string> {
    const round = await this.dataSource.getRepository(Round).findOne({ where: { id: roundId } });
    if (!round) throw DomainError.notFound('Round', roundId);
    await this.participation.requireReader(this.dataSource.manager, actor, round.projectId).catch(() => {
      throw DomainError.notFound('Round', roundId);
    });
    const nominations = await this.dataSource.getRepository(Nomination).find({ where: { roundId, status: 'PUBLISHED' }, order: { createdAt: 'ASC' } });
    const candidates = await this.dataSource.getRepository(Candidate).find({ where: { id: In([...new Set(nominations.map((n) => n.candidateId))]) }, order: { name: 'ASC' } });
    const sources = await this.nominations.sourcesOf(nominations.map((n) => n.id));
    const sourcesOf = new Map(nominations.map((n, i) => [n.id, sources[i]]));
    const endorsements: { candidate_id: string; n: number }[] = await this.dataSource.query(
      `SELECT candidate_id, count(*)::int AS n FROM endorsements WHERE candidate_id = ANY($1) GROUP BY candidate_id`,
      [candidates.map((c) => c.id)],
    );
    const endorsementsOf = new Map(endorsements.map((e) => [e.candidate_id, e.n]));
    const published = candidates.map((c) => ({
      id: c.id, name: c.name, nameVariants: c.nameVariants, birthYear: c.birthYear, deathYear: c.deathYear, offices: c.offices,
      organisation: c.organisation, governmentLayer: c.governmentLayer, periodStart: c.periodStart, periodEnd: c.periodEnd,
      gender: c.gender, region: c.region, wikidataId: c.wikidataId, bio: c.bio, status: c.status, endorsements: endorsementsOf.get(c.id) ?? 0,
      nominations: nominations.filter((n) => n.candidateId === c.id).map((n) => ({
        id: n.id, motivation: n.motivation, nominatedAt: n.createdAt.toISOString(),
        sources: (sourcesOf.get(n.id) ?? []).map((s: NominationSource) => ({ kind: s.kind, reference: s.reference, url: s.url })),
      })),
    }));
    if (format === 'JSON') return JSON.stringify({ round: { id: round.id, title: round.title, phase: round.phase }, candidates: published }, null, 2);
    return stringify(
      published.flatMap((c) => c.nominations.map((n) => ({
        candidate_id: c.id, name: c.name, name_variants: c.nameVariants.join('; '), birth_year: c.birthYear ?? '', death_year: c.deathYear ?? '',
        offices: c.offices.join('; '), organisation: c.organisation, government_layer: c.governmentLayer, period_start: c.periodStart ?? '', period_end: c.periodEnd ?? '',
        gender: c.gender, region: c.region, wikidata_id: c.wikidataId ?? '', status: c.status, endorsements: c.endorsements,
        nomination_id: n.id, motivation: n.motivation, sources: n.sources.map((s) => s.url ?? s.reference).join('; '), nominated_at: n.nominatedAt,
      }))),
      { header: true, columns: ['candidate_id', 'name', 'name_variants', 'birth_year', 'death_year', 'offices', 'organisation', 'government_layer', 'period_start', 'period_end', 'gender', 'region', 'wikidata_id', 'status', 'endorsements', 'nomination_id', 'motivation', 'sources', 'nominated_at'] },
    );
  }
}

type ImportRow = Partial<Record<(typeof IMPORT_COLUMNS)[number], string>>;

function parseRows(csv: string): ImportRow[] {
  if (Buffer.byteLength(csv) > IMPORT_MAX_BYTES) throw DomainError.badInput([{ field: 'csv', message: `At most ${IMPORT_MAX_BYTES / 1_000_000} MB` }]);
  let records: Record<string, string>[];
  try {
    records = parse(csv, { columns: (header: string[]) => header.map((h) => h.trim().toLowerCase().replace(/\s+/g, '_')), skip_empty_lines: true, trim: true, bom: true, relax_column_count: false });
  } catch (error) {
    throw DomainError.badInput([{ field: 'csv', message: `Not readable as CSV: ${error instanceof Error ? error.message : String(error)}` }]);
  }
  if (!records.length) throw DomainError.badInput([{ field: 'csv', message: 'The file has no rows under its header' }]);
  if (records.length > IMPORT_MAX_ROWS) throw DomainError.badInput([{ field: 'csv', message: `At most ${IMPORT_MAX_ROWS} rows` }]);
  const unknown = Object.keys(records[0]).filter((c) => !(IMPORT_COLUMNS as readonly string[]).includes(c));
  const missing = ['name', 'motivation'].filter((c) => !(c in records[0]));
  if (unknown.length || missing.length) {
    throw DomainError.badInput([
      ...missing.map((c) => ({ field: 'csv', message: `Missing column ${c}` })),
      ...unknown.map((c) => ({ field: 'csv', message: `Unknown column ${c}; known: ${IMPORT_COLUMNS.join(', ')}` })),
    ]);
  }
  return records as ImportRow[];
}

function list(value: string | undefined): string[] {
  return (value ?? '').split(';').map((v) => v.trim()).filter(Boolean);
}

function toNomination(row: ImportRow, round: Round, memberByEmail: Map<string, string>): { input: NominateInput; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const year = (column: keyof ImportRow): number | null => {
    const raw = row[column]?.trim();
    if (!raw) return null;
    if (!/^\d{3,4}$/.test(raw)) {
      problems.push({ field: column, message: 'A year such as 1848' });
      return null;
    }
    return Number(raw);
  };
  const candidate: CandidateInput = {
    name: row.name ?? '', nameVariants: list(row.name_variants), birthYear: year('birth_year'), deathYear: year('death_year'),
    offices: list(row.offices), organisation: row.organisation ?? '', governmentLayer: (row.government_layer?.toUpperCase() || 'OTHER') as GovernmentLayer,
    periodStart: year('period_start'), periodEnd: year('period_end'), gender: (row.gender?.toUpperCase() || 'UNKNOWN') as Gender,
    region: row.region ?? '', wikidataId: row.wikidata_id || null, bio: row.bio ?? '',
  };
  problems.push(...candidateProblems(candidateFields(candidate), 'candidate').map((p) => ({ ...p, field: p.field.replace(/^candidate\./, '') })));
  const sources: SourceInput[] = list(row.sources).map((s) => (/^https?:\/\//i.test(s) ? { kind: 'URL', reference: s.slice(0, 500), url: s } : { kind: 'LITERATURE', reference: s }));
  sources.forEach((source, i) => problems.push(...sourceProblems(source, `sources.${i}`)));
  const motivation = row.motivation?.trim() ?? '';
  if (motivation.length < round.motivationMinLength || motivation.length > round.motivationMaxLength) {
    problems.push({ field: 'motivation', message: `Write ${round.motivationMinLength} to ${round.motivationMaxLength} characters` });
  }
  const email = row.nominator_email?.trim().toLowerCase();
  if (email && !memberByEmail.has(email)) problems.push({ field: 'nominator_email', message: `${email} is not a member of this project` });
  return { input: { candidate, motivation, sources }, problems };
}
