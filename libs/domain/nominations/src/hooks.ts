import { EntityManager } from 'typeorm';
import type { Actor } from '@quire/core';
import type { Candidate, CandidateStatus, Round, RoundPhase } from './entities';

export interface MergeContext {
  actor: Actor;
  projectId: string;
  sourceId: string;
  targetId: string;
}

/**
 * Records of another context that belong to a candidate and must follow a merge (votes do). The
 * other context depends on this one and registers with `MergeService.addParticipant`; the merge
 * calls it inside its own transaction and keeps what it returns with the merge record, to hand
 * back on undo. So nominations never needs to know who takes part.
 */
export interface MergeParticipant {
  /** The key under which the merge record keeps this participant's record. */
  readonly name: string;
  /** Moves what belongs to the source over to the target; returns what undo needs (JSON). */
  merge(tx: EntityManager, merge: MergeContext): Promise<unknown>;
  undo(tx: EntityManager, merge: MergeContext, record: unknown): Promise<void>;
}

/**
 * Called inside the transaction that moves `round` (already saved in its new phase) on from
 * `from`, so another context can act on the change atomically (voting freezes results at CLOSED).
 */
export type RoundPhaseListener = (tx: EntityManager, actor: Actor, round: Round, from: RoundPhase) => Promise<void>;

/**
 * Called inside the transaction that moves `candidate` (already saved with its new status) on from
 * `from` by hand, so another context can act on the change atomically, or refuse it by throwing
 * (voting makes the portrait of a candidate selected by hand).
 */
export type CandidateStatusListener = (tx: EntityManager, actor: Actor, candidate: Candidate, from: CandidateStatus) => Promise<void>;
