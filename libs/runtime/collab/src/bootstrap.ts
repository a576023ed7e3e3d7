import 'reflect-metadata';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { RuntimeOptions } from '@quire/runtime/infra';
import { CollabModule } from './collab.module';

/** The collaboration service as its own process: WebSocket on COLLAB_PORT, health and metrics. */
export async function startCollab(options: RuntimeOptions): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(CollabModule.forRoot(options), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  await app.init();
  return app;
}
