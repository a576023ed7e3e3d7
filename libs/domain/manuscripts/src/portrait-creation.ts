import { EntityManager } from 'typeorm';
import { DomainError } from '@quire/core';
import { portraitDocumentName } from './portrait-workflow';

/**
 * Makes the portraits of a confirmed selection, one per selected candidate, UNASSIGNED and ready
 * for author assignment, in the caller's transaction. A candidate that has a portrait already
 * keeps it. Returns the ids of those made.
 */
export async function createPortraitsForSelection(em: EntityManager, projectId: string, candidateIds: readonly string[]): Promise<string[]> {
  const made: { id: string }[] = await em.query(
    `INSERT INTO portraits (project_id, candidate_id, status) SELECT $1, unnest($2::uuid[]), 'UNASSIGNED' ON CONFLICT (candidate_id) DO NOTHING RETURNING id`,
    [projectId, [...candidateIds]],
  );
  return made.map((row) => row.id);
}

/**
 * Takes back the portrait of a candidate whose selection is undone, in the caller's transaction,
 * provided nobody has started on it: UNASSIGNED, with no team, and nothing written in its document.
 * Refuses otherwise (the portrait's work would go with it). Returns the removed portrait's id, if
 * there was one.
 */
export async function removeUnstartedPortrait(em: EntityManager, candidateId: string): Promise<string | null> {
  const [portrait]: { id: string; started: boolean }[] = await em.query(
    `SELECT p.id, (p.status <> 'UNASSIGNED' OR p.lead_author_id IS NOT NULL OR p.editor_id IS NOT NULL
                   OR EXISTS (SELECT 1 FROM portrait_co_authors a WHERE a.portrait_id = p.id)) AS started
       FROM portraits p WHERE p.candidate_id = $1 FOR UPDATE`,
    [candidateId],
  );
  if (!portrait) return null;
  const document = portraitDocumentName(portrait.id);
  const [{ written }]: { written: boolean }[] = await em.query(
    `SELECT EXISTS (SELECT 1 FROM collab_documents d WHERE d.name = $1 AND (d.snapshot IS NOT NULL OR EXISTS (SELECT 1 FROM collab_updates u WHERE u.document_name = d.name))) AS written`,
    [document],
  );
  if (portrait.started || written) {
    throw DomainError.invalidTransition('candidate', 'SELECTED', 'go back while work on its portrait has started (a team or text)');
  }
  await em.query(`DELETE FROM collab_documents WHERE name = $1`, [document]);
  await em.query(`DELETE FROM portraits WHERE id = $1`, [portrait.id]);
  return portrait.id;
}
