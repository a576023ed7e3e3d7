import { Inject } from '@nestjs/common';
import { Args, ID, Int, Mutation, Parent, Query, ResolveField, Resolver, Subscription } from '@nestjs/graphql';
import { InjectDataSource } from '@nestjs/typeorm';
import { RedisPubSub } from 'graphql-redis-subscriptions';
import { DataSource, In } from 'typeorm';
import { QUIRE_CONFIG, QuireConfig } from '@quire/config';
import { Access, Actor, CurrentActor, CurrentContext, DomainError, GraphQLContext, IdPipe, loader, PUB_SUB } from '@quire/core';
import { Candidate, CandidateModel, ExportFormatEnum, RoundModel } from '@quire/domain/nominations';
import { Topics } from '@quire/queue';
import { BallotsService } from './ballots.service';
import { LEADERBOARD_MAX_ENTRIES, LeaderboardStream, toLeaderboardModel } from './leaderboard-stream';
import { LeaderboardService } from './leaderboard.service';
import { ResultsFormat, ResultsService } from './results.service';
import { drawPositions, splitTies } from './selection/draw';
import { SelectionService } from './selection/selection.service';
import { TalliesService } from './tallies.service';
import {
  BallotModel, BallotVoteModel, LeaderboardEntryModel, LeaderboardModel, RecountModel, RoundResultsModel, SelectionEntryModel, TallyDifferenceModel, SelectionPlacesModel, SelectionTieModel, SelectionInputModel, SelectionModel,
} from './voting.model';

const CANDIDATES = Symbol('votingCandidates');

/** Candidates by id as stored, batched per request (their access was checked with the record that names them). */
function candidateById(ctx: GraphQLContext, dataSource: DataSource, id: string): Promise<CandidateModel> {
  return loader<string, CandidateModel>(ctx, CANDIDATES, async (ids) => {
    const rows = await dataSource.getRepository(Candidate).findBy({ id: In([...ids]) });
    const byId = new Map(rows.map((c) => [c.id, CandidateModel.from(c)]));
    return ids.map((id) => byId.get(id) ?? DomainError.notFound('Candidate', id));
  }).load(id);
}

function checkFirst(first: number): number {
  if (!Number.isInteger(first) || first < 1 || first > LEADERBOARD_MAX_ENTRIES) {
    throw DomainError.badInput([{ field: 'first', message: `Must be between 1 and ${LEADERBOARD_MAX_ENTRIES}` }]);
  }
  return first;
}

@Resolver(() => BallotModel)
export class BallotsResolver {
  constructor(private readonly ballots: BallotsService) {}

  @Access('signedIn')
  @Query(() => BallotModel, { description: 'My ballot in a round: budget, votes cast and left, my votes' })
  async myBallot(@CurrentActor() actor: Actor, @Args('roundId', { type: () => ID }, IdPipe) roundId: string): Promise<BallotModel> {
    return BallotModel.from(await this.ballots.ballotOf(actor, roundId));
  }

  @Access('signedIn')
  @Mutation(() => BallotModel, { description: 'Vote for a candidate of the round (one vote per candidate, within the budget)' })
  async castVote(@CurrentActor() actor: Actor, @Args('roundId', { type: () => ID }, IdPipe) roundId: string, @Args('candidateId', { type: () => ID }, IdPipe) candidateId: string): Promise<BallotModel> {
    return BallotModel.from(await this.ballots.cast(actor, roundId, candidateId));
  }

  @Access('signedIn')
  @Mutation(() => BallotModel, { description: 'Take a vote back while voting is open' })
  async withdrawVote(@CurrentActor() actor: Actor, @Args('roundId', { type: () => ID }, IdPipe) roundId: string, @Args('candidateId', { type: () => ID }, IdPipe) candidateId: string): Promise<BallotModel> {
    return BallotModel.from(await this.ballots.withdraw(actor, roundId, candidateId));
  }

  @Access('signedIn')
  @Mutation(() => BallotModel, { description: 'Move a vote from one candidate to another in one step' })
  async moveVote(
    @CurrentActor() actor: Actor,
    @Args('roundId', { type: () => ID }, IdPipe) roundId: string,
    @Args('fromCandidateId', { type: () => ID }, IdPipe) fromCandidateId: string,
    @Args('toCandidateId', { type: () => ID }, IdPipe) toCandidateId: string,
  ): Promise<BallotModel> {
    return BallotModel.from(await this.ballots.move(actor, roundId, fromCandidateId, toCandidateId));
  }
}

@Resolver(() => RoundModel)
export class RoundVotingResolver {
  constructor(
    private readonly ballots: BallotsService,
    private readonly selections: SelectionService,
  ) {}

