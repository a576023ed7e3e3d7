import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AccessMode, CollabAuthorizer, UnknownDocument } from '@quire/collab-core';
import { isUuid } from '@quire/core';
import { PortraitStatus } from './portrait.entity';
import { portraitAccess, portraitIdOf } from './portrait-workflow';
import { projectRolesOf } from './portraits.service';

/**
 * The collab service's access rules for portrait documents: what `portraitAccess` says for each
 * person, from the portrait's team and state and the person's project roles, read in two queries
 * however many people are connected.
 */
@Injectable()
export class PortraitCollabAuthorizer implements CollabAuthorizer {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async access(documentName: string, userIds: readonly string[]): Promise<Map<string, AccessMode>> {
    const portraitId = portraitIdOf(documentName);
    if (!portraitId) throw new UnknownDocument(documentName);
    const rows: { project_id: string; status: PortraitStatus; lead_author_id: string | null; editor_id: string | null; co_author_ids: string[] }[] = await this.dataSource.query(
      `SELECT p.project_id, p.status, p.lead_author_id, p.editor_id,
              coalesce(array_agg(c.user_id) FILTER (WHERE c.user_id IS NOT NULL), '{}') AS co_author_ids
         FROM portraits p LEFT JOIN portrait_co_authors c ON c.portrait_id = p.id WHERE p.id = $1 GROUP BY p.id`,
      [portraitId],
    );
    const portrait = rows[0];
    if (!portrait) throw new UnknownDocument(documentName);
    const team = { status: portrait.status, leadAuthorId: portrait.lead_author_id, editorId: portrait.editor_id, coAuthorIds: portrait.co_author_ids };
    const roles = await projectRolesOf(this.dataSource.manager, portrait.project_id, userIds.filter(isUuid));
    const access = new Map<string, AccessMode>();
    for (const [userId, held] of roles) {
      const mode = portraitAccess(team, userId, held);
      if (mode) access.set(userId, mode);
    }
    return access;
  }
}
