import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { nextScheduledTransition, RoundsService } from '@quire/domain/nominations';
import { QUEUES } from '@quire/queue';
import { ProcessorOf, QueueProcessor } from './queue-processor';

/**
 * Puts a round's next scheduled transition into the queue as a delayed job. The job id names the
 * round, the phase, the time and the round's version, so planning twice adds one job, and a
 * changed schedule gets a new job while the old one finds itself stale.
 */
@Injectable()
export class RoundScheduler implements OnApplicationBootstrap {
  constructor(
    private readonly rounds: RoundsService,
    @InjectQueue('rounds') private readonly queue: Queue,
  ) {}

  async plan(roundId: string): Promise<void> {
    const round = await this.rounds.findUnchecked(roundId);
    const next = round && nextScheduledTransition(round);
    if (!round || !next) return;
    const { attempts, firstRetryDelayMs } = QUEUES.rounds;
    await this.queue.add(
      'advance',
      { roundId, to: next.to, at: next.at.toISOString() },
      {
        jobId: `round-${roundId}-${next.to}-${next.at.getTime()}-${round.updatedAt.getTime()}`,
        delay: Math.max(0, next.at.getTime() - Date.now()),
        attempts,
        backoff: { type: 'exponential', delay: firstRetryDelayMs },
        removeOnComplete: { age: 7 * 24 * 3600 },
      },
    );
  }

  /** Re-plans every open round at start: a restart neither skips a transition nor repeats one. */
  async onApplicationBootstrap(): Promise<void> {
    for (const id of await this.rounds.openRoundIds()) await this.plan(id);
  }
}

@ProcessorOf('rounds')
export class RoundsProcessor extends QueueProcessor<'rounds'> {
  constructor(@InjectDataSource() dataSource: DataSource, rounds: RoundsService, scheduler: RoundScheduler) {
    super(dataSource, 'rounds', {
      plan: ({ roundId }) => scheduler.plan(roundId),
      advance: async ({ roundId, to, at }) => {
        // A timer may fire a moment before the database's clock says the time has come: retry.
        if ((await rounds.advanceOnSchedule(roundId, to, new Date(at))) === 'early') throw new Error(`Round ${roundId} is not due for ${to} yet`);
      },
    });
  }
}
