/**
 * Every queue, every job name and its payload, in one typed map shared by producers (the outbox)
 * and consumers (worker processors). Adding a job means adding it here first; adding a queue
 * means adding it to `QueueJobs` and to `QUEUES` (the compiler insists on both).
 */
import type { Locale } from '@quire/core';

export type { Locale };

export type EmailMessage =
  | { template: 'invitation'; to: string; locale: Locale; projectTitle: string; inviterName: string; acceptUrl: string; expiresAt: string }
  | { template: 'password-reset'; to: string; locale: Locale; displayName: string; resetUrl: string; expiresAt: string };

export type RoundPhaseName = 'DRAFT' | 'NOMINATING' | 'VOTING' | 'CLOSED';

/** In-app notifications (and, later, their e-mail digests) for people in a project. */
export interface NotificationRequest {
  projectId: string;
  userIds: string[];
  kind: 'CANDIDATE_MERGED' | 'COMMENT_ADDED' | 'NOMINATION_HIDDEN';
  /** What the notification is about, for its text and link (ids and names, never secrets). */
  data: Record<string, string>;
}

export interface QueueJobs {
  email: {
    send: EmailMessage;
  };
  rounds: {
    /** Work out the round's next scheduled transition and put a delayed `advance` job in. */
    plan: { roundId: string };
    /** Move the round to `to`, if it is still due at `at` (ISO time) by the round's schedule. */
    advance: { roundId: string; to: RoundPhaseName; at: string };
  };
  notifications: {
    notify: NotificationRequest;
  };
  tallies: {
    /** Fold the round's unfolded vote events into its live tallies (any one job folds all it finds). */
    fold: { roundId: string };
    /** Count the round again from its votes and record whether the live tally agrees. */
    recount: { roundId: string; recountId: string };
    /** Push the round's leaderboard to everyone watching (its results, once it closed). */
    publish: { roundId: string };
  };
  collab: {
    /** Fold a document's update log into its snapshot; a stale run changes nothing (guarded by the log position). */
    compact: { documentName: string };
  };
}

export type QueueName = keyof QueueJobs;
export type JobName<Q extends QueueName> = keyof QueueJobs[Q] & string;
export type JobPayload<Q extends QueueName, N extends JobName<Q>> = QueueJobs[Q][N];

export interface QueueSettings {
  /** Runs of one job before it is failed for good and its outbox row marked failed. */
  attempts: number;
  /** Wait before the first retry; it doubles with every further retry. */
  firstRetryDelayMs: number;
  /** Jobs one worker process runs at once. */
  concurrency: number;
}

export const QUEUES: { readonly [Q in QueueName]: QueueSettings } = {
  // Mail servers refuse for a while (greylisting, a full mailbox, a restart): 12 attempts with
  // doubling waits keep trying for about an hour before the message is given up.
  email: { attempts: 12, firstRetryDelayMs: 1000, concurrency: 5 },
  rounds: { attempts: 10, firstRetryDelayMs: 500, concurrency: 2 },
  notifications: { attempts: 10, firstRetryDelayMs: 500, concurrency: 5 },
  // Short jobs (a fold, a recount, a push): several at once keep up with the votes, and a retry
  // comes quickly because the leaderboard waits for it.
  tallies: { attempts: 10, firstRetryDelayMs: 100, concurrency: 8 },
  // Compaction is housekeeping: a failed run only leaves the log longer until the next one.
  collab: { attempts: 5, firstRetryDelayMs: 1000, concurrency: 2 },
};

export const QUEUE_NAMES = Object.keys(QUEUES) as QueueName[];

/**
 * Jobs that do all pending work of their kind when they run (a fold takes every unfolded event of
 * its round), so that while one waits to start another adds nothing: see `enqueueCoalesced`.
 */
export const COALESCING_JOBS: { readonly [Q in QueueName]?: readonly JobName<Q>[] } = { tallies: ['fold'] };

export function coalesces(queue: QueueName, name: string): boolean {
  return (COALESCING_JOBS[queue] as readonly string[] | undefined)?.includes(name) ?? false;
}

const OUTBOX_JOB_ID = /^outbox-(\d+)$/;

/** Job ids of relayed outbox rows; BullMQ ignores a second add with the same id. */
export function outboxJobId(outboxId: string | number): string {
  return `outbox-${outboxId}`;
}

/** The outbox row a job was relayed from, or undefined for a job that did not come from the outbox. */
export function outboxIdOf(jobId: string): string | undefined {
  return OUTBOX_JOB_ID.exec(jobId)?.[1];
}
