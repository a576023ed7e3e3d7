import 'reflect-metadata';
import { loadConfig } from '@quire/config';
import { runMigrations } from '@quire/db';
import { startCollab } from '@quire/runtime/collab';
import { resolveServices } from '@quire/runtime/infra';

/** The collaboration service alone (Yjs over WebSocket), for servers that run api, collab and worker apart. */
async function main(): Promise<void> {
  const config = loadConfig();
  const services = await resolveServices(config, (line) => process.stdout.write(`[collab] ${line}\n`));
  // The update log must exist before the first edit is stored; migrating is idempotent and locked.
  await runMigrations(services.databaseUrl);
  await startCollab({ config, databaseUrl: services.databaseUrl, redisUrl: services.redisUrl });
}

main().catch((error: unknown) => {
  process.stderr.write(`[collab] ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
