import 'reflect-metadata';
import { loadConfig } from '@quire/config';
import { startApi } from '@quire/runtime/api';
import { resolveServices } from '@quire/runtime/infra';

/** The api alone, for servers that run api, collab and worker as separate processes. */
async function main(): Promise<void> {
  const config = loadConfig();
  const services = await resolveServices(config, (line) => process.stdout.write(`[api] ${line}\n`));
  await startApi({ config, databaseUrl: services.databaseUrl, redisUrl: services.redisUrl });
}

main().catch((error: unknown) => {
  process.stderr.write(`[api] ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
