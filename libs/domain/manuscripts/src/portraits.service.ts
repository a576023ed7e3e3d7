import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { RedisPubSub } from 'graphql-redis-subscriptions';
import { Redis } from 'ioredis';
import { DataSource, EntityManager } from 'typeorm';
import { AccessMode, CollabAnnouncer, DocumentStore, Heading, sqlOfManager, VersionRecord } from '@quire/collab-core';
import { QUIRE_CONFIG, QuireConfig } from '@quire/config';
import { Actor, ALL_PROJECT_ROLES, DomainError, ErrorCode, FieldProblem, isUuid, ProjectRole, PUB_SUB } from '@quire/core';
import { AuditService } from '@quire/domain/audit';
import { ProjectAccess } from '@quire/domain/projects';
import { REDIS, Topics } from '@quire/queue';
import { Portrait, PortraitStatus } from './portrait.entity';
import {
  availableActions, EDITOR_ROLES, isEditor, isTeamAuthor, PORTRAIT_TRANSITIONS, PortraitAction, portraitAccess, portraitDocumentName, PortraitTeam, VersionKind,
} from './portrait-workflow';

export interface PortraitPerson {
  id: string;
  displayName: string;
}

/** The pub/sub message of the portraitChanged subscription: which portrait changed, not how (each watcher sees it their own way). */
export interface PortraitChangedMessage {
  portraitId: string;
}

/** A portrait as people see it: its candidate, team, state, text figures, and what the viewer may do. */
export interface PortraitDetails {
  id: string;
  projectId: string;
  candidateId: string;
  candidateName: string;
  status: PortraitStatus;
  statusChangedAt: Date;
  createdAt: Date;
  leadAuthor: PortraitPerson | null;
  coAuthors: PortraitPerson[];
  editor: PortraitPerson | null;
  documentName: string;
  wordCount: number;
  headings: Heading[];
  myAccess: AccessMode | null;
  myActions: PortraitAction[];
}

export interface PortraitTeamInput {
  leadAuthorId: string | null;
  coAuthorIds: string[];
  editorId: string | null;
}

export interface PortraitVersion extends VersionRecord {
  createdBy: PortraitPerson | null;
}

const MAX_CO_AUTHORS = 10;
const MAX_LABEL = 200;

interface PortraitRow {
  id: string;
  project_id: string;
  candidate_id: string;
  candidate_name: string;
  status: PortraitStatus;
  status_changed_at: Date;
  created_at: Date;
  lead_author_id: string | null;
  lead_author_name: string | null;
  editor_id: string | null;
  editor_name: string | null;
  co_authors: PortraitPerson[];
}

const PORTRAIT_ROWS = `
  SELECT p.id, p.project_id, p.candidate_id, c.name AS candidate_name, p.status, p.status_changed_at, p.created_at,
         p.lead_author_id, lu.display_name AS lead_author_name, p.editor_id, eu.display_name AS editor_name,
         coalesce((SELECT json_agg(json_build_object('id', pc.user_id, 'displayName', u.display_name) ORDER BY pc.created_at, pc.user_id)
                     FROM portrait_co_authors pc JOIN users u ON u.id = pc.user_id WHERE pc.portrait_id = p.id), '[]') AS co_authors
    FROM portraits p
    JOIN candidates c ON c.id = p.candidate_id
    LEFT JOIN users lu ON lu.id = p.lead_author_id
    LEFT JOIN users eu ON eu.id = p.editor_id`;

/**
 * Portraits: their team (lead author, co-authors, editor) and their workflow, with the access to
 * their collaborative text that follows from both, and their named versions. Every change checks
 * the actor's role and the current state, writes its audit event in its transaction, and after
 * commit tells the collab instances, which downgrade or close open connections at once.
 */
