import { gql } from '@apollo/client';
import type { TypedDocumentNode } from '@apollo/client';
import type { Connection } from './operations';

// Portraits, their team and workflow, named versions and collaboration tickets, typed by hand
// after libs/domain/manuscripts/src/manuscripts.model.ts. Dates arrive as ISO strings.

export const PORTRAIT_STATUSES = ['UNASSIGNED', 'DRAFTING', 'SUBMITTED', 'IN_REVIEW', 'CHANGES_REQUESTED', 'APPROVED', 'FINAL'] as const;
export type PortraitStatus = (typeof PORTRAIT_STATUSES)[number];

export const PORTRAIT_ACTIONS = ['START_DRAFTING', 'SUBMIT', 'START_REVIEW', 'REQUEST_CHANGES', 'APPROVE', 'REOPEN', 'FINALIZE'] as const;
export type PortraitAction = (typeof PORTRAIT_ACTIONS)[number];

export type PortraitVersionKind = 'MANUAL' | 'SUBMITTED' | 'APPROVED' | 'BEFORE_RESTORE';

/** What a collaboration connection may do with the text. */
export type CollabAccess = 'READ_WRITE' | 'READ_ONLY';

export interface PortraitPerson {
  id: string;
  displayName: string;
}

export interface Portrait {
  id: string;
  projectId: string;
  candidateId: string;
  candidateName: string;
  status: PortraitStatus;
  statusChangedAt: string;
  leadAuthor: PortraitPerson | null;
  coAuthors: PortraitPerson[];
  editor: PortraitPerson | null;
  documentName: string;
  /** Words in the text as the server last extracted them (a few seconds after changes). */
  wordCount: number;
  myAccess: CollabAccess;
  myActions: PortraitAction[];
}

const PORTRAIT_FIELDS = gql`
  fragment PortraitFields on Portrait {
    id
    projectId
    candidateId
    candidateName
    status
    statusChangedAt
    leadAuthor {
      id
      displayName
    }
    coAuthors {
      id
      displayName
    }
    editor {
      id
      displayName
    }
    documentName
    wordCount
    myAccess
    myActions
  }
`;

export const PORTRAITS: TypedDocumentNode<{ portraits: Portrait[] }, { projectId: string }> = gql`
  query Portraits($projectId: ID!) {
    portraits(projectId: $projectId) {
      ...PortraitFields
    }
  }
  ${PORTRAIT_FIELDS}
`;

export const PORTRAIT: TypedDocumentNode<{ portrait: Portrait }, { id: string }> = gql`
  query Portrait($id: ID!) {
    portrait(id: $id) {
      ...PortraitFields
    }
  }
  ${PORTRAIT_FIELDS}
`;

/** The portrait again after someone else's workflow step, team change or saved version, as I may see it. */
export const PORTRAIT_CHANGED: TypedDocumentNode<{ portraitChanged: Portrait }, { portraitId: string }> = gql`
  subscription PortraitChanged($portraitId: ID!) {
    portraitChanged(portraitId: $portraitId) {
      ...PortraitFields
    }
  }
  ${PORTRAIT_FIELDS}
`;

export interface PortraitTeamInput {
  leadAuthorId: string | null;
  coAuthorIds: string[];
  editorId: string | null;
}

export const SET_PORTRAIT_TEAM: TypedDocumentNode<{ setPortraitTeam: Portrait }, { portraitId: string; team: PortraitTeamInput }> = gql`
  mutation SetPortraitTeam($portraitId: ID!, $team: PortraitTeamInput!) {
    setPortraitTeam(portraitId: $portraitId, team: $team) {
      ...PortraitFields
    }
  }
  ${PORTRAIT_FIELDS}
`;

export const TRANSITION_PORTRAIT: TypedDocumentNode<{ transitionPortrait: Portrait }, { portraitId: string; action: PortraitAction }> = gql`
  mutation TransitionPortrait($portraitId: ID!, $action: PortraitAction!) {
    transitionPortrait(portraitId: $portraitId, action: $action) {
      ...PortraitFields
    }
  }
  ${PORTRAIT_FIELDS}
`;

/** Who can be on a portrait's team: the project's authors and editors. */
export const TEAM_CHOICES: TypedDocumentNode<
  { authors: Connection<{ user: PortraitPerson }>; editors: Connection<{ user: PortraitPerson }> },
  { projectId: string; first: number }
> = gql`
  query TeamChoices($projectId: ID!, $first: Int!) {
    authors: members(projectId: $projectId, role: AUTHOR, first: $first) {
      nodes {
        user {
          id
          displayName
        }
      }
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
    }
    editors: members(projectId: $projectId, role: EDITOR, first: $first) {
      nodes {
        user {
          id
          displayName
        }
      }
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

export interface PortraitVersion {
  id: string;
  kind: PortraitVersionKind;
  label: string;
  createdAt: string;
  createdBy: PortraitPerson | null;
}

const VERSION_FIELDS = gql`
  fragment PortraitVersionFields on PortraitVersion {
    id
    kind
    label
    createdAt
    createdBy {
      id
      displayName
    }
  }
`;

export const PORTRAIT_VERSIONS: TypedDocumentNode<{ portraitVersions: PortraitVersion[] }, { portraitId: string }> = gql`
  query PortraitVersions($portraitId: ID!) {
    portraitVersions(portraitId: $portraitId) {
      ...PortraitVersionFields
    }
  }
  ${VERSION_FIELDS}
`;

export const PORTRAIT_VERSION_TEXT: TypedDocumentNode<{ portraitVersionText: string }, { portraitId: string; versionId: string }> = gql`
  query PortraitVersionText($portraitId: ID!, $versionId: ID!) {
    portraitVersionText(portraitId: $portraitId, versionId: $versionId)
  }
`;

export const CREATE_PORTRAIT_VERSION: TypedDocumentNode<{ createPortraitVersion: PortraitVersion }, { portraitId: string; label: string }> = gql`
  mutation CreatePortraitVersion($portraitId: ID!, $label: String!) {
    createPortraitVersion(portraitId: $portraitId, input: { label: $label }) {
      ...PortraitVersionFields
    }
  }
  ${VERSION_FIELDS}
`;

export const RESTORE_PORTRAIT_VERSION: TypedDocumentNode<{ restorePortraitVersion: Portrait }, { portraitId: string; versionId: string }> = gql`
  mutation RestorePortraitVersion($portraitId: ID!, $versionId: ID!) {
    restorePortraitVersion(portraitId: $portraitId, versionId: $versionId) {
      ...PortraitFields
    }
  }
  ${PORTRAIT_FIELDS}
`;

export interface CollabTicket {
  ticket: string;
  /** The WebSocket address; the document name follows it. */
  url: string;
  documentName: string;
  expiresAt: string;
  access: CollabAccess;
}

export const COLLAB_TICKET: TypedDocumentNode<{ collabTicket: CollabTicket }, { portraitId: string }> = gql`
  mutation CollabTicket($portraitId: ID!) {
    collabTicket(portraitId: $portraitId) {
      ticket
      url
      documentName
      expiresAt
      access
    }
  }
`;
