import { EntityManager } from 'typeorm';
import { CandidateName, matchScore, NameQuery, parseDutchName, retrievalText, SIMILARITY_FLOOR } from './dutch-names';

/**
 * pg_trgm word similarity at or above which a candidate's match_key is retrieved. Low enough that
 * a one-letter typo in a short surname or initials that disagree still retrieve the row
 * (Thorbeck/Thorbecke scores about 0.6), high enough that the GIN index scan stays selective.
 */
export const RETRIEVAL_WORD_SIMILARITY = 0.5;

/**
 * How many retrieved rows are scored. Rows come best word similarity first, so within a surname
 * shared by hundreds of candidates (De Vries, Jansen) those whose initials agree come first.
 */
export const RETRIEVAL_LIMIT = 200;

export interface SimilarCandidate {
  id: string;
  score: number;
}

interface CandidateRow {
  id: string;
  name: string;
  name_variants: string[];
  birth_year: number | null;
  death_year: number | null;
}

/**
 * The non-merged candidates of a project that may be the person `query` names, best first, with
 * their matchScore (at least SIMILARITY_FLOOR). PostgreSQL retrieves by surname: exactly on
 * surname_key (btree) or approximately on match_key (trigram word similarity, GIN); the
 * retrieved rows are then scored in TypeScript with the full Dutch name comparison.
 */
export async function findSimilarCandidates(em: EntityManager, projectId: string, query: NameQuery, limit = 10): Promise<SimilarCandidate[]> {
  const parsed = parseDutchName(query.name);
  const searchText = retrievalText(parsed);
  if (!parsed.surnames.length) return [];
  // A particle may be written glued to the name (Terlouw for ter Louw) in the stored key.
  const surnameKeys = [...new Set([...parsed.surnames, parsed.gluedSurname])];

  const retrieve = async (tx: EntityManager): Promise<CandidateRow[]> => {
    // The operator <% reads its threshold from this setting; set it for this transaction only.
    await tx.query(`SELECT set_config('pg_trgm.word_similarity_threshold', $1, true)`, [String(RETRIEVAL_WORD_SIMILARITY)]);
    return tx.query(
      `SELECT id, name, name_variants, birth_year, death_year
         FROM candidates
        WHERE project_id = $1 AND merged_into_id IS NULL
          AND (surname_key = ANY($2::text[]) OR $3 <% match_key)
        ORDER BY word_similarity($3, match_key) DESC
        LIMIT $4`,
      [projectId, surnameKeys, searchText, RETRIEVAL_LIMIT],
    );
  };
  const rows = em.queryRunner?.isTransactionActive ? await retrieve(em) : await em.transaction(retrieve);

  return rows
    .map((row) => ({ id: row.id, score: matchScore(query, toCandidateName(row)) }))
    .filter((candidate) => candidate.score >= SIMILARITY_FLOOR)
    .sort((a, b) => b.score - a.score)
    .slice(0, limit);
}

function toCandidateName(row: CandidateRow): CandidateName {
  return { name: row.name, nameVariants: row.name_variants, birthYear: row.birth_year, deathYear: row.death_year };
}
