import { Column, Entity } from 'typeorm';
import { BaseEntity } from '@quire/db';
import { ProjectRole } from '@quire/core';

/** The roles one person holds in one project. */
@Entity('project_memberships')
export class ProjectMembership extends BaseEntity {
  @Column({ type: 'uuid' })
  projectId!: string;

  @Column({ type: 'uuid' })
  userId!: string;

  @Column({ type: 'text', array: true })
  roles!: ProjectRole[];
}
