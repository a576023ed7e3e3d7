import 'reflect-metadata';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { RuntimeOptions } from '@quire/runtime/infra';
import { WorkerModule } from './worker.module';

/** The worker as its own process: queue processors and the outbox relay, no HTTP. */
export async function startWorker(options: RuntimeOptions): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(options), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  await app.init();
  return app;
}
