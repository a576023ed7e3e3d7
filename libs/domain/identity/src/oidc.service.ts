import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Redis } from 'ioredis';
import * as oidc from 'openid-client';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { QUIRE_CONFIG, QuireConfig } from '@quire/config';
import { Actor } from '@quire/core';
import { AuditService } from '@quire/domain/audit';
import { REDIS } from '@quire/queue';
import { emailProblems, hashToken, newToken, normaliseEmail } from './secrets';
import { SessionsService, SignedIn } from './sessions.service';
import { User } from './user.entity';
import { UsersService } from './users.service';

/**
 * Why a sign-in through the organisation's OpenID Connect provider failed. The browser is sent to
 * `/sign-in?error=<code>` and the web app explains each code in the person's language.
 */
export enum OidcErrorCode {
  /** The provider could not be reached (discovery, token or userinfo request failed). */
  PROVIDER_UNAVAILABLE = 'OIDC_PROVIDER_UNAVAILABLE',
  /** The provider answered with an error or with a response that did not validate. */
  PROVIDER_ERROR = 'OIDC_PROVIDER_ERROR',
  /** The person refused or cancelled at the provider. */
  ACCESS_DENIED = 'OIDC_ACCESS_DENIED',
  /** The callback belongs to no login started in this browser: missing, expired, used or tampered state. */
  STATE_MISMATCH = 'OIDC_STATE_MISMATCH',
  /** The provider gave no usable e-mail address, and Quire needs one for a new account. */
  EMAIL_MISSING = 'OIDC_EMAIL_MISSING',
  /** The provider does not vouch for the e-mail address, so it can neither create nor claim an account. */
  EMAIL_UNVERIFIED = 'OIDC_EMAIL_UNVERIFIED',
  /** The account with this e-mail address is already linked to another identity at the provider. */
  ACCOUNT_CONFLICT = 'OIDC_ACCOUNT_CONFLICT',
  /** Something went wrong on Quire's side (logged). */
  FAILED = 'OIDC_FAILED',
}

export class OidcSignInError extends Error {
  constructor(
    readonly code: OidcErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'OidcSignInError';
  }
}

export const OIDC_CALLBACK_PATH = '/auth/oidc/callback';
/** How long a person may take at the provider before the login has to be started again. */
export const OIDC_LOGIN_TTL_SECONDS = 600;
const SCOPE = 'openid email profile';
const DISCOVERY_TIMEOUT_SECONDS = 10;

/** A started login: where to send the browser, and the id (for a cookie) that ties the callback to this browser. */
export interface OidcLoginStart {
  authorizationUrl: URL;
  loginId: string;
}

export interface OidcSignedIn {
  session: SignedIn;
  returnTo: string;
}

/** Kept in Redis between start and callback, under the login id's hash; read once. */
interface PendingLogin {
  state: string;
  nonce: string;
  codeVerifier: string;
  returnTo: string;
}

/** Who the provider says signed in. */
interface ProviderIdentity {
  issuer: string;
  subject: string;
  email: string | undefined;
  emailVerified: boolean;
  name: string | undefined;
}

/**
 * Sign-in through the installation's OpenID Connect provider (as networks like Pleio offer):
 * authorization code flow with PKCE, state and nonce. A returning person is found by
 * (issuer, subject); a first sign-in claims the account with the same verified e-mail address, or
 * creates one without a password.
 */
@Injectable()
export class OidcService {
  private readonly logger = new Logger(OidcService.name);
  private discovered: Promise<oidc.Configuration> | undefined;

  constructor(
    @Inject(QUIRE_CONFIG) private readonly config: QuireConfig,
    @Inject(REDIS) private readonly redis: Redis,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
  ) {}

  get enabled(): boolean {
    return !!this.config.oidc;
  }

  private get redirectUri(): string {
    return `${this.config.publicUrl}${OIDC_CALLBACK_PATH}`;
  }

  /** Remembers a new login and answers where to send the browser; `returnTo` is kept only if it is a path here. */
  async start(returnTo: unknown): Promise<OidcLoginStart> {
    const provider = await this.provider();
    const login: PendingLogin = {
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
      codeVerifier: oidc.randomPKCECodeVerifier(),
      returnTo: safeReturnPath(returnTo, this.config.publicUrl),
    };
    const loginId = newToken();
    await this.redis.set(this.loginKey(loginId), JSON.stringify(login), 'EX', OIDC_LOGIN_TTL_SECONDS);
    const authorizationUrl = oidc.buildAuthorizationUrl(provider, {
      redirect_uri: this.redirectUri,
      scope: SCOPE,
      state: login.state,
      nonce: login.nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(login.codeVerifier),
      code_challenge_method: 'S256',
    });
    return { authorizationUrl, loginId };
  }

