import { DataSource, EntityManager } from 'typeorm';

/**
 * Runs a job's work at most once per job id: the receipt row and the work's own writes commit in
 * one transaction, so a retried or re-delivered job finds the receipt and does nothing. Two
 * deliveries at the same moment queue on the receipt's key; the second sees the first's commit.
 * Returns false when the job had already been processed.
 */
export async function runOnce(dataSource: DataSource, queue: string, jobId: string, work: (em: EntityManager) => Promise<void>): Promise<boolean> {
  return dataSource.transaction(async (em) => {
    const inserted: unknown[] = await em.query(
      `INSERT INTO processed_jobs (queue, job_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING job_id`,
      [queue, jobId],
    );
    if (inserted.length === 0) return false;
    await work(em);
    return true;
  });
}
