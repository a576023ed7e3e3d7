import type { Pool, PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/**
 * One of the pool's connections, kept for work that runs one piece after another (a batcher that
 * runs one batch at a time) for as long as the pieces keep coming. pg's pool hands out a connection
 * on the next tick, after every continuation already waiting has run; under load those are the
 * answers to the previous batch, so every checkout held the next batch's statement back. On a held
 * connection a statement goes out at once. The connection goes back to the pool when a turn of the
 * event loop passes with no work, and is closed after an error.
 */
export class HeldConnection {
  private client: Promise<PoolClient> | null = null;
  private busy = false;

  constructor(private readonly dataSource: DataSource) {}

  async run<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    if (this.busy) throw new Error('A held connection runs one piece of work at a time');
    this.busy = true;
    const held = (this.client ??= this.checkOut());
    try {
      return await work(await held);
    } catch (error) {
      // After a failure the connection's state is unknown (an aborted statement, a lost socket).
      this.giveBack(held, error);
      throw error;
    } finally {
      this.busy = false;
      setImmediate(() => {
        if (!this.busy && this.client === held) this.giveBack(held);
      });
    }
  }

  private async checkOut(): Promise<PoolClient> {
    const pool = (this.dataSource.driver as PostgresDriver).master as Pool;
    const client = await pool.connect();
    // A checked-out connection has no error listener of the pool's: without one, a connection lost
    // between pieces of work would end the process.
    client.on('error', this.onLost);
    return client;
  }

  private readonly onLost = (error: Error): void => {
    if (this.client) this.giveBack(this.client, error);
  };

  private giveBack(held: Promise<PoolClient>, error?: unknown): void {
    if (this.client !== held) return;
    this.client = null;
    void held.then(
      (client) => {
        client.removeListener('error', this.onLost);
        client.release(error instanceof Error ? error : error === undefined ? undefined : true);
      },
      () => undefined,
    );
  }
}