  /**
   * Completes the login that `loginId` (from this browser's cookie) started: validates the
   * provider's answer in `requestUrl` (the path and query the browser arrived with), finds,
   * links or creates the account and opens a web session for it.
   */
  async finish(loginId: string | undefined, requestUrl: string, requestId?: string): Promise<OidcSignedIn> {
    const response = new URL(this.redirectUri);
    response.search = new URL(requestUrl, this.redirectUri).search;
    // The login is consumed before the state is compared, so each state gets exactly one try.
    const login = await this.takeLogin(loginId);
    if (!login || response.searchParams.get('state') !== login.state) {
      throw new OidcSignInError(OidcErrorCode.STATE_MISMATCH, 'The answer from the provider belongs to no sign-in started in this browser');
    }
    const identity = await this.identityFrom(response, login);
    const session = await this.dataSource.transaction(async (tx) => {
      const user = await this.findOrCreateUser(tx, identity, requestId);
      await this.audit.record(tx, actorOf(user, requestId), { projectId: null, action: 'user.signed_in', entityType: 'user', entityId: user.id, data: { via: 'oidc' } });
      return this.sessions.open(user, 'WEB', tx);
    });
    return { session, returnTo: login.returnTo };
  }

  /** The provider's metadata, discovered once; a failed discovery is forgotten, so the next sign-in tries again. */
  private provider(): Promise<oidc.Configuration> {
    this.discovered ??= this.discover().catch((cause: unknown) => {
      this.discovered = undefined;
      this.logger.warn(`OpenID Connect discovery failed: ${reason(cause)}`);
      throw new OidcSignInError(OidcErrorCode.PROVIDER_UNAVAILABLE, 'The sign-in provider could not be reached');
    });
    return this.discovered;
  }

  private async discover(): Promise<oidc.Configuration> {
    const settings = this.config.oidc;
    if (!settings) throw new Error('OpenID Connect is not configured');
    const issuer = new URL(settings.issuer);
    const clientAuthentication = settings.clientSecret ? oidc.ClientSecretBasic(settings.clientSecret) : oidc.None();
    // Plain HTTP only to a provider on this machine (tests, development); anything else must be HTTPS.
    const execute = isLoopback(issuer) ? [oidc.allowInsecureRequests] : [];
    return oidc.discovery(issuer, settings.clientId, undefined, clientAuthentication, { execute, timeout: DISCOVERY_TIMEOUT_SECONDS });
  }

  private loginKey(loginId: string): string {
    return `${this.config.redisPrefix}:oidc:login:${hashToken(loginId)}`;
  }

  private async takeLogin(loginId: string | undefined): Promise<PendingLogin | undefined> {
    if (!loginId || loginId.length > 100) return undefined;
    const stored = await this.redis.getdel(this.loginKey(loginId));
    return stored ? (JSON.parse(stored) as PendingLogin) : undefined;
  }

  /** Exchanges the code (checking state, nonce, PKCE and the ID token) and reads the person's claims. */
  private async identityFrom(response: URL, login: PendingLogin): Promise<ProviderIdentity> {
    const provider = await this.provider();
    try {
      const tokens = await oidc.authorizationCodeGrant(provider, response, {
        pkceCodeVerifier: login.codeVerifier,
        expectedState: login.state,
        expectedNonce: login.nonce,
        idTokenExpected: true,
      });
      const idToken = tokens.claims();
      if (!idToken) throw new oidc.ClientError('the provider sent no ID token');
      // Providers commonly release e-mail and name at the userinfo endpoint rather than in the ID token.
      const userInfo = provider.serverMetadata().userinfo_endpoint ? await oidc.fetchUserInfo(provider, tokens.access_token, idToken.sub) : {};
      const claims: Record<string, unknown> = { ...idToken, ...userInfo };
      return {
        issuer: idToken.iss,
        subject: idToken.sub,
        email: typeof claims['email'] === 'string' ? normaliseEmail(claims['email']) : undefined,
        // Some providers send the boolean as a string.
        emailVerified: claims['email_verified'] === true || claims['email_verified'] === 'true',
        name: typeof claims['name'] === 'string' ? claims['name'] : undefined,
      };
    } catch (cause) {
      throw this.providerFailure(cause);
    }
  }

