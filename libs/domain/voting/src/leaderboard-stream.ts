import { RedisPubSub } from 'graphql-redis-subscriptions';
import { LeaderboardMessage } from './leaderboard-publisher';
import { LeaderboardSnapshot, talliesVisibleTo } from './leaderboard.service';
import { LeaderboardModel } from './voting.model';

export const LEADERBOARD_MAX_ENTRIES = 5000;

/** A snapshot as one viewer sees it: the first `first` entries, counts only where visible. */
export function toLeaderboardModel(snapshot: LeaderboardSnapshot, moderator: boolean, first: number, previousRanks?: Map<string, number>): LeaderboardModel {
  const visible = talliesVisibleTo(snapshot, moderator);
  return Object.assign(new LeaderboardModel(), {
    roundId: snapshot.roundId, phase: snapshot.phase, talliesVisible: visible, final: snapshot.final, revision: snapshot.revision,
    totalVotes: visible ? snapshot.totalVotes : null, voters: visible ? snapshot.voters : null, countedVoters: visible ? snapshot.countedVoters : null,
    candidateCount: snapshot.standings.length, updatedAt: new Date(snapshot.updatedAt),
    entries: visible
      ? snapshot.standings.slice(0, first).map((s) => ({ rank: s.rank, previousRank: previousRanks?.get(s.candidateId) ?? null, votes: s.votes, candidateId: s.candidateId, name: s.name }))
      : [],
  });
}

type Next = IteratorResult<{ leaderboardChanged: LeaderboardModel }>;

/**
 * One subscriber's leaderboard updates: the current standings first, then every published change
 * in revision order (an older revision arriving late is dropped), with each entry's rank in the
 * previous update this subscriber got. Updates that change nothing this viewer sees are skipped.
 */
export class LeaderboardStream implements AsyncIterableIterator<{ leaderboardChanged: LeaderboardModel }> {
  private readonly queue: LeaderboardModel[] = [];
  private readonly waiting: ((result: Next) => void)[] = [];
  private subscription: number | undefined;
  private closed = false;
  private lastRevision = -1;
  private lastSeen = '';
  private ranks = new Map<string, number>();

  constructor(
    private readonly pubSub: RedisPubSub,
    private readonly options: { first: number; moderator: boolean },
  ) {}

  /** Subscribes before reading the current standings, so no change falls between the two. */
  async start(topic: string, current: () => Promise<LeaderboardSnapshot>): Promise<this> {
    this.subscription = await this.pubSub.subscribe(topic, (message: LeaderboardMessage) => this.offer(message.leaderboard));
    try {
      this.offer(await current());
    } catch (error) {
      await this.return();
      throw error;
    }
    return this;
  }

  next(): Promise<Next> {
    const value = this.queue.shift();
    if (value) return Promise.resolve({ value: { leaderboardChanged: value }, done: false });
    if (this.closed) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  async return(): Promise<Next> {
    if (!this.closed) {
      this.closed = true;
      if (this.subscription !== undefined) this.pubSub.unsubscribe(this.subscription);
      for (const resolve of this.waiting.splice(0)) resolve({ value: undefined, done: true });
      this.queue.length = 0;
    }
    return { value: undefined, done: true };
  }

  async throw(error: unknown): Promise<Next> {
    await this.return();
    throw error;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private offer(snapshot: LeaderboardSnapshot): void {
    if (this.closed || snapshot.revision < this.lastRevision) return;
    this.lastRevision = snapshot.revision;
    const { revision: _revision, updatedAt: _updatedAt, ...seen } = toLeaderboardModel(snapshot, this.options.moderator, this.options.first);
    const key = JSON.stringify(seen);
    if (key === this.lastSeen) return;
    this.lastSeen = key;
    const model = toLeaderboardModel(snapshot, this.options.moderator, this.options.first, this.ranks);
    if (model.talliesVisible) this.ranks = new Map(snapshot.standings.map((s) => [s.candidateId, s.rank]));
    const resolve = this.waiting.shift();
    if (resolve) resolve({ value: { leaderboardChanged: model }, done: false });
    // Each update holds the whole standings: a subscriber that reads slowly gets the newest one.
    else this.queue.splice(0, this.queue.length, model);
  }
}
