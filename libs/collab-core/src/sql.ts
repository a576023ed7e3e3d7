import type { Pool } from 'pg';
import type { EntityManager } from 'typeorm';

/**
 * How the document store talks to PostgreSQL: one statement, its rows back. The collab hub runs it
 * on a pg pool of its own (the hot path); domain services and jobs run it in their TypeORM
 * transaction, so a named version or a compaction commits with the change that caused it.
 */
export type Sql = <Row = Record<string, unknown>>(text: string, params?: unknown[]) => Promise<Row[]>;

/** One name per statement text, in the whole process: a connection refuses a name used for another text. */
const STATEMENT_NAMES = new Map<string, string>();

/**
 * Statements on the pool are named, so each connection prepares a statement once and PostgreSQL
 * then skips parsing and planning it: the hub runs the same few statements hundreds of times a
 * second. Only for fixed statement texts (values go in `params`), as the store's are.
 */
export function sqlOfPool(pool: Pool): Sql {
  return async <Row>(text: string, params?: unknown[]) => {
    let name = STATEMENT_NAMES.get(text);
    if (name === undefined) {
      name = `quire_collab_${STATEMENT_NAMES.size}`;
      STATEMENT_NAMES.set(text, name);
    }
    return (await pool.query({ name, text, values: params })).rows as Row[];
  };
}

/** Statements in the manager's transaction when it has one. Rows come back for every kind of statement. */
export function sqlOfManager(em: EntityManager): Sql {
  return async <Row>(text: string, params?: unknown[]) => {
    const runner = em.queryRunner ?? em.connection.createQueryRunner();
    try {
      // Structured results: TypeORM otherwise returns [rows, count] for UPDATE ... RETURNING.
      return (await runner.query(text, params, true)).records as Row[];
    } finally {
      if (!em.queryRunner) await runner.release();
    }
  };
}
