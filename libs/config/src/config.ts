import { z } from 'zod';

/**
 * The one place that reads the environment. Everything else receives a validated `QuireConfig`,
 * so a typo in a variable stops Quire at start with a message that names the variable.
 */
const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const environmentSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: z.string().url().optional(),
  DATABASE_URL: z.string().url().optional(),
  REDIS_URL: z.string().url().optional(),
  QUIRE_DATA_DIR: z.string().default('.quire'),
  QUIRE_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
  QUIRE_LOCAL_REDIS_PORT: z.coerce.number().int().min(1).max(65535).default(6379),
  QUIRE_REDIS_PREFIX: z.string().regex(/^[a-z0-9:_-]+$/i).default('quire'),
  SESSION_TTL_HOURS: z.coerce.number().int().positive().default(24 * 14),
  SESSION_CACHE_SECONDS: z.coerce.number().int().min(0).default(60),
  COOKIE_SECURE: booleanFromEnv.optional(),
  INVITATION_TTL_HOURS: z.coerce.number().int().positive().default(24 * 14),
  PASSWORD_RESET_TTL_MINUTES: z.coerce.number().int().positive().default(60),
  SIGN_IN_RATE_LIMIT: z.coerce.number().int().positive().default(10),
  SIGN_IN_RATE_WINDOW_SECONDS: z.coerce.number().int().positive().default(300),
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().default('Quire <noreply@quire.local>'),
  OUTBOX_REASSERT_SECONDS: z.coerce.number().positive().default(60),
  OIDC_ISSUER: z.string().url().optional(),
  OIDC_CLIENT_ID: z.string().optional(),
  OIDC_CLIENT_SECRET: z.string().optional(),
  OIDC_LABEL: z.string().default('organisation account'),
  GRAPHQL_MAX_DEPTH: z.coerce.number().int().positive().default(10),
  GRAPHQL_MAX_COMPLEXITY: z.coerce.number().int().positive().default(2000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  WEB_DIST_DIR: z.string().default('dist/web'),
  COLLAB_PORT: z.coerce.number().int().min(0).max(65535).default(3001),
  COLLAB_PATH: z.string().regex(/^\/[a-z0-9/_-]*[a-z0-9_-]$/i).default('/collab'),
  COLLAB_PUBLIC_URL: z.string().url().regex(/^wss?:\/\//, 'must start with ws:// or wss://').optional(),
  COLLAB_TICKET_SECRET: z.string().min(32).optional(),
  COLLAB_TICKET_TTL_SECONDS: z.coerce.number().int().min(5).max(3600).default(300),
  COLLAB_MAX_MESSAGE_BYTES: z.coerce.number().int().min(1024).default(4 * 1024 * 1024),
  COLLAB_MAX_DOCUMENT_BYTES: z.coerce.number().int().min(1024).default(16 * 1024 * 1024),
  COLLAB_MAX_CONNECTIONS_PER_USER: z.coerce.number().int().positive().default(20),
  COLLAB_MAX_CONNECTIONS_PER_DOCUMENT: z.coerce.number().int().positive().default(1000),
  COLLAB_MAX_PENDING_CONNECTIONS: z.coerce.number().int().positive().default(512),
  COLLAB_PING_INTERVAL_SECONDS: z.coerce.number().positive().default(30),
  COLLAB_UNLOAD_DELAY_MS: z.coerce.number().int().min(0).default(5000),
  COLLAB_ACCESS_RECHECK_SECONDS: z.coerce.number().positive().default(15),
  COLLAB_DERIVE_DELAY_MS: z.coerce.number().int().min(0).default(2000),
  COLLAB_COMPACT_EVERY: z.coerce.number().int().positive().default(500),
  COLLAB_DB_POOL_SIZE: z.coerce.number().int().min(3).max(100).default(16),
});

export type Environment = z.infer<typeof environmentSchema>;

export interface QuireConfig {
  nodeEnv: Environment['NODE_ENV'];
  port: number;
  publicUrl: string;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  redisPrefix: string;
  dataDir: string;
  /** Port of the embedded PostgreSQL (used when DATABASE_URL is unset). */
  embeddedPostgresPort: number;
  /** Port of the local Redis tried (and started) when REDIS_URL is unset. */
  localRedisPort: number;
  sessionTtlHours: number;
  /** How long an api process may answer a session token from memory; sign-outs reach every process at once. */
  sessionCacheSeconds: number;
  cookieSecure: boolean;
  invitationTtlHours: number;
  passwordResetTtlMinutes: number;
  signInRateLimit: { points: number; windowSeconds: number };
  mail: { smtpUrl: string | undefined; from: string };
  /** Seconds a relayed job may stay unprocessed before the relay adds it again (Redis may have lost it). */
  outbox: { reassertAfterSeconds: number };
  oidc: { issuer: string; clientId: string; clientSecret: string | undefined; label: string } | undefined;
  graphql: { maxDepth: number; maxComplexity: number };
  logLevel: Environment['LOG_LEVEL'];
  webDistDir: string;
  collab: CollabConfig;
}

