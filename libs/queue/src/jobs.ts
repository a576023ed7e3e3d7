/**
 * Every queue, every job name and its payload, in one typed map shared by producers (the outbox)
 * and consumers (worker processors). Adding a job means adding it here first.
 */
import type { Locale } from '@quire/core';

export type { Locale };

export type EmailMessage =
  | { template: 'invitation'; to: string; locale: Locale; projectTitle: string; inviterName: string; acceptUrl: string; expiresAt: string }
  | { template: 'password-reset'; to: string; locale: Locale; displayName: string; resetUrl: string; expiresAt: string };

export interface QueueJobs {
  email: {
    send: EmailMessage;
  };
}

export type QueueName = keyof QueueJobs;
export type JobName<Q extends QueueName> = keyof QueueJobs[Q] & string;
export type JobPayload<Q extends QueueName, N extends JobName<Q>> = QueueJobs[Q][N];

/** A job of queue Q as the processor sees it: a discriminated union on `name`. */
export type QueueJob<Q extends QueueName> = { [N in JobName<Q>]: { name: N; data: QueueJobs[Q][N]; id: string } }[JobName<Q>];

export const QUEUE_NAMES: readonly QueueName[] = ['email'];

/** Job ids of relayed outbox rows; BullMQ ignores a second add with the same id. */
export function outboxJobId(outboxId: string | number): string {
  return `outbox-${outboxId}`;
}
