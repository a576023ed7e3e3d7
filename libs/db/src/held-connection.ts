import type { Pool, PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/** A connection checked out of the pool, with the listener that notices it being lost. */
interface Held {
  client: Promise<PoolClient>;
  onLost: (error: Error) => void;
}

/**
 * One of the pool's connections, kept for work that runs one piece after another (a batcher that
 * runs one batch at a time) for as long as the pieces keep coming. pg's pool hands out a connection
 * on the next tick, after every continuation already waiting has run; under load those are the
 * answers to the previous batch, so every checkout held the next batch's statement back. On a held
 * connection a statement goes out at once. The connection goes back to the pool when a turn of the
 * event loop passes with no work, and is closed after an error.
 */
export class HeldConnection {
  private held: Held | null = null;
  private busy = false;

  constructor(private readonly dataSource: DataSource) {}

  async run<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    if (this.busy) throw new Error('A held connection runs one piece of work at a time');
    this.busy = true;
    const held = (this.held ??= this.checkOut());
    try {
      return await work(await held.client);
    } catch (error) {
      // After a failure the connection's state is unknown (an aborted statement, a lost socket).
      this.giveBack(held, error);
      throw error;
    } finally {
      this.busy = false;
      setImmediate(() => {
        if (!this.busy) this.giveBack(held);
      });
    }
  }

  private checkOut(): Held {
    const pool = (this.dataSource.driver as PostgresDriver).master as Pool;
    // A checked-out connection has no error listener of the pool's: without one, a connection lost
    // between pieces of work would end the process.
    const held: Held = { client: pool.connect(), onLost: (error) => this.giveBack(held, error) };
    void held.client.then((client) => client.on('error', held.onLost), () => undefined);
    return held;
  }

  /** Back to the pool (closed, after an error); only the connection held now, and only once. */
  private giveBack(held: Held, error?: unknown): void {
    if (this.held !== held) return;
    this.held = null;
    void held.client.then(
      (client) => {
        client.removeListener('error', held.onLost);
        client.release(error instanceof Error ? error : error === undefined ? undefined : true);
      },
      () => undefined,
    );
  }
}
