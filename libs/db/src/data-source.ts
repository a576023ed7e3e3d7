import { DataSource, DataSourceOptions, EntitySchema } from 'typeorm';
import { SnakeNamingStrategy } from './naming-strategy';
import { migrations } from './migrations';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export type EntityClass = Function | EntitySchema;

/** Options shared by the Nest module, the CLI and tests. Schema changes only through migrations. */
export function dataSourceOptions(url: string, entities: EntityClass[] = []): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities,
    migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    // Failed queries surface as errors where they happen (and are logged there, as JSON); TypeORM's
    // own logger would print them, parameters included, as plain text.
    logging: false,
    extra: { max: 10 },
  };
}

export async function runMigrations(url: string): Promise<string[]> {
  const dataSource = new DataSource(dataSourceOptions(url));
  await dataSource.initialize();
  // Several processes may start at once (api, worker, launcher); one migrates, the others wait.
  const lock = dataSource.createQueryRunner();
  try {
    await lock.connect();
    await lock.query(`SELECT pg_advisory_lock(hashtext('quire-migrations'))`);
    const ran = await dataSource.runMigrations();
    return ran.map((m) => m.name);
  } finally {
    await lock.query(`SELECT pg_advisory_unlock(hashtext('quire-migrations'))`).catch(() => undefined);
    await lock.release();
    await dataSource.destroy();
  }
}
