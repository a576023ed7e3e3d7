// Where each screen lives, so links and redirects agree with the routes in App.tsx.

const project = (slug: string): string => `/p/${encodeURIComponent(slug)}`;
const round = (slug: string, roundId: string): string => `${project(slug)}/rounds/${encodeURIComponent(roundId)}`;

export const paths = {
  project,
  newRound: (slug: string) => `${project(slug)}/rounds/new`,
  round,
  nominate: (slug: string, roundId: string) => `${round(slug, roundId)}/nominate`,
  roundSettings: (slug: string, roundId: string) => `${round(slug, roundId)}/settings`,
  leaderboard: (slug: string, roundId: string) => `${round(slug, roundId)}/leaderboard`,
  roundResults: (slug: string, roundId: string) => `${round(slug, roundId)}/results`,
  selection: (slug: string, roundId: string) => `${round(slug, roundId)}/selection`,
  candidate: (slug: string, candidateId: string) => `${project(slug)}/candidates/${encodeURIComponent(candidateId)}`,
  moderation: (slug: string) => `${project(slug)}/moderation`,
  portraits: (slug: string) => `${project(slug)}/portraits`,
  portrait: (slug: string, portraitId: string) => `${project(slug)}/portraits/${encodeURIComponent(portraitId)}`,
  notifications: '/notifications',
};