/** The collaboration service (Yjs over WebSocket): where it listens, its tickets and its limits. */
export interface CollabConfig {
  /** Port of a collab process of its own (`quire collab`); `quire start` serves collab on the api's port. */
  port: number;
  /** Documents are at `<path>/<documentName>`. */
  path: string;
  /** The WebSocket address clients connect to (before `/<documentName>`), handed out with tickets. */
  publicUrl: string;
  /** Signs tickets; unset: a secret kept in the data directory (shared by processes that share it). */
  ticketSecret: string | undefined;
  ticketTtlSeconds: number;
  maxMessageBytes: number;
  maxDocumentBytes: number;
  maxConnectionsPerUser: number;
  maxConnectionsPerDocument: number;
  maxPendingConnections: number;
  pingIntervalMs: number;
  unloadDelayMs: number;
  accessRecheckMs: number;
  deriveDelayMs: number;
  compactEvery: number;
  dbPoolSize: number;
}

export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid configuration: ${issues.join('; ')}`);
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): QuireConfig {
  const parsed = environmentSchema.safeParse(stripEmpty(env));
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  if (e.OIDC_ISSUER && !e.OIDC_CLIENT_ID) {
    throw new ConfigError(['OIDC_CLIENT_ID: required when OIDC_ISSUER is set']);
  }
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, '');
  return {
    nodeEnv: e.NODE_ENV,
    port: e.PORT,
    publicUrl,
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    redisPrefix: e.QUIRE_REDIS_PREFIX,
    dataDir: e.QUIRE_DATA_DIR,
    embeddedPostgresPort: e.QUIRE_PG_PORT,
    localRedisPort: e.QUIRE_LOCAL_REDIS_PORT,
    sessionTtlHours: e.SESSION_TTL_HOURS,
    sessionCacheSeconds: e.SESSION_CACHE_SECONDS,
    cookieSecure: e.COOKIE_SECURE ?? publicUrl.startsWith('https://'),
    invitationTtlHours: e.INVITATION_TTL_HOURS,
    passwordResetTtlMinutes: e.PASSWORD_RESET_TTL_MINUTES,
    signInRateLimit: { points: e.SIGN_IN_RATE_LIMIT, windowSeconds: e.SIGN_IN_RATE_WINDOW_SECONDS },
    mail: { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM },
    outbox: { reassertAfterSeconds: e.OUTBOX_REASSERT_SECONDS },
    oidc: e.OIDC_ISSUER
      ? { issuer: e.OIDC_ISSUER, clientId: e.OIDC_CLIENT_ID as string, clientSecret: e.OIDC_CLIENT_SECRET, label: e.OIDC_LABEL }
      : undefined,
    graphql: { maxDepth: e.GRAPHQL_MAX_DEPTH, maxComplexity: e.GRAPHQL_MAX_COMPLEXITY },
    logLevel: e.LOG_LEVEL,
    webDistDir: e.WEB_DIST_DIR,
    collab: {
      port: e.COLLAB_PORT,
      path: e.COLLAB_PATH,
      // By default collab is reached where people reach Quire: the api serves it (`quire start`) or
      // the proxy in front forwards the path to the collab service.
      publicUrl: (e.COLLAB_PUBLIC_URL ?? `${publicUrl.replace(/^http/, 'ws')}${e.COLLAB_PATH}`).replace(/\/$/, ''),
      ticketSecret: e.COLLAB_TICKET_SECRET,
      ticketTtlSeconds: e.COLLAB_TICKET_TTL_SECONDS,
      maxMessageBytes: e.COLLAB_MAX_MESSAGE_BYTES,
      maxDocumentBytes: e.COLLAB_MAX_DOCUMENT_BYTES,
      maxConnectionsPerUser: e.COLLAB_MAX_CONNECTIONS_PER_USER,
      maxConnectionsPerDocument: e.COLLAB_MAX_CONNECTIONS_PER_DOCUMENT,
      maxPendingConnections: e.COLLAB_MAX_PENDING_CONNECTIONS,
      pingIntervalMs: e.COLLAB_PING_INTERVAL_SECONDS * 1000,
      unloadDelayMs: e.COLLAB_UNLOAD_DELAY_MS,
      accessRecheckMs: e.COLLAB_ACCESS_RECHECK_SECONDS * 1000,
      deriveDelayMs: e.COLLAB_DERIVE_DELAY_MS,
      compactEvery: e.COLLAB_COMPACT_EVERY,
      dbPoolSize: e.COLLAB_DB_POOL_SIZE,
    },
  };
}

/** An empty variable means "not set", as in most twelve-factor apps. */
function stripEmpty(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => !!entry[1]));
}

/** Nest injection token for the validated configuration. */
export const QUIRE_CONFIG = Symbol('QUIRE_CONFIG');
