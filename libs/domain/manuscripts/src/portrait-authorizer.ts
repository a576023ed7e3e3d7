import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AccessMode, CollabAuthorizer, UnknownDocument } from '@quire/collab-core';
import { isUuid, ProjectRole } from '@quire/core';
import { PortraitStatus } from './portrait.entity';
import { portraitAccess, portraitIdOf, PortraitTeam } from './portrait-workflow';
import { rolesHeld } from './portraits.service';

interface AccessRow {
  portrait_id: string;
  status: PortraitStatus;
  lead_author_id: string | null;
  editor_id: string | null;
  /** Null on the row of a portrait none of whose asked-about people exists. */
  user_id: string | null;
  /** Whether this row's person is one of the portrait's co-authors. */
  co_author: boolean;
  installation_admin: boolean | null;
  roles: ProjectRole[] | null;
}

/**
 * The collab service's access rules for portrait documents: what `portraitAccess` says for each
 * person, from the portrait's team and state and the person's project roles, read in one query
 * however many documents and people are asked about.
 */
@Injectable()
export class PortraitCollabAuthorizer implements CollabAuthorizer {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async access(documentName: string, userIds: readonly string[]): Promise<Map<string, AccessMode>> {
    const access = (await this.accessToMany(new Map([[documentName, userIds]]))).get(documentName);
    if (!access) throw new UnknownDocument(documentName);
    return access;
  }

  async accessToMany(asked: ReadonlyMap<string, readonly string[]>): Promise<Map<string, Map<string, AccessMode>>> {
    const documentOf = new Map<string, string>();
    const pairs: { portraitIds: string[]; userIds: string[] } = { portraitIds: [], userIds: [] };
    for (const [documentName, userIds] of asked) {
      const portraitId = portraitIdOf(documentName);
      if (!portraitId) continue;
      documentOf.set(portraitId, documentName);
      for (const userId of userIds.filter(isUuid)) {
        pairs.portraitIds.push(portraitId);
        pairs.userIds.push(userId);
      }
    }
    const result = new Map<string, Map<string, AccessMode>>();
    if (documentOf.size === 0) return result;
    // One row per portrait and person asked about who exists (one with null person for a portrait with none).
    const rows: AccessRow[] = await this.dataSource.query(
      // Whether the person is a co-author, not the list of co-authors on every row: a document with
      // hundreds of writers would otherwise read hundreds of lists of hundreds of ids.
      `SELECT p.id AS portrait_id, p.status, p.lead_author_id, p.editor_id, u.id AS user_id, u.installation_admin, m.roles,
              EXISTS (SELECT 1 FROM portrait_co_authors c WHERE c.portrait_id = p.id AND c.user_id = u.id) AS co_author
         FROM portraits p
         LEFT JOIN (unnest($2::uuid[], $3::uuid[]) AS w (portrait_id, user_id) JOIN users u ON u.id = w.user_id) ON w.portrait_id = p.id
         LEFT JOIN project_memberships m ON m.user_id = u.id AND m.project_id = p.project_id
        WHERE p.id = ANY($1::uuid[])`,
      [[...documentOf.keys()], pairs.portraitIds, pairs.userIds],
    );
    for (const row of rows) {
      const documentName = documentOf.get(row.portrait_id) as string;
      const access = result.get(documentName) ?? new Map<string, AccessMode>();
      result.set(documentName, access);
      if (row.user_id === null) continue;
      // The team as far as this person goes: whether they are among the co-authors is all the rules ask of that list.
      const team: PortraitTeam = { status: row.status, leadAuthorId: row.lead_author_id, editorId: row.editor_id, coAuthorIds: row.co_author ? [row.user_id] : [] };
      const mode = portraitAccess(team, row.user_id, rolesHeld(row.installation_admin ?? false, row.roles));
      if (mode) access.set(row.user_id, mode);
    }
    return result;
  }
}
