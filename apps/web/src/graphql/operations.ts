import { gql } from '@apollo/client';
import type { TypedDocumentNode } from '@apollo/client';
import type { Locale } from '../i18n';

// The operations the web app sends, each typed by hand after the api's schema
// (libs/domain/*/src/*.model.ts). Dates arrive as ISO strings.

export type ProjectRole = 'MEMBER' | 'AUTHOR' | 'EDITOR' | 'ADMIN';
export const PROJECT_ROLES: readonly ProjectRole[] = ['MEMBER', 'AUTHOR', 'EDITOR', 'ADMIN'];

export type NoVariables = Record<string, never>;

export interface Me {
  id: string;
  displayName: string;
  email: string | null;
  locale: Locale;
  installationAdmin: boolean;
}

const ME_FIELDS = gql`
  fragment MeFields on User {
    id
    displayName
    email
    locale
    installationAdmin
  }
`;

interface AuthPayload {
  user: Me;
}

export interface Connection<T> {
  nodes: T[];
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

export const ME: TypedDocumentNode<{ me: Me | null }, NoVariables> = gql`
  query Me {
    me {
      ...MeFields
    }
  }
  ${ME_FIELDS}
`;

export const AUTH_CONFIG: TypedDocumentNode<{ authConfig: { oidcEnabled: boolean; oidcLabel: string } }, NoVariables> = gql`
  query AuthConfig {
    authConfig {
      oidcEnabled
      oidcLabel
    }
  }
`;

export const SIGN_IN: TypedDocumentNode<{ signIn: AuthPayload }, { input: { email: string; password: string } }> = gql`
  mutation SignIn($input: SignInInput!) {
    signIn(input: $input) {
      user {
        ...MeFields
      }
    }
  }
  ${ME_FIELDS}
`;

export const SIGN_OUT: TypedDocumentNode<{ signOut: boolean }, NoVariables> = gql`
  mutation SignOut {
    signOut
  }
`;

export const SIGN_UP: TypedDocumentNode<
  { signUp: AuthPayload },
  { input: { projectSlug: string; email: string; displayName: string; password: string; locale: Locale } }
> = gql`
  mutation SignUp($input: SignUpInput!) {
    signUp(input: $input) {
      user {
        ...MeFields
      }
    }
  }
  ${ME_FIELDS}
`;

export const REQUEST_PASSWORD_RESET: TypedDocumentNode<{ requestPasswordReset: boolean }, { email: string }> = gql`
  mutation RequestPasswordReset($email: String!) {
    requestPasswordReset(email: $email)
  }
`;

export const RESET_PASSWORD: TypedDocumentNode<{ resetPassword: AuthPayload }, { token: string; password: string }> = gql`
  mutation ResetPassword($token: String!, $password: String!) {
    resetPassword(token: $token, password: $password) {
      user {
        ...MeFields
      }
    }
  }
  ${ME_FIELDS}
`;

export const UPDATE_MY_PROFILE: TypedDocumentNode<{ updateMyProfile: Me }, { input: { displayName?: string; locale?: Locale } }> = gql`
  mutation UpdateMyProfile($input: UpdateProfileInput!) {
    updateMyProfile(input: $input) {
      ...MeFields
    }
  }
  ${ME_FIELDS}
`;

export interface InvitationPreview {
  email: string;
  projectTitle: string;
  projectSlug: string;
  roles: ProjectRole[];
  expiresAt: string;
  accountExists: boolean;
}

export const INVITATION: TypedDocumentNode<{ invitation: InvitationPreview }, { token: string }> = gql`
  query Invitation($token: String!) {
    invitation(token: $token) {
      email
      projectTitle
      projectSlug
      roles
      expiresAt
      accountExists
    }
  }
`;

export const ACCEPT_INVITATION: TypedDocumentNode<
  { acceptInvitation: AuthPayload },
  { input: { token: string; displayName?: string; password?: string; locale?: Locale } }
> = gql`
  mutation AcceptInvitation($input: AcceptInvitationInput!) {
    acceptInvitation(input: $input) {
      user {
        ...MeFields
      }
    }
  }
  ${ME_FIELDS}
`;

export interface ProjectSummary {
  id: string;
  slug: string;
  title: string;
  description: string;
  myRoles: ProjectRole[];
}

export const PROJECTS: TypedDocumentNode<{ projects: ProjectSummary[] }, NoVariables> = gql`
  query Projects {
    projects {
      id
      slug
      title
      description
      myRoles
    }
  }
`;

export interface ProjectSettings {
  title: string;
  description: string;
  language: Locale;
  targetPortraitCount: number;
  wordLimitMin: number;
  wordLimitMax: number;
  selfSignUp: boolean;
  allowedEmailDomains: string[];
  /** How many reports hide a nomination or comment until a moderator decides. */
  reportThreshold: number;
}

export interface Project extends ProjectSummary, ProjectSettings {}

const PROJECT_FIELDS = gql`
  fragment ProjectFields on Project {
    id
    slug
    title
    description
    language
    targetPortraitCount
    wordLimitMin
    wordLimitMax
    selfSignUp
    allowedEmailDomains
    reportThreshold
  }
`;

export const PROJECT: TypedDocumentNode<{ project: Project }, { slug: string }> = gql`
  query Project($slug: String!) {
    project(slug: $slug) {
      ...ProjectFields
      myRoles
    }
  }
  ${PROJECT_FIELDS}
`;

/** An installation admin starts a book project; they become its first admin. */
export const CREATE_PROJECT: TypedDocumentNode<{ createProject: { id: string; slug: string; title: string } }, { input: { slug: string; title: string } }> = gql`
  mutation CreateProject($input: CreateProjectInput!) {
    createProject(input: $input) {
      id
      slug
      title
    }
  }
`;

/** Keeps an open project page current when an admin changes its settings elsewhere. */
export const PROJECT_UPDATED: TypedDocumentNode<{ projectUpdated: Omit<Project, 'myRoles'> }, { projectId: string }> = gql`
  subscription ProjectUpdated($projectId: ID!) {
    projectUpdated(projectId: $projectId) {
      ...ProjectFields
    }
  }
  ${PROJECT_FIELDS}
`;

export const UPDATE_PROJECT: TypedDocumentNode<{ updateProject: Omit<Project, 'myRoles'> }, { id: string; input: Partial<ProjectSettings> }> = gql`
  mutation UpdateProject($id: ID!, $input: UpdateProjectInput!) {
    updateProject(id: $id, input: $input) {
      ...ProjectFields
    }
  }
  ${PROJECT_FIELDS}
`;

export interface ProjectMember {
  user: { id: string; displayName: string; email: string | null };
  roles: ProjectRole[];
  since: string;
}

export const MEMBERS: TypedDocumentNode<{ members: Connection<ProjectMember> }, { projectId: string; first: number; after?: string | null }> = gql`
  query Members($projectId: ID!, $first: Int!, $after: String) {
    members(projectId: $projectId, first: $first, after: $after) {
      nodes {
        user {
          id
          displayName
          email
        }
        roles
        since
      }
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

export interface Invitation {
  id: string;
  email: string;
  roles: ProjectRole[];
  createdAt: string;
  expiresAt: string;
  acceptedAt: string | null;
}

/** A project's invitations, newest first (editors and admins). */
export const INVITATIONS: TypedDocumentNode<{ invitations: Connection<Invitation> }, { projectId: string; first: number; after?: string | null }> = gql`
  query Invitations($projectId: ID!, $first: Int!, $after: String) {
    invitations(projectId: $projectId, first: $first, after: $after) {
      nodes {
        id
        email
        roles
        createdAt
        expiresAt
        acceptedAt
      }
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

/** Admins replace a member's roles; no roles at all takes them out of the project. */
export const SET_MEMBER_ROLES: TypedDocumentNode<{ setMemberRoles: ProjectRole[] }, { projectId: string; userId: string; roles: ProjectRole[] }> = gql`
  mutation SetMemberRoles($projectId: ID!, $userId: ID!, $roles: [ProjectRole!]!) {
    setMemberRoles(projectId: $projectId, userId: $userId, roles: $roles)
  }
`;

export const INVITE_MEMBER: TypedDocumentNode<
  { inviteMember: { acceptUrl: string; invitation: { id: string; email: string } } },
  { projectId: string; input: { email: string; roles: ProjectRole[]; locale: Locale } }
> = gql`
  mutation InviteMember($projectId: ID!, $input: InviteInput!) {
    inviteMember(projectId: $projectId, input: $input) {
      acceptUrl
      invitation {
        id
        email
      }
    }
  }
`;

export interface AuditEvent {
  id: string;
  actorId: string | null;
  actorKind: string;
  action: string;
  entityType: string;
  entityId: string;
  data: string;
  createdAt: string;
}

export const AUDIT_EVENTS: TypedDocumentNode<{ auditEvents: Connection<AuditEvent> }, { projectId: string; first: number; after?: string | null }> = gql`
  query AuditEvents($projectId: ID!, $first: Int!, $after: String) {
    auditEvents(projectId: $projectId, first: $first, after: $after) {
      nodes {
        id
        actorId
        actorKind
        action
        entityType
        entityId
        data
        createdAt
      }
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;
