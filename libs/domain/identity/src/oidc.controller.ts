import { Controller, Get, HttpStatus, Inject, Logger, NotFoundException, Query, Req, Res } from '@nestjs/common';
import type { CookieSerializeOptions } from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { QUIRE_CONFIG, QuireConfig } from '@quire/config';
import { Access } from '@quire/core';
import { OIDC_LOGIN_TTL_SECONDS, OidcErrorCode, OidcService, OidcSignInError } from './oidc.service';
import { setSessionCookie } from './session-cookie';

/** Ties the provider's answer to the browser that started the login (login CSRF protection). */
const LOGIN_COOKIE = 'quire_oidc_login';
const LOGIN_COOKIE_PATH = '/auth/oidc';

/**
 * The browser's side of OpenID Connect sign-in: `/auth/oidc/start` sends the browser to the
 * provider, `/auth/oidc/callback` receives it back. Both answer with redirects, also on failure
 * (to `/sign-in?error=<code>`), because a person is looking at the result. 404 when the
 * installation has no provider configured.
 */
@Access('public')
@Controller('auth/oidc')
export class OidcController {
  private readonly logger = new Logger(OidcController.name);

  constructor(
    @Inject(QUIRE_CONFIG) private readonly config: QuireConfig,
    private readonly oidc: OidcService,
  ) {}

  @Get('start')
  async start(@Query('returnTo') returnTo: unknown, @Res() res: FastifyReply): Promise<void> {
    this.assertEnabled();
    await this.redirecting(res, async () => {
      const { authorizationUrl, loginId } = await this.oidc.start(returnTo);
      // SameSite=Lax: the cookie comes back on the provider's top-level redirect to the callback.
      res.setCookie(LOGIN_COOKIE, loginId, { ...this.loginCookieOptions(), maxAge: OIDC_LOGIN_TTL_SECONDS });
      return authorizationUrl.href;
    });
  }

  @Get('callback')
  async callback(@Req() req: FastifyRequest, @Res() res: FastifyReply): Promise<void> {
    this.assertEnabled();
    await this.redirecting(res, async () => {
      const loginId: unknown = req.cookies?.[LOGIN_COOKIE];
      res.clearCookie(LOGIN_COOKIE, this.loginCookieOptions());
      const { session, returnTo } = await this.oidc.finish(typeof loginId === 'string' ? loginId : undefined, req.originalUrl, req.id);
      setSessionCookie(res, this.config, session.token, session.expiresAt);
      return returnTo;
    });
  }

  private assertEnabled(): void {
    if (!this.oidc.enabled) throw new NotFoundException('Sign-in with an organisation account is not configured here');
  }

  /**
   * Redirects to where `step` says, or to the sign-in page with the failure's code. The status is
   * explicit: Nest has set the route's 200 already, which Fastify's redirect would keep.
   */
  private async redirecting(res: FastifyReply, step: () => Promise<string>): Promise<void> {
    try {
      res.redirect(await step(), HttpStatus.FOUND);
    } catch (error) {
      if (!(error instanceof OidcSignInError)) this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
      res.redirect(`/sign-in?error=${error instanceof OidcSignInError ? error.code : OidcErrorCode.FAILED}`, HttpStatus.FOUND);
    }
  }

  private loginCookieOptions(): CookieSerializeOptions {
    return { httpOnly: true, sameSite: 'lax', secure: this.config.cookieSecure, path: LOGIN_COOKIE_PATH };
  }
}