  private providerFailure(cause: unknown): OidcSignInError {
    this.logger.warn(`OpenID Connect sign-in failed at the provider: ${reason(cause)}`);
    if (cause instanceof oidc.AuthorizationResponseError) {
      return cause.error === 'access_denied'
        ? new OidcSignInError(OidcErrorCode.ACCESS_DENIED, 'Signing in was cancelled at the provider')
        : new OidcSignInError(OidcErrorCode.PROVIDER_ERROR, 'The provider refused the sign-in');
    }
    if (cause instanceof oidc.ClientError || cause instanceof oidc.ResponseBodyError || cause instanceof oidc.WWWAuthenticateChallengeError) {
      return new OidcSignInError(OidcErrorCode.PROVIDER_ERROR, 'The answer from the provider was not valid');
    }
    // Anything else is the network: refused connections, timeouts.
    return new OidcSignInError(OidcErrorCode.PROVIDER_UNAVAILABLE, 'The sign-in provider could not be reached');
  }

  /**
   * The account for this identity: the one linked to it, else the one with the same e-mail address
   * (only if the provider verified it, or anyone could claim an account), else a new one.
   */
  private async findOrCreateUser(tx: EntityManager, identity: ProviderIdentity, requestId: string | undefined): Promise<User> {
    const linked = await tx.findOne(User, { where: { oidcIssuer: identity.issuer, oidcSubject: identity.subject } });
    if (linked) return linked;
    const email = verifiedEmail(identity);
    const link = { oidcIssuer: identity.issuer, oidcSubject: identity.subject };
    const existing = await this.users.findByEmail(email, tx);
    if (!existing) {
      return this.users.create(tx, { kind: 'anonymous', requestId }, {
        email,
        displayName: displayNameFor(identity.name, email),
        locale: 'nl',
        oidc: { issuer: identity.issuer, subject: identity.subject },
      });
    }
    // Only an account not yet linked may be claimed; the condition also settles two concurrent claims.
    const claimed = await tx.update(User, { id: existing.id, oidcSubject: IsNull() }, link);
    if (!claimed.affected) {
      throw new OidcSignInError(OidcErrorCode.ACCOUNT_CONFLICT, 'The account with this e-mail address is linked to another identity at the provider');
    }
    await this.audit.record(tx, actorOf(existing, requestId), { projectId: null, action: 'user.oidc_linked', entityType: 'user', entityId: existing.id, data: { issuer: identity.issuer } });
    return Object.assign(existing, link);
  }
}

function verifiedEmail(identity: ProviderIdentity): string {
  if (!identity.email || emailProblems(identity.email).length) {
    throw new OidcSignInError(OidcErrorCode.EMAIL_MISSING, 'The provider gave no e-mail address');
  }
  if (!identity.emailVerified) {
    throw new OidcSignInError(OidcErrorCode.EMAIL_UNVERIFIED, 'The provider has not verified the e-mail address');
  }
  return identity.email;
}

/** The provider's name for the person, else the e-mail address's local part, fitted to Quire's limits. */
function displayNameFor(name: string | undefined, email: string): string {
  return name?.trim().slice(0, 120).trim() || email.split('@')[0];
}

function actorOf(user: User, requestId: string | undefined): Actor {
  return { kind: 'user', userId: user.id, installationAdmin: user.installationAdmin, requestId };
}

function isLoopback(url: URL): boolean {
  return ['127.0.0.1', '[::1]', 'localhost'].includes(url.hostname);
}

function reason(cause: unknown): string {
  return cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
}

/**
 * Where to go after signing in: a path on this site, or `/`. Absolute URLs, protocol-relative
 * `//host` and backslash tricks that browsers read as another origin are refused (no open redirect).
 */
export function safeReturnPath(returnTo: unknown, publicUrl: string): string {
  if (typeof returnTo !== 'string' || !returnTo.startsWith('/') || returnTo.length > 2000 || /[\\\p{Cc}]/u.test(returnTo)) return '/';
  const base = new URL(publicUrl);
  const target = new URL(returnTo, base);
  const path = `${target.pathname}${target.search}${target.hash}`;
  // `/.//evil.example` normalises to the path `//evil.example`, which a browser reads as another host.
  return target.origin === base.origin && !path.startsWith('//') ? path : '/';
}
