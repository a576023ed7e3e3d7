import 'reflect-metadata';
import fastifyCookie from '@fastify/cookie';
import { DynamicModule, INestApplication, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { TextPipe } from '@quire/core';
import { ROOT_LOGGER, RuntimeOptions } from '@quire/runtime/infra';
import { ApiModule } from './api.module';
import { validationErrorFactory } from './errors';
import { Metrics, timeRequests } from './metrics';
import { logRequests, requestIdFor } from './request-log';
import { serveWebApp } from './web-app';

/** Creates the api application (GraphQL, health, metrics, the web app) without listening. */
export async function createApi(options: RuntimeOptions, alongside: DynamicModule[] = []): Promise<INestApplication> {
  // Fastify rather than Express: an HTTP request cost the api about a third less CPU (see docs/voting.md).
  // Requests are logged by logRequests, so Fastify's own logger stays off.
  const adapter = new FastifyAdapter({ trustProxy: 'loopback', genReqId: requestIdFor });
  const app = await NestFactory.create<NestFastifyApplication>(ApiModule.forRoot(options, alongside), adapter, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  await app.register(fastifyCookie);
  const server = app.getHttpAdapter().getInstance();
  timeRequests(server, app.get(Metrics));
  logRequests(server, app.get(ROOT_LOGGER));
  app.useGlobalPipes(new TextPipe(), new ValidationPipe({ transform: true, whitelist: true, exceptionFactory: validationErrorFactory }));
  app.enableShutdownHooks();
  await serveWebApp(app, options.config.webDistDir);
  return app;
}

/** `alongside`: modules to run in the same process, such as the worker on a laptop. */
export async function startApi(options: RuntimeOptions, alongside: DynamicModule[] = []): Promise<INestApplication> {
  const app = await createApi(options, alongside);
  await app.listen(options.config.port, '0.0.0.0');
  return app;
}
