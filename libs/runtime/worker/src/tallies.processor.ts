import { InjectDataSource } from '@nestjs/typeorm';
import { Job } from 'bullmq';
import { DataSource } from 'typeorm';
import { LeaderboardPublisher, TalliesService } from '@quire/domain/voting';
import { ProcessorOf, QueueProcessor } from './queue-processor';

/**
 * Folds vote events into live tallies (each event once, whatever order or how often jobs come),
 * runs recounts, and has the leaderboard pushed after a fold changed it, once the fold committed.
 */
@ProcessorOf('tallies')
export class TalliesProcessor extends QueueProcessor<'tallies'> {
  /** Jobs whose fold changed a tally, by job id: their round is published after the commit. */
  private readonly changed = new Map<string, string>();

  constructor(
    @InjectDataSource() dataSource: DataSource,
    tallies: TalliesService,
    private readonly publisher: LeaderboardPublisher,
  ) {
    super(dataSource, 'tallies', {
      fold: async ({ roundId }, { em, jobId }) => {
        if ((await tallies.fold(em, roundId)).changed > 0) this.changed.set(jobId, roundId);
      },
      recount: async ({ roundId, recountId }, { em }) => {
        await tallies.runRecount(em, roundId, recountId);
      },
      publish: async ({ roundId }, { jobId }) => {
        this.changed.set(jobId, roundId);
      },
    });
  }

  override async process(job: Job): Promise<void> {
    try {
      await super.process(job);
      const roundId = job.id ? this.changed.get(job.id) : undefined;
      if (roundId) this.publisher.schedule(roundId);
    } finally {
      if (job.id) this.changed.delete(job.id);
    }
  }
}
