import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { RedisPubSub } from 'graphql-redis-subscriptions';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { QUIRE_CONFIG, QuireConfig } from '@quire/config';
import { PUB_SUB } from '@quire/core';
import { Round } from '@quire/domain/nominations';
import { Topics } from '@quire/queue';
import { LeaderboardService, LeaderboardSnapshot } from './leaderboard.service';

/**
 * At most one push per round in this interval: a busy round changes many times a second, and
 * every watcher gets the whole standings, so pushes are coalesced (and still within a second).
 */
export const LEADERBOARD_PUSH_INTERVAL_MS = 150;

/** After a failed publish (database or Redis away) the next try waits this much longer. */
const PUBLISH_RETRY_DELAY_MS = 1000;

interface RoundState {
  timer?: NodeJS.Timeout;
  running?: Promise<void>;
  /** Asked for again while a publish ran: run once more after it. */
  again: boolean;
  lastAt: number;
}

/** The pub/sub message of the leaderboardChanged subscription. */
export interface LeaderboardMessage {
  leaderboard: LeaderboardSnapshot;
}

/**
 * Publishes a round's leaderboard after its tallies changed (the tally worker asks), coalescing
 * requests per round. Each publish takes the round's leaderboard row in turn and raises its
 * revision, so a higher revision never carries older standings; subscribers drop a revision
 * older than one they have. Unchanged standings are not published again.
 */
@Injectable()
export class LeaderboardPublisher implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Leaderboard');
  private readonly rounds = new Map<string, RoundState>();
  private stopped = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly leaderboards: LeaderboardService,
    @Inject(PUB_SUB) private readonly pubSub: RedisPubSub,
    @Inject(QUIRE_CONFIG) private readonly config: QuireConfig,
  ) {}

  schedule(roundId: string): void {
    if (this.stopped) return;
    let state = this.rounds.get(roundId);
    if (!state) this.rounds.set(roundId, (state = { again: false, lastAt: 0 }));
    if (state.running) {
      state.again = true;
      return;
    }
    if (state.timer) return;
    const wait = Math.max(0, state.lastAt + LEADERBOARD_PUSH_INTERVAL_MS - Date.now());
    state.timer = setTimeout(() => this.run(roundId, state), wait);
  }

  /** Publishes the round's leaderboard now if it changed; returns what was published. */
  async publish(roundId: string): Promise<LeaderboardSnapshot | null> {
    const snapshot = await this.dataSource.transaction(async (tx) => {
      const round = await tx.findOne(Round, { where: { id: roundId } });
      if (!round) return null;
      await tx.query(`INSERT INTO leaderboards (round_id) VALUES ($1) ON CONFLICT DO NOTHING`, [roundId]);
      const [row]: { revision: string; standings_hash: string }[] = await tx.query(`SELECT revision, standings_hash FROM leaderboards WHERE round_id = $1 FOR UPDATE`, [roundId]);
      const next = await this.leaderboards.snapshot(tx, round, Number(row.revision) + 1);
      const { updatedAt: _at, revision: _revision, ...content } = next;
      const hash = createHash('sha256').update(JSON.stringify(content)).digest('base64url');
      if (hash === row.standings_hash) return null;
      await tx.query(`UPDATE leaderboards SET revision = $2, standings_hash = $3, published_at = now() WHERE round_id = $1`, [roundId, next.revision, hash]);
      return next;
    });
    if (snapshot) await this.pubSub.publish(Topics.leaderboardChanged(this.config.redisPrefix, roundId), { leaderboard: snapshot } satisfies LeaderboardMessage);
    return snapshot;
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    for (const state of this.rounds.values()) clearTimeout(state.timer);
    await Promise.all([...this.rounds.values()].map((state) => state.running));
  }

  private run(roundId: string, state: RoundState): void {
    state.timer = undefined;
    state.again = false;
    state.lastAt = Date.now();
    state.running = this.publish(roundId)
      .then(() => undefined)
      .catch((error: unknown) => {
        // The next change publishes again; a recount or the closed round's results catch up anyway.
        this.logger.warn(`Publishing the leaderboard of round ${roundId} failed, trying again: ${error instanceof Error ? error.message : String(error)}`);
        state.again = true;
        state.lastAt = Date.now() + PUBLISH_RETRY_DELAY_MS;
      })
      .finally(() => {
        state.running = undefined;
        if (state.again) this.schedule(roundId);
      });
  }
}
