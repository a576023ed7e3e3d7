import { Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CandidatesService, MergeService, NominationsModule, RoundsService } from '@quire/domain/nominations';
import { ProjectsModule } from '@quire/domain/projects';
import { BallotsService } from './ballots.service';
import { VOTING_ENTITIES } from './entities';
import { LeaderboardPublisher } from './leaderboard-publisher';
import { LeaderboardService } from './leaderboard.service';
import { ResultsService } from './results.service';
import { SelectionService } from './selection/selection.service';
import { TalliesService } from './tallies.service';
import { VoteMergeParticipant } from './vote-merge.participant';
import { BallotsResolver, BallotVoteResolver, LeaderboardEntryResolver, LeaderboardResolver, RoundVotingResolver, SelectionResolver, TallyDifferenceResolver } from './voting.resolver';

@Module({
  imports: [TypeOrmModule.forFeature(VOTING_ENTITIES), NominationsModule, ProjectsModule],
  providers: [
    BallotsService, TalliesService, LeaderboardService, LeaderboardPublisher, ResultsService, SelectionService, VoteMergeParticipant,
    BallotsResolver, BallotVoteResolver, RoundVotingResolver, LeaderboardResolver, LeaderboardEntryResolver, SelectionResolver, TallyDifferenceResolver,
  ],
  exports: [BallotsService, TalliesService, LeaderboardService, LeaderboardPublisher, ResultsService, SelectionService],
})
export class VotingModule implements OnModuleInit {
  constructor(
    private readonly merges: MergeService,
    private readonly rounds: RoundsService,
    private readonly votesInMerges: VoteMergeParticipant,
    private readonly results: ResultsService,
    private readonly candidates: CandidatesService,
    private readonly selection: SelectionService,
  ) {}

  /**
   * Votes follow candidate merges, closing a round freezes its results, and a candidate selected by
   * hand gets its portrait (in their transactions).
   */
  onModuleInit(): void {
    this.merges.addParticipant(this.votesInMerges);
    this.rounds.onPhaseChange((tx, actor, round, from) => this.results.onPhaseChanged(tx, actor, round, from));
    this.candidates.onStatusChange((tx, actor, candidate, from) => this.selection.onCandidateStatusChanged(tx, actor, candidate, from));
  }
}
