import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ProjectsModule } from '@quire/domain/projects';
import { IdentityResolver } from './identity.resolver';
import { Invitation } from './invitation.entity';
import { InvitationsService } from './invitations.service';
import { MembersService } from './members.service';
import { OidcController } from './oidc.controller';
import { OidcService } from './oidc.service';
import { PasswordReset } from './password-reset.entity';
import { PasswordResetsService } from './password-resets.service';
import { AuthRateLimiter } from './rate-limit.service';
import { Session } from './session.entity';
import { SessionsService } from './sessions.service';
import { User } from './user.entity';
import { UsersService } from './users.service';

@Module({
  imports: [TypeOrmModule.forFeature([User, Session, Invitation, PasswordReset]), ProjectsModule],
  providers: [AuthRateLimiter, SessionsService, UsersService, InvitationsService, PasswordResetsService, MembersService, OidcService, IdentityResolver],
  // Answers 404 while no OpenID Connect provider is configured.
  controllers: [OidcController],
  exports: [SessionsService, UsersService, InvitationsService, PasswordResetsService, ProjectsModule],
})
export class IdentityModule {}
