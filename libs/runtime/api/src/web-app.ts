import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import accepts from 'accepts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/** Paths the api answers itself; everything else that asks for HTML is a page of the web app. */
const API_PATHS = /^\/(graphql|health|metrics|auth)(\/|$)/;

/**
 * Serves the built web app, if there is one: its files (scripts, styles, images) as they are, and
 * index.html for any other page request, so that the web app's own routes load.
 */
export async function serveWebApp(app: NestFastifyApplication, distDir: string): Promise<void> {
  const root = resolve(distDir);
  const indexFile = join(root, 'index.html');
  if (!existsSync(indexFile)) return;
  // The build does not change while the api runs: its files get a route each, and the page is read once.
  app.useStaticAssets({ root, prefix: '/', index: false, wildcard: false, maxAge: '1h' });
  const page = await readFile(indexFile);
  app.getHttpAdapter().getInstance().get('/*', (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0];
    if (API_PATHS.test(path) || !accepts(request.raw).type(['html'])) return reply.callNotFound();
    return reply.type('text/html; charset=utf-8').send(page);
  });
}
