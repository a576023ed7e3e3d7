import 'reflect-metadata';
import { DynamicModule, INestApplication, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import cookieParser from 'cookie-parser';
import { Logger } from 'nestjs-pino';
import { TextPipe } from '@quire/core';
import { RuntimeOptions } from '@quire/runtime/infra';
import { ApiModule } from './api.module';
import { validationErrorFactory } from './errors';
import { webAppAssets } from './web-app';

/** Creates the api application (GraphQL, health, metrics, the web app) without listening. */
export async function createApi(options: RuntimeOptions, alongside: DynamicModule[] = []): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.forRoot(options, alongside), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.set('trust proxy', 'loopback');
  app.use(cookieParser());
  app.useGlobalPipes(new TextPipe(), new ValidationPipe({ transform: true, whitelist: true, exceptionFactory: validationErrorFactory }));
  app.enableShutdownHooks();
  const assets = webAppAssets(options.config.webDistDir);
  if (assets) app.use(assets);
  return app;
}

/** `alongside`: modules to run in the same process, such as the worker on a laptop. */
export async function startApi(options: RuntimeOptions, alongside: DynamicModule[] = []): Promise<INestApplication> {
  const app = await createApi(options, alongside);
  await app.listen(options.config.port, '0.0.0.0');
  return app;
}