@Injectable()
export class PortraitsService {
  private readonly logger = new Logger('Portraits');
  private readonly announcer: CollabAnnouncer;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: ProjectAccess,
    private readonly audit: AuditService,
    @Inject(REDIS) redis: Redis,
    @Inject(PUB_SUB) private readonly pubSub: RedisPubSub,
    @Inject(QUIRE_CONFIG) private readonly config: QuireConfig,
  ) {
    this.announcer = new CollabAnnouncer(redis, config.redisPrefix);
  }

  /** Editors make the portrait of a selected candidate (the selection of N makes them in bulk). */
  async create(actor: Actor, candidateId: string): Promise<PortraitDetails> {
    const id = await this.dataSource.transaction(async (tx) => {
      const candidates: { project_id: string; status: string }[] = await tx.query(`SELECT project_id, status FROM candidates WHERE id = $1 FOR SHARE`, [candidateId]);
      const candidate = candidates[0];
      if (!candidate || (await this.access.rolesOf(actor, candidate.project_id, tx)).length === 0) throw DomainError.notFound('Candidate', candidateId);
      await this.access.require(actor, candidate.project_id, EDITOR_ROLES, tx);
      if (candidate.status !== 'SELECTED') throw DomainError.invalidTransition('candidate', candidate.status, 'get a portrait (only selected candidates do)');
      const made: { id: string }[] = await tx.query(
        `INSERT INTO portraits (project_id, candidate_id, status) VALUES ($1, $2, 'UNASSIGNED') ON CONFLICT (candidate_id) DO NOTHING RETURNING id`,
        [candidate.project_id, candidateId],
      );
      if (!made.length) throw new DomainError(ErrorCode.CONFLICT, 'This candidate has a portrait already');
      await this.audit.record(tx, actor, { projectId: candidate.project_id, action: 'portrait.created', entityType: 'portrait', entityId: made[0].id, data: { candidateId } });
      return made[0].id;
    });
    return this.get(actor, id);
  }

  /** A portrait of a project the actor takes part in; others are reported as not found. */
  async get(actor: Actor, portraitId: string): Promise<PortraitDetails> {
    const rows: PortraitRow[] = await this.dataSource.query(`${PORTRAIT_ROWS} WHERE p.id = $1`, [portraitId]);
    const details = rows[0] && (await this.describe(actor, rows[0].project_id, rows))[0];
    if (!details || !details.myAccess) throw DomainError.notFound('Portrait', portraitId);
    return details;
  }

  async list(actor: Actor, projectId: string, status?: PortraitStatus | null): Promise<PortraitDetails[]> {
    await this.access.requireParticipant(actor, projectId);
    const rows: PortraitRow[] = await this.dataSource.query(
      `${PORTRAIT_ROWS} WHERE p.project_id = $1 AND ($2::text IS NULL OR p.status = $2) ORDER BY c.name, p.id`,
      [projectId, status ?? null],
    );
    return this.describe(actor, projectId, rows);
  }

  /** Editors set the whole team at once; the lead may only be left out while the portrait is UNASSIGNED. */
  async setTeam(actor: Actor, portraitId: string, input: PortraitTeamInput): Promise<PortraitDetails> {
    await this.dataSource.transaction(async (tx) => {
      const { portrait, team } = await this.lockedTeam(tx, actor, portraitId);
      await this.access.require(actor, portrait.projectId, EDITOR_ROLES, tx);
      if (portrait.status === 'FINAL') throw DomainError.invalidTransition('portrait', portrait.status, 'change its team');
      const next = { leadAuthorId: input.leadAuthorId, coAuthorIds: [...new Set(input.coAuthorIds)], editorId: input.editorId };
      throwIfProblems(await this.teamProblems(tx, portrait, next));
      await tx.update(Portrait, { id: portraitId }, { leadAuthorId: next.leadAuthorId, editorId: next.editorId });
      await tx.query(`DELETE FROM portrait_co_authors WHERE portrait_id = $1 AND NOT (user_id = ANY($2::uuid[]))`, [portraitId, next.coAuthorIds]);
      await tx.query(`INSERT INTO portrait_co_authors (portrait_id, user_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING`, [portraitId, next.coAuthorIds]);
      await this.audit.record(tx, actor, {
        projectId: portrait.projectId, action: 'portrait.team_set', entityType: 'portrait', entityId: portraitId,
        data: { from: { leadAuthorId: team.leadAuthorId, coAuthorIds: team.coAuthorIds, editorId: team.editorId }, to: next },
      });
    });
    await this.announceAccessChanged(portraitId);
    await this.announceChanged(portraitId);
    return this.get(actor, portraitId);
  }

  /** One step of the workflow, checked against the state and the actor's part; submitting and approving make a named version. */
  async transition(actor: Actor, portraitId: string, action: PortraitAction): Promise<PortraitDetails> {
    const transition = PORTRAIT_TRANSITIONS[action];
    await this.dataSource.transaction(async (tx) => {
      const { portrait, team } = await this.lockedTeam(tx, actor, portraitId);
      const roles = await this.access.requireParticipant(actor, portrait.projectId, tx);
      const userId = actor.kind === 'user' ? actor.userId : '';
      const allowed = isEditor(roles) || (transition.by === 'team' && isTeamAuthor(team, userId));
      if (!allowed) throw DomainError.forbidden(transition.by === 'editor' ? 'Only an editor does this' : "Only the portrait's authors or an editor do this");
      if (!transition.from.includes(portrait.status)) throw DomainError.invalidTransition('portrait', portrait.status, action.toLowerCase().replace(/_/g, ' '));
      if (action === 'START_DRAFTING' && !portrait.leadAuthorId) throw DomainError.badInput([{ field: 'leadAuthorId', message: 'Assign a lead author first' }]);
      if (transition.withinWordLimits) await this.requireWordLimits(tx, portrait, action);
      const from = portrait.status;
      await tx.update(Portrait, { id: portraitId }, { status: transition.to, statusChangedAt: () => 'now()' });
      await this.audit.record(tx, actor, { projectId: portrait.projectId, action: 'portrait.transitioned', entityType: 'portrait', entityId: portraitId, data: { action, from, to: transition.to } });
      if (transition.version) await this.makeVersion(tx, actor, portrait, transition.version, '');
    });
    await this.announceAccessChanged(portraitId);
    await this.announceChanged(portraitId);
    return this.get(actor, portraitId);
  }

  /**
   * The stored word count (derived from the text a couple of seconds after it changes) within the
   * project's limits, or a WORD_LIMIT error that says the count and the limits.
   */
  private async requireWordLimits(tx: EntityManager, portrait: Portrait, action: PortraitAction): Promise<void> {
    const [limits]: { min: number; max: number }[] = await tx.query(`SELECT word_limit_min AS min, word_limit_max AS max FROM projects WHERE id = $1`, [portrait.projectId]);
    const documentName = portraitDocumentName(portrait.id);
    const wordCount = (await new DocumentStore(sqlOfManager(tx)).derivedTexts([documentName])).get(documentName)?.wordCount ?? 0;
    if (wordCount >= limits.min && wordCount <= limits.max) return;
    const step = action === 'SUBMIT' ? 'be submitted' : 'be made final';
    throw new DomainError(
      ErrorCode.WORD_LIMIT,
      `The portrait has ${wordCount} words; it needs ${limits.min} to ${limits.max} words to ${step}`,
      { wordCount, wordLimitMin: limits.min, wordLimitMax: limits.max, action },
    );
  }

  async versions(actor: Actor, portraitId: string): Promise<PortraitVersion[]> {
    await this.get(actor, portraitId);
    const versions = await new DocumentStore(sqlOfManager(this.dataSource.manager)).versions(portraitDocumentName(portraitId));
    return this.withCreators(versions);
  }

  /** The plain text of a version, for reading it before restoring it. */
  async versionText(actor: Actor, portraitId: string, versionId: string): Promise<string> {
    await this.get(actor, portraitId);
    const version = await new DocumentStore(sqlOfManager(this.dataSource.manager)).version(versionId);
    if (!version || version.documentName !== portraitDocumentName(portraitId)) throw DomainError.notFound('Version', versionId);
    return DocumentStore.versionText(version.state).plainText;
  }

  /** A named version on demand, by whoever may write the text now, or an editor. */
  async createVersion(actor: Actor, portraitId: string, label: string): Promise<PortraitVersion> {
    const trimmed = label.trim();
    if (!trimmed || trimmed.length > MAX_LABEL) throw DomainError.badInput([{ field: 'label', message: `Give a label of 1-${MAX_LABEL} characters` }]);
    const version = await this.dataSource.transaction(async (tx) => {
      const { portrait, team } = await this.lockedTeam(tx, actor, portraitId);
      const roles = await this.access.requireParticipant(actor, portrait.projectId, tx);
      if (!isEditor(roles) && portraitAccess(team, actorId(actor), roles) !== 'read-write') throw DomainError.forbidden('Only who may write the portrait now, or an editor, saves a version');
      return this.makeVersion(tx, actor, portrait, 'MANUAL', trimmed);
    });
    await this.announceChanged(portraitId);
    return (await this.withCreators([version]))[0];
  }

  /**
   * Restores a version as a forward update appended to the log: the text becomes the version's
   * again while everyone stays connected, and edits made meanwhile merge. The state just before is
   * kept as a version of its own, so a restore can be undone by restoring that.
   */
  async restoreVersion(actor: Actor, portraitId: string, versionId: string): Promise<PortraitDetails> {
    const name = portraitDocumentName(portraitId);
    const restored = await this.dataSource.transaction(async (tx) => {
      const { portrait, team } = await this.lockedTeam(tx, actor, portraitId);
      const roles = await this.access.requireParticipant(actor, portrait.projectId, tx);
      if (portraitAccess(team, actorId(actor), roles) !== 'read-write') throw DomainError.forbidden('Only who may write the portrait now restores a version');
      const store = new DocumentStore(sqlOfManager(tx));
      const version = await store.version(versionId);
      if (!version || version.documentName !== name) throw DomainError.notFound('Version', versionId);
      await this.makeVersion(tx, actor, portrait, 'BEFORE_RESTORE', version.label);
      const appended = await store.restoreVersion(name, versionId);
      await this.audit.record(tx, actor, { projectId: portrait.projectId, action: 'portrait.version_restored', entityType: 'portrait', entityId: portraitId, data: { versionId, seq: appended.seq } });
      return appended;
    });
    await this.announcer.updateAppended(name, restored.seq, restored.update).catch((error) => this.logger.warn(`Announcing a restore failed (instances catch up from the log): ${error}`));
    await this.announceChanged(portraitId);
    return this.get(actor, portraitId);
  }

  /**
   * A signal after every committed change of the portrait's workflow state, team or versions, for
   * who may see the portrait (NOT_FOUND for others); each watcher then reads it as they may see it.
   */
  async changes(actor: Actor, portraitId: string): Promise<AsyncIterator<PortraitChangedMessage>> {
    await this.get(actor, portraitId);
    return this.pubSub.asyncIterator<PortraitChangedMessage>(Topics.portraitChanged(this.config.redisPrefix, portraitId));
  }

  /** The actor's access to a portrait's text now (null: none), with the portrait's project. */
  async accessOf(actor: Actor, portraitId: string): Promise<{ mode: AccessMode; documentName: string }> {
    const details = await this.get(actor, portraitId);
    return { mode: details.myAccess as AccessMode, documentName: details.documentName };
  }

  private async makeVersion(tx: EntityManager, actor: Actor, portrait: Portrait, kind: VersionKind, label: string): Promise<VersionRecord> {
    const version = await new DocumentStore(sqlOfManager(tx)).createVersion(portraitDocumentName(portrait.id), { kind, label, createdById: actor.kind === 'user' ? actor.userId : null });
    await this.audit.record(tx, actor, { projectId: portrait.projectId, action: 'portrait.version_created', entityType: 'portrait', entityId: portrait.id, data: { versionId: version.id, kind, label, seq: version.seq } });
    return version;
  }

  /** After commit: watchers of the portrait fetch it again (a lost signal leaves their screen as it was until reloaded). */
  private async announceChanged(portraitId: string): Promise<void> {
    const message: PortraitChangedMessage = { portraitId };
    await this.pubSub.publish(Topics.portraitChanged(this.config.redisPrefix, portraitId), message).catch((error) => this.logger.warn(`Announcing a portrait change failed: ${error}`));
  }

  private async announceAccessChanged(portraitId: string): Promise<void> {
    // Instances re-check every open connection now; if this is lost, their periodic re-check catches it.
    await this.announcer.accessChanged(portraitDocumentName(portraitId)).catch((error) => this.logger.warn(`Announcing an access change failed: ${error}`));
  }

  /** The portrait locked for the change, and its team; NOT_FOUND when the actor takes no part in its project. */
  private async lockedTeam(tx: EntityManager, actor: Actor, portraitId: string): Promise<{ portrait: Portrait; team: PortraitTeam }> {
    const portrait = await tx.findOne(Portrait, { where: { id: portraitId }, lock: { mode: 'pessimistic_write' } });
    if (!portrait || (await this.access.rolesOf(actor, portrait.projectId, tx)).length === 0) throw DomainError.notFound('Portrait', portraitId);
    const coAuthors: { user_id: string }[] = await tx.query(`SELECT user_id FROM portrait_co_authors WHERE portrait_id = $1`, [portraitId]);
    return { portrait, team: { status: portrait.status, leadAuthorId: portrait.leadAuthorId, editorId: portrait.editorId, coAuthorIds: coAuthors.map((c) => c.user_id) } };
  }

  private async teamProblems(tx: EntityManager, portrait: Portrait, team: PortraitTeamInput): Promise<FieldProblem[]> {
    const problems: FieldProblem[] = [];
    const ids = [team.leadAuthorId, team.editorId, ...team.coAuthorIds].filter((id): id is string => id !== null);
    if (ids.some((id) => !isUuid(id))) return [{ field: 'team', message: 'Not a valid id' }];
    const roles = await projectRolesOf(tx, portrait.projectId, ids);
    const holds = (id: string, role: ProjectRole): boolean => (roles.get(id) ?? []).includes(role);
    if (!team.leadAuthorId && portrait.status !== 'UNASSIGNED') problems.push({ field: 'leadAuthorId', message: 'A portrait past UNASSIGNED keeps a lead author' });
    if (team.leadAuthorId && !holds(team.leadAuthorId, ProjectRole.AUTHOR)) problems.push({ field: 'leadAuthorId', message: 'The lead author must be an author in this project' });
    if (team.coAuthorIds.length > MAX_CO_AUTHORS) problems.push({ field: 'coAuthorIds', message: `At most ${MAX_CO_AUTHORS} co-authors` });
    if (team.leadAuthorId && team.coAuthorIds.includes(team.leadAuthorId)) problems.push({ field: 'coAuthorIds', message: 'The lead author is not also a co-author' });
    for (const id of team.coAuthorIds) if (!holds(id, ProjectRole.AUTHOR)) problems.push({ field: 'coAuthorIds', message: `${id} is not an author in this project` });
    if (team.editorId && !holds(team.editorId, ProjectRole.EDITOR)) problems.push({ field: 'editorId', message: 'The editor must be an editor in this project' });
    return problems;
  }

  private async describe(actor: Actor, projectId: string, rows: PortraitRow[]): Promise<PortraitDetails[]> {
    const roles = await this.access.rolesOf(actor, projectId);
    const userId = actorId(actor);
    const derived = await new DocumentStore(sqlOfManager(this.dataSource.manager)).derivedTexts(rows.map((r) => portraitDocumentName(r.id)));
    return rows.map((row) => {
      const team: PortraitTeam = { status: row.status, leadAuthorId: row.lead_author_id, editorId: row.editor_id, coAuthorIds: row.co_authors.map((c) => c.id) };
      const text = derived.get(portraitDocumentName(row.id));
      return {
        id: row.id,
        projectId: row.project_id,
        candidateId: row.candidate_id,
        candidateName: row.candidate_name,
        status: row.status,
        statusChangedAt: row.status_changed_at,
        createdAt: row.created_at,
        leadAuthor: row.lead_author_id ? { id: row.lead_author_id, displayName: row.lead_author_name ?? '' } : null,
        coAuthors: row.co_authors,
        editor: row.editor_id ? { id: row.editor_id, displayName: row.editor_name ?? '' } : null,
        documentName: portraitDocumentName(row.id),
        wordCount: text?.wordCount ?? 0,
        headings: text?.headings ?? [],
        myAccess: portraitAccess(team, userId, roles),
        myActions: availableActions(team, userId, roles),
      };
    });
  }

  private async withCreators(versions: VersionRecord[]): Promise<PortraitVersion[]> {
    const ids = [...new Set(versions.map((v) => v.createdById).filter((id): id is string => id !== null))];
    const users: PortraitPerson[] = ids.length ? await this.dataSource.query(`SELECT id, display_name AS "displayName" FROM users WHERE id = ANY($1::uuid[])`, [ids]) : [];
    const byId = new Map(users.map((u) => [u.id, u]));
    return versions.map((v) => ({ ...v, createdBy: v.createdById ? (byId.get(v.createdById) ?? null) : null }));
  }
}

/** Project roles of several people at once (installation admins hold every role, as in ProjectAccess). */
export async function projectRolesOf(em: EntityManager, projectId: string, userIds: readonly string[]): Promise<Map<string, ProjectRole[]>> {
  const rows: { id: string; installation_admin: boolean; roles: ProjectRole[] | null }[] = await em.query(
    `SELECT u.id, u.installation_admin, m.roles FROM users u LEFT JOIN project_memberships m ON m.user_id = u.id AND m.project_id = $1 WHERE u.id = ANY($2::uuid[])`,
    [projectId, userIds],
  );
  return new Map(rows.map((r) => [r.id, rolesHeld(r.installation_admin, r.roles)]));
}

/** The project roles a person holds, from their membership's roles (null: not a member); installation admins hold every role. */
export function rolesHeld(installationAdmin: boolean, membershipRoles: ProjectRole[] | null): ProjectRole[] {
  return installationAdmin ? [...ALL_PROJECT_ROLES] : (membershipRoles ?? []);
}

function actorId(actor: Actor): string {
  return actor.kind === 'user' ? actor.userId : '';
}

function throwIfProblems(problems: FieldProblem[]): void {
  if (problems.length) throw DomainError.badInput(problems);
}
