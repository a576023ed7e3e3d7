import type { Pool } from 'pg';
import type { EntityManager } from 'typeorm';

/**
 * How the document store talks to PostgreSQL: one statement, its rows back. The collab hub runs it
 * on a pg pool of its own (the hot path); domain services and jobs run it in their TypeORM
 * transaction, so a named version or a compaction commits with the change that caused it.
 */
export type Sql = <Row = Record<string, unknown>>(text: string, params?: unknown[]) => Promise<Row[]>;

export function sqlOfPool(pool: Pool): Sql {
  return async <Row>(text: string, params?: unknown[]) => (await pool.query(text, params)).rows as Row[];
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
