export * from './project.entity';
export * from './project-membership.entity';
export * from './project-access.service';
export * from './projects.service';
export * from './projects.module';
export * from './project.model';

import { Project } from './project.entity';
import { ProjectMembership } from './project-membership.entity';
export const PROJECTS_ENTITIES = [Project, ProjectMembership];
