import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull } from 'typeorm';
import { QUIRE_CONFIG, QuireConfig } from '@quire/config';
import { Actor, DomainError, ErrorCode } from '@quire/core';
import { AuditService } from '@quire/domain/audit';
import { enqueue } from '@quire/queue';
import { PasswordReset } from './password-reset.entity';
import { AuthRateLimiter } from './rate-limit.service';
import { emailProblems, hashPassword, hashToken, newToken, normaliseEmail, passwordProblems } from './secrets';
import { SessionsService } from './sessions.service';
import { User } from './user.entity';
import { UsersService } from './users.service';

@Injectable()
export class PasswordResetsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(QUIRE_CONFIG) private readonly config: QuireConfig,
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
    private readonly rateLimiter: AuthRateLimiter,
  ) {}

  /** Always answers the same, whether or not the address has an account (no account probing). */
  async request(email: string, clientAddress?: string): Promise<void> {
    const account = normaliseEmail(email);
    const problems = emailProblems(account);
    if (problems.length) throw DomainError.badInput(problems);
    await this.rateLimiter.consume(`reset:${account}`, clientAddress);
    await this.dataSource.transaction(async (tx) => {
      const user = await this.users.findByEmail(email, tx);
      if (!user) return;
      const token = newToken();
      const expiresAt = new Date(Date.now() + this.config.passwordResetTtlMinutes * 60_000);
      const reset = await tx.save(tx.create(PasswordReset, { userId: user.id, tokenHash: hashToken(token), expiresAt, usedAt: null }));
      await enqueue(tx, 'email', 'send', {
        template: 'password-reset', to: user.email, locale: user.locale, displayName: user.displayName,
        resetUrl: `${this.config.publicUrl}/reset-password/${token}`, expiresAt: expiresAt.toISOString(),
      });
      await this.audit.record(tx, { kind: 'anonymous' }, { projectId: null, action: 'password_reset.requested', entityType: 'user', entityId: user.id, data: { resetId: reset.id } });
    });
  }

  /** Sets a new password with a reset token (once), signs out every other session. */
  async reset(token: string, password: string): Promise<User> {
    const problems = passwordProblems(password);
    if (problems.length) throw DomainError.badInput(problems);
    const user = await this.dataSource.transaction(async (tx) => {
      const reset = await tx.findOne(PasswordReset, { where: { tokenHash: hashToken(token) }, lock: { mode: 'pessimistic_write' } });
      if (!reset || reset.usedAt || reset.expiresAt.getTime() <= Date.now()) {
        throw new DomainError(ErrorCode.TOKEN_INVALID, 'This reset link is not valid or has expired; ask for a new one');
      }
      // Spends every open link of this person, not only this one: an older link still lying in a
      // mailbox must not reset the new password.
      await tx.update(PasswordReset, { userId: reset.userId, usedAt: IsNull() }, { usedAt: new Date() });
      await tx.update(User, { id: reset.userId }, { passwordHash: await hashPassword(password) });
      await this.sessions.revokeAll(tx, reset.userId);
      const actor: Actor = { kind: 'user', userId: reset.userId, installationAdmin: false };
      await this.audit.record(tx, actor, { projectId: null, action: 'password_reset.completed', entityType: 'user', entityId: reset.userId });
      return tx.findOneOrFail(User, { where: { id: reset.userId } });
    });
    await this.sessions.announceRevokedAll(user.id);
    return user;
  }
}
