import 'reflect-metadata';
import { loadConfig } from '@quire/config';
import { resolveServices } from '@quire/runtime/infra';
import { startWorker } from '@quire/runtime/worker';

/** The worker alone: queue processors and the outbox relay. */
async function main(): Promise<void> {
  const config = loadConfig();
  const services = await resolveServices(config, (line) => process.stdout.write(`[worker] ${line}\n`));
  await startWorker({ config, databaseUrl: services.databaseUrl, redisUrl: services.redisUrl });
}

main().catch((error: unknown) => {
  process.stderr.write(`[worker] ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
