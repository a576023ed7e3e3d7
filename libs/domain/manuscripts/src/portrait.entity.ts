import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import { BaseEntity } from '@quire/db';

export type PortraitStatus = 'UNASSIGNED' | 'DRAFTING' | 'SUBMITTED' | 'IN_REVIEW' | 'CHANGES_REQUESTED' | 'APPROVED' | 'FINAL';
export const PORTRAIT_STATUSES: readonly PortraitStatus[] = ['UNASSIGNED', 'DRAFTING', 'SUBMITTED', 'IN_REVIEW', 'CHANGES_REQUESTED', 'APPROVED', 'FINAL'];

/** One portrait per selected candidate: who writes it, who edits it, and where it is in the workflow. */
@Entity('portraits')
export class Portrait extends BaseEntity {
  @Column({ type: 'uuid' }) projectId!: string;
  @Column({ type: 'uuid' }) candidateId!: string;
  @Column({ type: 'text' }) status!: PortraitStatus;
  @Column({ type: 'uuid', nullable: true }) leadAuthorId!: string | null;
  @Column({ type: 'uuid', nullable: true }) editorId!: string | null;
  @Column({ type: 'timestamptz' }) statusChangedAt!: Date;
}

/** An author who writes a portrait with its lead author. */
@Entity('portrait_co_authors')
export class PortraitCoAuthor {
  @PrimaryColumn({ type: 'uuid' }) portraitId!: string;
  @PrimaryColumn({ type: 'uuid' }) userId!: string;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
}

export const MANUSCRIPTS_ENTITIES = [Portrait, PortraitCoAuthor];
