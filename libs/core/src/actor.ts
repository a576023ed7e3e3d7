/** Roles a person holds within one book project; a person may hold several. */
export enum ProjectRole {
  MEMBER = 'MEMBER',
  AUTHOR = 'AUTHOR',
  EDITOR = 'EDITOR',
  ADMIN = 'ADMIN',
}

export const ALL_PROJECT_ROLES: readonly ProjectRole[] = Object.values(ProjectRole);

/** Who is asking. Domain services receive this and check permissions themselves. */
export type Actor =
  | { kind: 'anonymous'; requestId?: string }
  | { kind: 'user'; userId: string; installationAdmin: boolean; requestId?: string }
  | { kind: 'system'; reason: string; requestId?: string };

export const ANONYMOUS: Actor = { kind: 'anonymous' };

export function systemActor(reason: string): Actor {
  return { kind: 'system', reason };
}

export function actorUserId(actor: Actor): string | null {
  return actor.kind === 'user' ? actor.userId : null;
}

/** The languages Quire speaks; a person's locale and a book's language. */
export const Locale = { nl: 'nl', en: 'en' } as const;
export type Locale = (typeof Locale)[keyof typeof Locale];
