import { AccessMode } from '@quire/collab-core';
import { ProjectRole } from '@quire/core';
import type { PortraitStatus } from './portrait.entity';

export type PortraitAction = 'START_DRAFTING' | 'SUBMIT' | 'START_REVIEW' | 'REQUEST_CHANGES' | 'APPROVE' | 'REOPEN' | 'FINALIZE';
export const PORTRAIT_ACTIONS: readonly PortraitAction[] = ['START_DRAFTING', 'SUBMIT', 'START_REVIEW', 'REQUEST_CHANGES', 'APPROVE', 'REOPEN', 'FINALIZE'];

/** Kinds of named versions: made by hand, or automatically when a portrait is submitted or approved, or just before a restore. */
export type VersionKind = 'MANUAL' | 'SUBMITTED' | 'APPROVED' | 'BEFORE_RESTORE';
export const VERSION_KINDS: readonly VersionKind[] = ['MANUAL', 'SUBMITTED', 'APPROVED', 'BEFORE_RESTORE'];

/** Editors run the workflow (the project's EDITOR and ADMIN roles, as for moderation). */
export const EDITOR_ROLES: readonly ProjectRole[] = [ProjectRole.EDITOR, ProjectRole.ADMIN];

interface Transition {
  from: readonly PortraitStatus[];
  to: PortraitStatus;
  /** 'team': the portrait's lead or co-authors, and editors on their behalf. */
  by: 'editor' | 'team';
  /** A named version made in the same transaction. */
  version?: VersionKind;
  /** The stored word count must be within the project's wordLimitMin and wordLimitMax. */
  withinWordLimits?: boolean;
}

/** The portrait workflow: UNASSIGNED -> DRAFTING -> SUBMITTED -> IN_REVIEW -> CHANGES_REQUESTED -> ... -> APPROVED -> FINAL. */
export const PORTRAIT_TRANSITIONS: Readonly<Record<PortraitAction, Transition>> = {
  START_DRAFTING: { from: ['UNASSIGNED'], to: 'DRAFTING', by: 'editor' },
  SUBMIT: { from: ['DRAFTING', 'CHANGES_REQUESTED'], to: 'SUBMITTED', by: 'team', version: 'SUBMITTED', withinWordLimits: true },
  START_REVIEW: { from: ['SUBMITTED'], to: 'IN_REVIEW', by: 'editor' },
  REQUEST_CHANGES: { from: ['IN_REVIEW'], to: 'CHANGES_REQUESTED', by: 'editor' },
  APPROVE: { from: ['IN_REVIEW'], to: 'APPROVED', by: 'editor', version: 'APPROVED' },
  REOPEN: { from: ['APPROVED'], to: 'IN_REVIEW', by: 'editor' },
  FINALIZE: { from: ['APPROVED'], to: 'FINAL', by: 'editor', withinWordLimits: true },
};

export interface PortraitTeam {
  status: PortraitStatus;
  leadAuthorId: string | null;
  coAuthorIds: readonly string[];
  editorId: string | null;
}

export function isTeamAuthor(team: PortraitTeam, userId: string): boolean {
  return team.leadAuthorId === userId || team.coAuthorIds.includes(userId);
}

export function isEditor(roles: readonly ProjectRole[]): boolean {
  return roles.some((role) => EDITOR_ROLES.includes(role));
}

/**
 * Who may write a portrait's text follows its team and state: the lead and co-authors while
 * drafting or handling requested changes, editors (the portrait's editor and the project's
 * editors) during review, nobody otherwise and never once FINAL. Everyone else who takes part in
 * the project reads. Null: no access at all.
 */
export function portraitAccess(team: PortraitTeam, userId: string, roles: readonly ProjectRole[]): AccessMode | null {
  if (roles.length === 0) return null;
  switch (team.status) {
    case 'DRAFTING':
    case 'CHANGES_REQUESTED':
      return isTeamAuthor(team, userId) ? 'read-write' : 'read-only';
    case 'IN_REVIEW':
      return team.editorId === userId || isEditor(roles) ? 'read-write' : 'read-only';
    default:
      return 'read-only';
  }
}

/** The workflow actions `userId` may take on the portrait now. */
export function availableActions(team: PortraitTeam, userId: string, roles: readonly ProjectRole[]): PortraitAction[] {
  return PORTRAIT_ACTIONS.filter((action) => {
    const transition = PORTRAIT_TRANSITIONS[action];
    if (!transition.from.includes(team.status)) return false;
    if (action === 'START_DRAFTING' && !team.leadAuthorId) return false;
    return isEditor(roles) || (transition.by === 'team' && isTeamAuthor(team, userId));
  });
}

/** The Yjs document of a portrait. */
export function portraitDocumentName(portraitId: string): string {
  return `portrait:${portraitId}`;
}

const PORTRAIT_DOCUMENT = /^portrait:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** The portrait a document name belongs to, or null for a name that is not a portrait's. */
export function portraitIdOf(documentName: string): string | null {
  return PORTRAIT_DOCUMENT.exec(documentName)?.[1] ?? null;
}