  @ResolveField(() => SelectionPlacesModel, { description: "The book's places for this round's selection: N, those other rounds' selections took, and how many are left" })
  async selectionPlaces(@Parent() round: RoundModel, @CurrentActor() actor: Actor): Promise<SelectionPlacesModel> {
    return SelectionPlacesModel.from(await this.selections.placesFor(actor, round.id));
  }

  @ResolveField(() => BallotModel, { nullable: true, description: 'My ballot in this round (null when not signed in)' })
  async myBallot(@Parent() round: RoundModel, @CurrentActor() actor: Actor): Promise<BallotModel | null> {
    if (actor.kind !== 'user') return null;
    return BallotModel.from(await this.ballots.ballotOf(actor, round.id));
  }
}

@Resolver(() => LeaderboardModel)
export class LeaderboardResolver {
  constructor(
    private readonly leaderboards: LeaderboardService,
    private readonly tallies: TalliesService,
    private readonly results: ResultsService,
    @Inject(PUB_SUB) private readonly pubSub: RedisPubSub,
    @Inject(QUIRE_CONFIG) private readonly config: QuireConfig,
  ) {}

  @Access('signedIn')
  @Query(() => LeaderboardModel, { description: "A round's standings now (live while voting, the results once closed); counts only where the phase shows them, or for editors" })
  async leaderboard(
    @CurrentActor() actor: Actor,
    @Args('roundId', { type: () => ID }, IdPipe) roundId: string,
    @Args('first', { type: () => Int, defaultValue: 100 }) first: number,
  ): Promise<LeaderboardModel> {
    checkFirst(first);
    const { snapshot, moderator } = await this.leaderboards.leaderboard(actor, roundId);
    return toLeaderboardModel(snapshot, moderator, first);
  }

  @Access('signedIn')
  @Subscription(() => LeaderboardModel, { description: "The round's standings now, then again within a second of every change (rank changes in previousRank)" })
  async leaderboardChanged(
    @CurrentActor() actor: Actor,
    @Args('roundId', { type: () => ID }, IdPipe) roundId: string,
    @Args('first', { type: () => Int, defaultValue: 100 }) first: number,
  ): Promise<AsyncIterator<unknown>> {
    checkFirst(first);
    const { moderator } = await this.leaderboards.access(actor, roundId);
    const stream = new LeaderboardStream(this.pubSub, { first, moderator });
    return stream.start(Topics.leaderboardChanged(this.config.redisPrefix, roundId), async () => (await this.leaderboards.leaderboard(actor, roundId)).snapshot);
  }

  @Access('signedIn')
  @Query(() => RoundResultsModel, { nullable: true, description: "A closed round's results with their counts (null while it is open)" })
  async roundResults(@CurrentActor() actor: Actor, @Args('roundId', { type: () => ID }, IdPipe) roundId: string): Promise<RoundResultsModel | null> {
    const results = await this.results.results(actor, roundId);
    if (!results) return null;
    const { result, entries } = results;
    return Object.assign(new RoundResultsModel(), {
      roundId, frozenAt: result.frozenAt, totalVotes: result.totalVotes, voters: result.voters, countedVoters: result.countedVoters,
      liveTallyAgreed: result.liveTallyAgreed, differences: result.differences,
      entries: entries.map((e) => ({ rank: e.rank, votes: e.votes, candidate: CandidateModel.from(e.candidate) })),
    });
  }

  @Access('signedIn')
  @Query(() => String, { description: "A closed round's results as open data (CSV or JSON)" })
  exportRoundResults(@CurrentActor() actor: Actor, @Args('roundId', { type: () => ID }, IdPipe) roundId: string, @Args('format', { type: () => ExportFormatEnum }) format: ResultsFormat): Promise<string> {
    return this.results.export(actor, roundId, format);
  }

  @Access('signedIn')
  @Mutation(() => RecountModel, { description: 'Editors have the round counted again from its votes and compared with the live tally' })
  async requestRecount(@CurrentActor() actor: Actor, @Args('roundId', { type: () => ID }, IdPipe) roundId: string): Promise<RecountModel> {
    return RecountModel.from(await this.tallies.requestRecount(actor, roundId));
  }

  @Access('signedIn')
  @Query(() => RecountModel)
  async recount(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }, IdPipe) id: string): Promise<RecountModel> {
    return RecountModel.from(await this.tallies.recount(actor, id));
  }

  @Access('signedIn')
  @Query(() => [RecountModel], { description: "A round's recounts, newest first (editors)" })
  async recounts(@CurrentActor() actor: Actor, @Args('roundId', { type: () => ID }, IdPipe) roundId: string): Promise<RecountModel[]> {
    return (await this.tallies.recounts(actor, roundId)).map(RecountModel.from);
  }
}

