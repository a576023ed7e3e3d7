export * from './user.entity';
export * from './session.entity';
export * from './invitation.entity';
export * from './password-reset.entity';
export * from './secrets';
export * from './session-cookie';
export * from './sessions.service';
export * from './users.service';
export * from './invitations.service';
export * from './password-resets.service';
export * from './oidc.service';
export * from './identity.module';
export * from './identity.model';

import { Invitation } from './invitation.entity';
import { PasswordReset } from './password-reset.entity';
import { Session } from './session.entity';
import { User } from './user.entity';
export const IDENTITY_ENTITIES = [User, Session, Invitation, PasswordReset];
