import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@quire/domain/audit';
import { Project } from './project.entity';
import { ProjectMembership } from './project-membership.entity';
import { ProjectAccess } from './project-access.service';
import { ProjectsService } from './projects.service';
import { ProjectsResolver } from './projects.resolver';

@Module({
  imports: [TypeOrmModule.forFeature([Project, ProjectMembership]), AuditModule],
  providers: [ProjectAccess, ProjectsService, ProjectsResolver],
  exports: [ProjectAccess, ProjectsService, AuditModule],
})
export class ProjectsModule {}
