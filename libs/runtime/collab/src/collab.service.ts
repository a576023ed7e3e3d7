import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap, Optional } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { once } from 'node:events';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { BODY_FIELD, CollabHub, CollabWebSocketServer, DocumentStore, META_FIELD, RedisFanout, resolveTicketSecret, sqlOfPool } from '@quire/collab-core';
import { PortraitCollabAuthorizer } from '@quire/domain/manuscripts';
import { enqueue } from '@quire/queue';
import { RUNTIME_OPTIONS, RuntimeOptions } from '@quire/runtime/infra';

/** The event loop delay histogram records the time between its timer's runs: this interval plus the delay. */
const EVENT_LOOP_SAMPLE_MS = 10;

/**
 * Runs the collaboration service in this process: the document hub over a pg pool of its own (the
 * update log is the hot path), fan-out over Redis, portrait access rules, and the WebSocket
 * transport. In an api process (`quire start`) it serves `/collab/...` on the api's port; alone
 * (`quire collab`) it listens on COLLAB_PORT with health and metrics of its own.
 */
@Injectable()
export class CollabService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Collab');
  private readonly pool: Pool;
  private readonly fanout: RedisFanout;
  readonly hub: CollabHub;
  private readonly transport: CollabWebSocketServer;
  private ownServer: Server | undefined;
  /** How late timers fire: time an update spends waiting for this process, not for PostgreSQL. */
  private readonly eventLoopDelay = monitorEventLoopDelay({ resolution: EVENT_LOOP_SAMPLE_MS });
  /** Documents whose compaction was asked for recently: the outbox gets one job per document per minute. */
  private readonly compactionAsked = new Map<string, number>();

  constructor(
    @Inject(RUNTIME_OPTIONS) private readonly options: RuntimeOptions,
    @InjectDataSource() private readonly dataSource: DataSource,
    authorizer: PortraitCollabAuthorizer,
    @Optional() private readonly httpAdapterHost?: HttpAdapterHost,
  ) {
    const { config } = options;
    const collab = config.collab;
    this.pool = new Pool({ connectionString: options.databaseUrl, max: collab.dbPoolSize });
    this.pool.on('error', (error) => this.logger.warn(`PostgreSQL: ${error.message}`));
    this.fanout = new RedisFanout(options.redisUrl, config.redisPrefix, `collab-${process.pid}-${Date.now().toString(36)}`, (error) => this.logger.warn(`Redis: ${error.message}`));
    this.hub = new CollabHub({
      store: new DocumentStore(sqlOfPool(this.pool)),
      fanout: this.fanout,
      authorizer,
      policy: { allowedRootTypes: [BODY_FIELD, META_FIELD] },
      limits: {
        maxMessageBytes: collab.maxMessageBytes,
        maxDocumentBytes: collab.maxDocumentBytes,
        maxConnectionsPerUser: collab.maxConnectionsPerUser,
        maxConnectionsPerDocument: collab.maxConnectionsPerDocument,
        maxPendingConnections: collab.maxPendingConnections,
        pingIntervalMs: collab.pingIntervalMs,
      },
      timing: {
        unloadDelayMs: collab.unloadDelayMs,
        accessRecheckMs: collab.accessRecheckMs,
        deriveDelayMs: collab.deriveDelayMs,
        compactEvery: collab.compactEvery,
        // Appends in flight at once: commits that overlap share PostgreSQL's WAL flushes, so a
        // slow fsync holds up the updates of its own round, not the rounds queued behind it.
        // Two connections stay free for loading and catching up.
        flushConcurrency: Math.max(1, collab.dbPoolSize - 2),
      },
      onCompactionDue: (documentName) => this.askForCompaction(documentName),
      logger: { warn: (message) => this.logger.warn(message), error: (message) => this.logger.error(message) },
    });
    this.transport = new CollabWebSocketServer({ hub: this.hub, path: collab.path, ticketSecret: resolveTicketSecret(collab.ticketSecret, config.dataDir) });
  }

  /** The port collab listens on when it runs alone (the api's port otherwise). */
  get port(): number | undefined {
    return (this.ownServer?.address() as AddressInfo | null)?.port;
  }

  async onApplicationBootstrap(): Promise<void> {
    this.eventLoopDelay.enable();
    const apiServer: Server | undefined = this.httpAdapterHost?.httpAdapter?.getHttpServer();
    if (apiServer) {
      this.transport.attach(apiServer);
      return;
    }
    const server = createServer((request, response) => void this.answerHttp(request, response));
    server.on('upgrade', (request, socket, head) => {
      if (!this.transport.handleUpgrade(request, socket, head)) socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
    });
    server.listen(this.options.config.collab.port, '0.0.0.0');
    await once(server, 'listening');
    this.ownServer = server;
    this.logger.log(`Collaboration service listening on port ${this.port}${this.options.config.collab.path}`);
  }

  /** Clients are told to reconnect (elsewhere), accepted edits are stored, then connections close. */
  async beforeApplicationShutdown(): Promise<void> {
    this.eventLoopDelay.disable();
    await this.transport.close();
    await this.hub.close();
    await this.fanout.close();
    await this.pool.end();
    if (this.ownServer) await new Promise((resolve) => this.ownServer?.close(resolve));
  }

  private askForCompaction(documentName: string): void {
    const now = Date.now();
    if ((this.compactionAsked.get(documentName) ?? 0) > now - 60_000) return;
    this.compactionAsked.set(documentName, now);
    for (const [name, at] of this.compactionAsked) if (at <= now - 60_000) this.compactionAsked.delete(name);
    this.dataSource
      .transaction((em) => enqueue(em, 'collab', 'compact', { documentName }))
      .catch((error) => this.logger.warn(`Asking for compaction of ${documentName} failed: ${error instanceof Error ? error.message : error}`));
  }

  /** Health and metrics of a collab process of its own. */
  private async answerHttp(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://collab.invalid');
    if (url.pathname === '/health/live') return void response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    if (url.pathname === '/health/ready') {
      const ready = await this.pool.query('SELECT 1').then(() => true, () => false);
      return void response.writeHead(ready ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify({ status: ready ? 'ok' : 'unavailable', postgres: ready }));
    }
    if (url.pathname === '/metrics') {
      // `?gc=1` collects garbage first, when the process runs with --expose-gc (tests of memory use).
      const gc = (globalThis as { gc?: () => void }).gc;
      if (url.searchParams.get('gc') === '1' && gc) gc();
      return void response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(this.metricsText());
    }
    response.writeHead(404).end();
  }

  private metricsText(): string {
    const stats = this.hub.stats();
    const memory = process.memoryUsage();
    const lines: [string, string, number][] = [
      ['quire_collab_open_documents', 'Documents loaded in this instance', stats.documents],
      ['quire_collab_connections', 'Open and admitting connections', stats.connections],
      ['quire_collab_admitting_connections', 'Connections being admitted', stats.admitting],
      ['quire_collab_stored_updates_total', 'Updates appended to the log by this instance', stats.storedUpdates],
      ['quire_collab_appends_total', 'Append statements run by this instance', stats.appends],
      ['quire_collab_loads_total', 'Documents loaded from the store', stats.loads],
      ['quire_collab_failed_loads_total', 'Document loads that failed (nothing of them is ever stored)', stats.failedLoads],
      ['quire_collab_append_p50_ms', 'Median time of an append statement since the last scrape', stats.appendMs.p50],
      ['quire_collab_append_p99_ms', '99th percentile time of an append statement since the last scrape', stats.appendMs.p99],
      ['quire_collab_accept_to_relay_p50_ms', 'Median time from accepting an update to relaying it (stored in between) since the last scrape', stats.acceptToRelayMs.p50],
      ['quire_collab_accept_to_relay_p99_ms', '99th percentile time from accepting an update to relaying it since the last scrape', stats.acceptToRelayMs.p99],
      ['quire_collab_event_loop_delay_p99_ms', '99th percentile event loop delay (beyond the sampling interval) since the last scrape', Math.max(0, this.eventLoopDelay.percentile(99) / 1e6 - EVENT_LOOP_SAMPLE_MS)],
      ['quire_collab_heap_used_bytes', 'V8 heap in use', memory.heapUsed],
      ['quire_collab_rss_bytes', 'Resident set size', memory.rss],
    ];
    this.eventLoopDelay.reset();
    this.hub.restartTimings();
    return lines.map(([name, help, value]) => `# HELP ${name} ${help}\n# TYPE ${name} ${name.endsWith('_total') ? 'counter' : 'gauge'}\n${name} ${value}\n`).join('');
  }
}
