import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdentityModule } from '@quire/domain/identity';
import { ProjectsModule } from '@quire/domain/projects';
import { CandidatesService } from './candidates.service';
import { EngagementService } from './engagement.service';
import { NOMINATIONS_ENTITIES } from './entities';
import { MergeService } from './merge.service';
import { ModerationService } from './moderation.service';
import {
  BlockedMembersResolver, CandidateMergesResolver, CandidatesResolver, CommentsResolver, ModerationItemsResolver, NominationsResolver, RoundsResolver,
} from './nominations.resolver';
import { NominationsService } from './nominations.service';
import { Participation } from './participation';
import { RoundsService } from './rounds.service';
import { TransferService } from './transfer.service';

@Module({
  imports: [TypeOrmModule.forFeature(NOMINATIONS_ENTITIES), ProjectsModule, IdentityModule],
  providers: [
    Participation, RoundsService, CandidatesService, NominationsService, EngagementService, ModerationService, MergeService, TransferService,
    RoundsResolver, CandidatesResolver, NominationsResolver, CommentsResolver, CandidateMergesResolver, ModerationItemsResolver, BlockedMembersResolver,
  ],
  exports: [RoundsService, CandidatesService, NominationsService, MergeService, Participation],
})
export class NominationsModule {}
