import 'reflect-metadata';
import { DynamicModule, INestApplication, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import cookieParser from 'cookie-parser';
import express from 'express';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Logger } from 'nestjs-pino';
import { TextPipe } from '@quire/core';
import { RuntimeOptions } from '@quire/runtime/infra';
import { ApiModule } from './api.module';
import { validationErrorFactory } from './errors';

/** Creates the api application (GraphQL, health, metrics, the web app) without listening. */
export async function createApi(options: RuntimeOptions, alongside: DynamicModule[] = []): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.forRoot(options, alongside), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.set('trust proxy', 'loopback');
  app.use(cookieParser());
  app.useGlobalPipes(new TextPipe(), new ValidationPipe({ transform: true, whitelist: true, exceptionFactory: validationErrorFactory }));
  app.enableShutdownHooks();
  serveWebApp(app, options.config.webDistDir);
  return app;
}

/** `alongside`: modules to run in the same process, such as the worker on a laptop. */
export async function startApi(options: RuntimeOptions, alongside: DynamicModule[] = []): Promise<INestApplication> {
  const app = await createApi(options, alongside);
  await app.listen(options.config.port, '0.0.0.0');
  return app;
}

/** Serves the built single-page app; unknown paths get index.html so client routes load. */
function serveWebApp(app: NestExpressApplication, distDir: string): void {
  const root = resolve(distDir);
  const index = join(root, 'index.html');
  if (!existsSync(index)) return;
  app.use(express.static(root, { index: false, maxAge: '1h' }));
  app.use((req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (req.method !== 'GET' || /^\/(graphql|health|metrics|auth)(\/|$)/.test(req.path) || !req.accepts('html')) return next();
    res.sendFile(index);
  });
}
