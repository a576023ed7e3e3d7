import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { stringify } from 'csv-stringify/sync';
import { DataSource, EntityManager, In } from 'typeorm';
import { Actor, DomainError } from '@quire/core';
import { AuditService } from '@quire/domain/audit';
import { Candidate, Participation, Round, RoundPhase, RoundsService } from '@quire/domain/nominations';
import { enqueue } from '@quire/queue';
import { RoundResult, RoundResultEntry } from './entities';
import { assertVisible } from './leaderboard.service';
import { holdRoundExclusively } from './round-locks';
import { TalliesService } from './tallies.service';

export type ResultsFormat = 'CSV' | 'JSON';

export interface RoundResults {
  result: RoundResult;
  entries: (RoundResultEntry & { candidate: Candidate })[];
}

/**
 * Closing a round freezes its results: counted from the votes (the truth the live tally is
 * folded from), in the transaction that closes it, with the live tally's agreement on record.
 * They are published with their counts and can be exported as open data.
 */
@Injectable()
export class ResultsService {
  private readonly logger = new Logger('Results');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly rounds: RoundsService,
    private readonly tallies: TalliesService,
    private readonly participation: Participation,
    private readonly audit: AuditService,
  ) {}

  /** RoundPhaseListener: runs inside the transaction that moves a round on. */
  async onPhaseChanged(tx: EntityManager, actor: Actor, round: Round, _from: RoundPhase): Promise<void> {
    if (round.phase !== 'CLOSED') return;
    // Waits for votes in flight; later ones find the round closed.
    await holdRoundExclusively(tx, [round.id]);
    const comparison = await this.tallies.compare(tx, round.id);
    const [ballots]: { voters: number; counted: number }[] = await tx.query(
      `SELECT count(*) FILTER (WHERE votes_cast > 0)::int AS voters, count(*) FILTER (WHERE votes_cast > 0 AND votes_cast >= $2)::int AS counted FROM ballots WHERE round_id = $1`,
      [round.id, round.minVotesPerMember],
    );
    const liveTallyAgreed = comparison.differences.length === 0;
    await tx.insert(RoundResult, {
      roundId: round.id, projectId: round.projectId, totalVotes: comparison.totalVotes, voters: ballots.voters, countedVoters: ballots.counted,
      liveTallyAgreed, differences: comparison.differences,
    });
    // Every candidate on the ballot (a published nomination in the round), and any other with votes.
    await tx.query(
      `WITH counted AS (SELECT * FROM unnest($3::uuid[], $4::int[]) AS x(candidate_id, votes)),
       pool AS (
         SELECT c.id, COALESCE(counted.votes, 0) AS votes FROM candidates c LEFT JOIN counted ON counted.candidate_id = c.id
          WHERE c.project_id = $2 AND c.merged_into_id IS NULL
            AND (counted.votes > 0 OR EXISTS (SELECT 1 FROM nominations n WHERE n.round_id = $1 AND n.candidate_id = c.id AND n.status = 'PUBLISHED')))
       INSERT INTO round_result_entries (round_id, candidate_id, rank, votes)
       SELECT $1, id, rank() OVER (ORDER BY votes DESC), votes FROM pool`,
      [round.id, round.projectId, [...comparison.recount.keys()], [...comparison.recount.values()]],
    );
    await this.audit.record(tx, actor, {
      projectId: round.projectId, action: 'round.results_published', entityType: 'round', entityId: round.id,
      data: { totalVotes: comparison.totalVotes, voters: ballots.voters, liveTallyAgreed },
    });
    if (!liveTallyAgreed) {
      this.logger.warn(`Round ${round.id} closed with a live tally that differs from the votes for ${comparison.differences.length} candidate(s); the results count the votes`);
    }
    await enqueue(tx, 'tallies', 'publish', { roundId: round.id });
  }

  /** A closed round's results, or null while it is open. */
  async results(actor: Actor, roundId: string): Promise<RoundResults | null> {
    const round = await this.rounds.get(actor, roundId);
    const result = await this.dataSource.getRepository(RoundResult).findOne({ where: { roundId } });
    if (!result) return null;
    const roles = await this.participation.requireReader(this.dataSource.manager, actor, round.projectId);
    assertVisible({ talliesVisible: round.rules.CLOSED.talliesVisible, phase: round.phase }, this.participation.isModerator(roles));
    const entries = await this.dataSource.getRepository(RoundResultEntry).find({ where: { roundId }, order: { rank: 'ASC' } });
    const candidates = entries.length ? await this.dataSource.getRepository(Candidate).findBy({ id: In(entries.map((e) => e.candidateId)) }) : [];
    const byId = new Map(candidates.map((c) => [c.id, c]));
    return {
      result,
      entries: entries
        .map((e) => Object.assign(e, { candidate: byId.get(e.candidateId) as Candidate }))
        .sort((a, b) => a.rank - b.rank || a.candidate.name.localeCompare(b.candidate.name, 'nl') || a.candidateId.localeCompare(b.candidateId)),
    };
  }

  /** The results as open data: rank, votes and the candidate's public facts. */
  async export(actor: Actor, roundId: string, format: ResultsFormat): Promise<string> {
    const round = await this.rounds.get(actor, roundId);
    const results = await this.results(actor, roundId);
    if (!results) throw DomainError.invalidTransition('round', round.phase, 'export results before it closes');
    const { result, entries } = results;
    const rows = entries.map(({ rank, votes, candidate: c }) => ({
      rank, votes, candidateId: c.id, name: c.name, birthYear: c.birthYear, deathYear: c.deathYear, governmentLayer: c.governmentLayer,
      gender: c.gender, region: c.region, periodStart: c.periodStart, periodEnd: c.periodEnd, wikidataId: c.wikidataId,
    }));
    if (format === 'JSON') {
      return JSON.stringify({
        round: { id: round.id, title: round.title, closedAt: result.frozenAt.toISOString() },
        totals: { votes: result.totalVotes, voters: result.voters, countedVoters: result.countedVoters, minimumVotesPerMember: round.minVotesPerMember, votesPerMember: round.votesPerMember },
        liveTallyAgreed: result.liveTallyAgreed, differences: result.differences, results: rows,
      }, null, 2);
    }
    return stringify(
      rows.map((r) => ({ ...r, birthYear: r.birthYear ?? '', deathYear: r.deathYear ?? '', periodStart: r.periodStart ?? '', periodEnd: r.periodEnd ?? '', wikidataId: r.wikidataId ?? '' })),
      {
        header: true,
        columns: [
          { key: 'rank', header: 'rank' }, { key: 'votes', header: 'votes' }, { key: 'candidateId', header: 'candidate_id' }, { key: 'name', header: 'name' },
          { key: 'birthYear', header: 'birth_year' }, { key: 'deathYear', header: 'death_year' }, { key: 'governmentLayer', header: 'government_layer' },
          { key: 'gender', header: 'gender' }, { key: 'region', header: 'region' }, { key: 'periodStart', header: 'period_start' }, { key: 'periodEnd', header: 'period_end' },
          { key: 'wikidataId', header: 'wikidata_id' },
        ],
      },
    );
  }
}