@Resolver(() => BallotVoteModel)
export class BallotVoteResolver {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @ResolveField(() => CandidateModel, { description: 'The candidate voted for (the ballot shows my votes by name)' })
  candidate(@Parent() vote: BallotVoteModel, @CurrentContext() ctx: GraphQLContext): Promise<CandidateModel> {
    return candidateById(ctx, this.dataSource, vote.candidateId);
  }
}

@Resolver(() => LeaderboardEntryModel)
export class LeaderboardEntryResolver {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @ResolveField(() => CandidateModel)
  candidate(@Parent() entry: LeaderboardEntryModel, @CurrentContext() ctx: GraphQLContext): Promise<CandidateModel> {
    return candidateById(ctx, this.dataSource, entry.candidateId);
  }
}

@Resolver(() => TallyDifferenceModel)
export class TallyDifferenceResolver {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @ResolveField(() => CandidateModel, { description: 'The candidate whose counts differ (a recount shows it by name)' })
  candidate(@Parent() difference: TallyDifferenceModel, @CurrentContext() ctx: GraphQLContext): Promise<CandidateModel> {
    return candidateById(ctx, this.dataSource, difference.candidateId);
  }
}

@Resolver(() => SelectionModel)
export class SelectionResolver {
  constructor(
    private readonly selectionService: SelectionService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  @Access('signedIn')
  @Mutation(() => SelectionModel, { description: "Editors ask the balance assistant for the N candidates with the most votes that meet their quotas, pins and exclusions" })
  async proposeSelection(@CurrentActor() actor: Actor, @Args('roundId', { type: () => ID }, IdPipe) roundId: string, @Args('input') input: SelectionInputModel): Promise<SelectionModel> {
    return SelectionModel.from(await this.selectionService.propose(actor, roundId, input));
  }

  @Access('signedIn')
  @Mutation(() => SelectionModel, { description: 'Editors confirm a proposal: its candidates become SELECTED with an UNASSIGNED portrait each, the others NOT_SELECTED' })
  async confirmSelection(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }, IdPipe) id: string): Promise<SelectionModel> {
    return SelectionModel.from(await this.selectionService.confirm(actor, id));
  }

  @Access('signedIn')
  @Query(() => SelectionModel)
  async selection(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }, IdPipe) id: string): Promise<SelectionModel> {
    return SelectionModel.from(await this.selectionService.get(actor, id));
  }

  @Access('signedIn')
  @Query(() => [SelectionModel], { description: "A round's selection proposals, newest first" })
  async selections(@CurrentActor() actor: Actor, @Args('roundId', { type: () => ID }, IdPipe) roundId: string): Promise<SelectionModel[]> {
    return (await this.selectionService.list(actor, roundId)).map(SelectionModel.from);
  }

  @ResolveField(() => [SelectionTieModel], {
    description: 'Where the seeded draw decided: the groups of candidates with equal votes the selection split (not pinned or excluded), most votes first',
  })
  async ties(@Parent() selection: SelectionModel, @CurrentContext() ctx: GraphQLContext): Promise<SelectionTieModel[]> {
    const pool = await this.selectionService.pool(this.dataSource.manager, selection.roundId, selection.createdAt);
    const ties = splitTies(pool, { seed: selection.seed, selected: selection.selectedIds, pinned: selection.pinned, excluded: selection.excluded });
    return Promise.all(ties.map(async (tie) => ({
      votes: tie.votes,
      candidates: await Promise.all(tie.candidates.map(async (c) => ({ candidate: await candidateById(ctx, this.dataSource, c.id), drawPosition: c.drawPosition, selected: c.selected }))),
    })));
  }

  @ResolveField(() => [SelectionEntryModel], { description: 'The selected candidates with their votes and draw positions, most votes first' })
  async entries(@Parent() selection: SelectionModel, @CurrentContext() ctx: GraphQLContext): Promise<SelectionEntryModel[]> {
    const pool = await this.selectionService.pool(this.dataSource.manager, selection.roundId, selection.createdAt);
    const votes = new Map(pool.map((c) => [c.id, c.votes]));
    const draw = drawPositions(selection.seed, pool.map((c) => c.id));
    const pinned = new Set(selection.pinned);
    return Promise.all(selection.selectedIds.map(async (id) => ({
      candidate: await candidateById(ctx, this.dataSource, id), votes: votes.get(id) ?? 0, drawPosition: draw.get(id) ?? 0, pinned: pinned.has(id),
    })));
  }
}
