import { EntityManager } from 'typeorm';

/**
 * Makes the portraits of a confirmed selection, one per selected candidate, UNASSIGNED and ready
 * for author assignment, in the caller's transaction. A candidate that has a portrait already
 * keeps it. Returns how many were made.
 */
export async function createPortraitsForSelection(em: EntityManager, projectId: string, candidateIds: readonly string[]): Promise<number> {
  const made: unknown[] = await em.query(
    `INSERT INTO portraits (project_id, candidate_id, status) SELECT $1, unnest($2::uuid[]), 'UNASSIGNED' ON CONFLICT (candidate_id) DO NOTHING RETURNING id`,
    [projectId, [...candidateIds]],
  );
  return made.length;
}
