import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ProjectsModule } from '@quire/domain/projects';
import { CollabTicketsService } from './collab-tickets.service';
import { PortraitsResolver } from './manuscripts.resolver';
import { PortraitCollabAuthorizer } from './portrait-authorizer';
import { MANUSCRIPTS_ENTITIES } from './portrait.entity';
import { PortraitsService } from './portraits.service';

@Module({
  imports: [TypeOrmModule.forFeature(MANUSCRIPTS_ENTITIES), ProjectsModule],
  providers: [PortraitsService, PortraitCollabAuthorizer, CollabTicketsService, PortraitsResolver],
  exports: [PortraitsService, PortraitCollabAuthorizer],
})
export class ManuscriptsModule {}
