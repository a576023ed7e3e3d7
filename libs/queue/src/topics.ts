/**
 * Live-update topics (GraphQL subscriptions over Redis pub/sub), named in one place so publisher
 * and subscriber agree; the installation's Redis prefix keeps installations and test runs apart.
 */
export const Topics = {
  projectUpdated: (prefix: string, projectId: string): string => `${prefix}:topic:project-updated:${projectId}`,
  notificationAdded: (prefix: string, userId: string): string => `${prefix}:topic:notification-added:${userId}`,
  /** Sessions ended (signed out, or all of a person's after a password reset): api processes forget them. */
  sessionsRevoked: (prefix: string): string => `${prefix}:topic:sessions-revoked`,
  /** A portrait's workflow state, team or versions changed: watchers fetch it again as they may see it. */
  portraitChanged: (prefix: string, portraitId: string): string => `${prefix}:topic:portrait-changed:${portraitId}`,
  leaderboardChanged: (prefix: string, roundId: string): string => `${prefix}:topic:leaderboard-changed:${roundId}`,
  /** A round's phase or settings changed: watchers fetch it again as they may see it. */
  roundChanged: (prefix: string, roundId: string): string => `${prefix}:topic:round-changed:${roundId}`,
} as const;
