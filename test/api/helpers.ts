import { createHash } from 'node:crypto';
import { ProjectRole } from '@quire/core';
import { GraphQLClient, TestApp } from '@quire/testing';

/** The operations these suites call, written as a web app or API client would send them. */
export const OPS = {
  me: '{ me { id email displayName } }',
  signIn: 'mutation($input: SignInInput!) { signIn(input: $input) { token expiresAt user { id email } } }',
  signOut: 'mutation { signOut }',
  signUp: 'mutation($input: SignUpInput!) { signUp(input: $input) { token user { id email } } }',
  requestPasswordReset: 'mutation($email: String!) { requestPasswordReset(email: $email) }',
  resetPassword: 'mutation($token: String!, $password: String!) { resetPassword(token: $token, password: $password) { token user { id } } }',
  updateMyProfile: 'mutation($input: UpdateProfileInput!) { updateMyProfile(input: $input) { id displayName locale } }',
  createProject: 'mutation($input: CreateProjectInput!) { createProject(input: $input) { id slug title language targetPortraitCount wordLimitMin wordLimitMax selfSignUp allowedEmailDomains myRoles } }',
  updateProject: 'mutation($id: ID!, $input: UpdateProjectInput!) { updateProject(id: $id, input: $input) { id title description selfSignUp allowedEmailDomains wordLimitMin wordLimitMax } }',
  project: 'query($slug: String!) { project(slug: $slug) { id slug title myRoles } }',
  projects: '{ projects { id slug myRoles } }',
  inviteMember: 'mutation($projectId: ID!, $input: InviteInput!) { inviteMember(projectId: $projectId, input: $input) { acceptUrl invitation { id email roles expiresAt acceptedAt } } }',
  invitation: 'query($token: String!) { invitation(token: $token) { email projectTitle projectSlug roles accountExists } }',
  acceptInvitation: 'mutation($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { token user { id email } } }',
  invitations: 'query($projectId: ID!, $first: Int, $after: String) { invitations(projectId: $projectId, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { id email roles } } }',
  members: 'query($projectId: ID!, $first: Int, $after: String, $role: ProjectRole) { members(projectId: $projectId, first: $first, after: $after, role: $role) { totalCount pageInfo { hasNextPage endCursor } nodes { roles user { id email displayName } } } }',
  setMemberRoles: 'mutation($projectId: ID!, $userId: ID!, $roles: [ProjectRole!]!) { setMemberRoles(projectId: $projectId, userId: $userId, roles: $roles) }',
  auditEvents: 'query($projectId: ID!, $first: Int, $after: String, $filter: AuditFilterInput) { auditEvents(projectId: $projectId, first: $first, after: $after, filter: $filter) { totalCount pageInfo { hasNextPage endCursor } nodes { id action entityType entityId actorId actorKind data requestId } } }',
} as const;

export { anonymous, expectRefused } from '@quire/testing';

/** SHA-256 hex, computed here rather than with the code under test. */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The secret at the end of a link such as `/invitation/<token>`. */
export function tokenOf(link: string): string {
  return link.slice(link.lastIndexOf('/') + 1);
}

/** The newest e-mail queued (in the outbox) for `to`. */
export async function lastMailTo(t: TestApp, to: string): Promise<Record<string, string>> {
  const rows: { payload: Record<string, string> }[] = await t.dataSource.query(
    `SELECT payload FROM outbox WHERE queue = 'email' AND payload->>'to' = $1 ORDER BY id DESC LIMIT 1`,
    [to],
  );
  if (!rows.length) throw new Error(`No e-mail to ${to} in the outbox`);
  return rows[0].payload;
}

/** Invites `email` as `inviter` and returns the token of the link (shown once). */
export async function invite(inviter: GraphQLClient, projectId: string, email: string, roles: ProjectRole[]): Promise<{ token: string; id: string }> {
  const data = await inviter.data<{ inviteMember: { acceptUrl: string; invitation: { id: string } } }>(OPS.inviteMember, { projectId, input: { email, roles } });
  return { token: tokenOf(data.inviteMember.acceptUrl), id: data.inviteMember.invitation.id };
}

let unique = 0;
/** An address no other test uses. */
export function freshEmail(domain = 'example.org'): string {
  return `someone${++unique}-${process.pid}-${Date.now().toString(36)}@${domain}`;
}
