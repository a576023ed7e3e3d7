import { Inject, Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import express from 'express';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { QUIRE_CONFIG, QuireConfig } from '@quire/config';

/** Paths the api answers itself; everything else that asks for HTML is a page of the web app. */
const API_PATHS = /^\/(graphql|health|metrics|auth)(\/|$)/;

/** The built web app's files (scripts, styles, images), served before anything else. */
export function webAppAssets(distDir: string): express.Handler | null {
  const root = resolve(distDir);
  return existsSync(join(root, 'index.html')) ? express.static(root, { index: false, maxAge: '1h' }) : null;
}

/**
 * Answers a page request with index.html so the web app's own routes load. It is Nest
 * middleware, after the request logger, so that page requests are logged (with the secrets in
 * e-mailed links redacted) like every other request.
 */
@Injectable()
export class WebAppPagesMiddleware implements NestMiddleware {
  private readonly index: string | null;

  constructor(@Inject(QUIRE_CONFIG) config: QuireConfig) {
    const index = join(resolve(config.webDistDir), 'index.html');
    this.index = existsSync(index) ? index : null;
  }

  use(req: Request, res: Response, next: NextFunction): void {
    if (!this.index || req.method !== 'GET' || API_PATHS.test(req.baseUrl + req.path) || !req.accepts('html')) return next();
    res.sendFile(this.index);
  }
}
