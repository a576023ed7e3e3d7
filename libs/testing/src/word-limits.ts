import { DataSource } from 'typeorm';

/**
 * Sets a project's word limits directly, as an admin's settings change would: a portrait is
 * submitted and made final only with its word count within them (pass 0 to let tests that do not
 * write text take those steps).
 */
export async function setWordLimits(dataSource: DataSource, projectId: string, min: number, max = 100000): Promise<void> {
  await dataSource.query(`UPDATE projects SET word_limit_min = $2, word_limit_max = $3 WHERE id = $1`, [projectId, min, max]);
}
