import { INestApplication } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { AddressInfo, createServer } from 'node:net';
import { DataSource } from 'typeorm';
import { loadConfig, QuireConfig } from '@quire/config';
import { ProjectRole, systemActor } from '@quire/core';
import { SessionsService, User, UsersService } from '@quire/domain/identity';
import { Project, ProjectsService } from '@quire/domain/projects';
import { createApi } from '@quire/runtime/api';
import { RuntimeOptions } from '@quire/runtime/infra';
import { WorkerModule } from '@quire/runtime/worker';
import { cleanRedis, createTestDatabase, removeTestDataDir, TEST_REDIS_URL, TestDatabase, testDataDir, testRedisPrefix } from './databases';
import { GraphQLClient } from './graphql-client';
import { waitFor } from './wait';

export interface TestApp {
  app: INestApplication;
  url: string;
  config: QuireConfig;
  options: RuntimeOptions;
  database: TestDatabase;
  dataSource: DataSource;
  client: GraphQLClient;
  /** A person with these roles in `project` (or none), and a signed-in client for them. */
  person(roles: ProjectRole[], project?: Project, extra?: { installationAdmin?: boolean; email?: string; password?: string }): Promise<{ user: User; client: GraphQLClient; token: string }>;
  project(slug?: string): Promise<Project>;
  /**
   * With a worker, waits until every job that is due has run (or failed for good), so that
   * background work does not change the database under a test's feet; without one, returns.
   */
  jobsSettled(): Promise<void>;
  /** Stops the app but keeps its database and Redis keys, to start it again with `resume`. */
  stop(): Promise<{ database: TestDatabase; prefix: string }>;
  close(): Promise<void>;
}

let counter = 0;

/** A port nobody listens on right now, for a server whose address must be known before it starts. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Starts the real api (and, with `worker: true`, the worker in the same process) on a free port
 * against a database and Redis key prefix of its own. `close()` removes both. Give `port` when the
 * app must know its own address (PUBLIC_URL) at start, as for OpenID Connect redirects.
 */
export async function startTestApp(
  options: { label?: string; worker?: boolean; env?: Record<string, string>; port?: number; resume?: { database: TestDatabase; prefix: string }; redisUrl?: string } = {},
): Promise<TestApp> {
  const label = options.label ?? 'app';
  const database = options.resume?.database ?? (await createTestDatabase(label));
  const prefix = options.resume?.prefix ?? testRedisPrefix(label);
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    LOG_LEVEL: 'error',
    QUIRE_REDIS_PREFIX: prefix,
    QUIRE_DATA_DIR: testDataDir(prefix),
    SIGN_IN_RATE_LIMIT: '1000',
    WEB_DIST_DIR: 'dist/web',
    ...(options.port ? { PUBLIC_URL: `http://127.0.0.1:${options.port}` } : {}),
    ...options.env,
  });
  // A fault test passes the address of a Redis of its own (startPrivateRedis) to kill and restart.
  const redisUrl = options.redisUrl ?? TEST_REDIS_URL;
  const runtime: RuntimeOptions = { config, databaseUrl: database.url, redisUrl };
  const app = await createApi(runtime, options.worker ? [WorkerModule.forRoot(runtime, { infra: false })] : []);
  try {
    await app.listen(options.port ?? 0, '127.0.0.1');
  } catch (error) {
    // An app that fails to start (a schema error, say) still holds its connections: release them,
    // or Jest waits for them forever instead of reporting the failure.
    await app.close().catch(() => undefined);
    await database.drop();
    await cleanRedis(prefix, redisUrl);
    throw error;
  }
  const port = (app.getHttpServer().address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  const dataSource = app.get<DataSource>(getDataSourceToken());
  const users = app.get(UsersService);
  const projects = app.get(ProjectsService);
  const sessions = app.get(SessionsService);
  const system = systemActor('test fixture');

  const testApp: TestApp = {
    app, url, config: { ...config, publicUrl: url }, options: runtime, database, dataSource,
    client: new GraphQLClient(url),
    async project(slug) {
      return projects.create(system, { slug: slug ?? `book-${++counter}-${Date.now().toString(36)}`, title: `Test book ${counter}` });
    },
    async person(roles, project, extra = {}) {
      const n = ++counter;
      const user = await dataSource.transaction((tx) =>
        users.create(tx, system, {
          email: extra.email ?? `person${n}-${Date.now().toString(36)}@example.org`,
          displayName: `Person ${n}`,
          locale: 'en',
          password: extra.password ?? 'correct horse battery',
          installationAdmin: extra.installationAdmin,
        }),
      );
      if (project && roles.length) await dataSource.transaction((tx) => projects.grantRoles(tx, system, project.id, user.id, roles));
      const session = await sessions.open(user, 'API');
      return { user, token: session.token, client: new GraphQLClient(url, session.token) };
    },
    async jobsSettled() {
      if (!options.worker) return;
      await waitFor(async () => {
        const [{ due }]: { due: number }[] = await dataSource.query(`SELECT count(*)::int AS due FROM outbox WHERE processed_at IS NULL AND failed_at IS NULL AND run_at <= now()`);
        return due === 0 || undefined;
      }, 'the jobs that are due to run');
    },
    async stop() {
      await app.close();
      return { database, prefix };
    },
    async close() {
      await app.close();
      await database.drop();
      await cleanRedis(prefix, redisUrl);
      removeTestDataDir(prefix);
    },
  };
  return testApp;
}
