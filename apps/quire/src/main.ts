import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ConfigError, loadConfig } from '@quire/config';
import { runMigrations } from '@quire/db';
import { ApiModule, createApi } from '@quire/runtime/api';
import { resolveServices, RuntimeOptions } from '@quire/runtime/infra';
import { startWorker, WorkerModule } from '@quire/runtime/worker';
import { CollabModule, startCollab } from '@quire/runtime/collab';
import { seedDemo } from './seed';

const USAGE = `Usage: quire <command>
  start    run migrations, seed a demo book when the database is empty, and serve api + collab + worker in one process
  migrate  run database migrations and exit
  seed     seed the demo book when the database is empty, and exit
  api      serve only the api (for servers; run the worker separately)
  worker   run only the worker (queue processors and outbox relay)
  collab   run only the collaboration service (Yjs over WebSocket on COLLAB_PORT)`;

const say = (line: string): void => {
  process.stdout.write(`[quire] ${line}\n`);
};

async function main(command: string | undefined): Promise<void> {
  if (!command || !['start', 'migrate', 'seed', 'api', 'worker', 'collab'].includes(command)) {
    process.stdout.write(`${USAGE}\n`);
    process.exitCode = command ? 2 : 0;
    return;
  }
  const config = loadConfig();
  const services = await resolveServices(config, say);
  const shutdown = async (): Promise<void> => {
    await services.stop();
  };
  try {
    const migrated = await runMigrations(services.databaseUrl);
    if (migrated.length) say(`Applied migrations: ${migrated.join(', ')}`);
    const options: RuntimeOptions = { config, databaseUrl: services.databaseUrl, redisUrl: services.redisUrl };
    if (command === 'migrate') return shutdown();
    if (command === 'seed') {
      const app = await NestFactory.createApplicationContext(ApiModule.forRoot(options), { logger: ['error', 'warn'] });
      const lines = await seedDemo(app);
      say(lines ? lines.join('\n') : 'The database has users already; nothing seeded.');
      await app.close();
      return shutdown();
    }
    if (command === 'worker' || command === 'collab') {
      const running = await (command === 'worker' ? startWorker : startCollab)(options);
      onSignal(async () => {
        await running.close();
        await shutdown();
      });
      say(command === 'worker' ? 'Worker is running.' : `Collaboration service is running on port ${config.collab.port}.`);
      return;
    }
    // On a laptop, collab shares the api's port (WebSocket upgrades of /collab/...).
    const alongside = command === 'start' ? [WorkerModule.forRoot(options, { infra: false }), CollabModule.forRoot(options, { infra: false })] : [];
    const app = await createApi(options, alongside);
    if (command === 'start') {
      // Seed before listening, so that "ready" means the demo book is there; after init, as the
      // services' hooks (a round's results when it closes) are registered there.
      await app.init();
      const lines = await seedDemo(app);
      if (lines) lines.forEach(say);
    }
    await app.listen(config.port, '0.0.0.0');
    onSignal(async () => {
      await app.close();
      await shutdown();
    });
    say(`Quire is serving at ${config.publicUrl} (health: ${config.publicUrl}/health/ready)`);
  } catch (error) {
    await shutdown();
    throw error;
  }
}

function onSignal(stop: () => Promise<void>): void {
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      say(`Stopping (${signal})...`);
      stop().then(() => process.exit(0), () => process.exit(1));
    });
  }
}

main(process.argv[2]).catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`[quire] ${error.message}\n`);
  } else {
    process.stderr.write(`[quire] ${error instanceof Error ? error.message : String(error)}\n`);
    if (process.env['QUIRE_DEBUG'] && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  }
  process.exit(1);
});
