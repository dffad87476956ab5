import express, { type Express } from 'express';
import { existsSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROTOCOL_VERSION, rooms } from '@dutydesk/shared';
import type { ServerConfig } from './config';
import { startClockAt, systemClock, type Clock } from './clock';
import type { AppContext } from './context';
import { openDatabase, type Database } from './db/client';
import { createPostgresAdapter } from './db/socketAdapter';
import { createAuthRouter } from './features/auth/auth.routes';
import { ensureAdmin } from './features/auth/auth.service';
import { createHealthRouter } from './features/health/health.routes';
import { createEscalationRouter } from './features/escalation/escalation.routes';
import {
  createEscalationEngine,
  type EscalationEngine,
} from './features/escalation/escalation.service';
import { createAlertsOnConnectHandler } from './features/escalation/escalation.socket';
import { createMajorRouter, createRootCauseJob } from './features/major/major.routes';
import { createRosterRouter } from './features/roster/roster.routes';
import { createHandoverJob } from './features/roster/roster.service';
import { createSlaScheduler, type SlaScheduler } from './features/sla/scheduler';
import {
  loadAuditKey,
  startCheckpointer,
  type AuditKey,
  type Checkpointer,
} from './features/events/checkpoints';
import { createSlaRouter } from './features/sla/sla.routes';
import { defaultSlaSettings, loadSlaSettings } from './features/sla/settings';
import { createTicketsRouter } from './features/tickets/tickets.routes';
import {
  createResumeHandler,
  createTicketSocketHandler,
  startHeadBeacon,
} from './features/tickets/tickets.socket';
import { createHandoffNotifier } from './features/tickets/handoff';
import { createMetrics } from './features/health/metrics';
import { createUsersRouter } from './features/users/users.routes';
import { createUpdatesRouter } from './features/updates/updates.routes';
import { createWallboardRouter } from './features/wallboard/wallboard.routes';
import { createWallboardHub, type WallboardHub } from './features/wallboard/wallboard.socket';
import { seedDemo } from './demo/seed';
import { createBodyParsing } from './http/body';
import { createErrorHandler, notFoundHandler } from './http/errors';
import { markStaticFile, observeRequests } from './http/observe';
import { createSecurityHeaders } from './http/securityHeaders';
import { createLogger, type Logger } from './log';
import { createEventFanout, type EventFanout } from './realtime/fanout';
import { createRealtime, type DutyServer } from './realtime/io';

export interface StartOptions {
  config: ServerConfig;
  clock?: Clock;
  log?: Logger;
}

export interface RunningServer {
  readonly ctx: AppContext;
  readonly io: DutyServer;
  readonly http: HttpServer;
  readonly port: number;
  readonly url: string;
  /** The SLA scheduler of this node (tests drive it with `tick()`). */
  readonly scheduler: SlaScheduler;
  /** The escalation engine of this node (tests drive it with `tick()`). */
  readonly escalation: EscalationEngine;
  /** The audit log's signed head checkpoints of this node (tests force one with `checkpoint()`). */
  readonly checkpoints: Checkpointer;
  /** Graceful stop: stop accepting, finish in-flight work, close sockets, close the database. */
  close(): Promise<void>;
}

const defaultStaticDir = fileURLToPath(new URL('../../desktop/dist/renderer', import.meta.url));

/** Tracks in-flight requests and commands so a stop can wait for them. */
class InFlight {
  private n = 0;
  private waiters: Array<() => void> = [];
  enter(): void {
    this.n += 1;
  }
  leave(): void {
    this.n -= 1;
    if (this.n === 0) for (const w of this.waiters.splice(0)) w();
  }
  idle(): Promise<void> {
    return this.n === 0 ? Promise.resolve() : new Promise((r) => this.waiters.push(r));
  }
}

function buildApp(
  ctx: AppContext,
  inflight: InFlight,
  staticDir: string,
  wallboard: () => WallboardHub,
  escalation: () => EscalationEngine,
): Express {
  const app = express();
  app.disable('x-powered-by');
  // A hop count or the proxies' addresses (never `true`): req.ip and req.secure believe
  // X-Forwarded-For / -Proto only from those (docs/deploy.md).
  if (ctx.config.trustProxy !== false) app.set('trust proxy', ctx.config.trustProxy);
  app.use(createSecurityHeaders());
  app.use((_req, res, next) => {
    inflight.enter();
    res.once('close', () => inflight.leave());
    next();
  });
  app.use(observeRequests(ctx));
  app.use(createHealthRouter(ctx));
  app.use('/api', ...createBodyParsing());
  app.use('/api/auth', createAuthRouter(ctx));
  app.use('/api', createUsersRouter(ctx));
  app.use('/api', createTicketsRouter(ctx));
  app.use('/api', createSlaRouter(ctx));
  app.use('/api', createWallboardRouter(ctx, wallboard));
  app.use('/api', createEscalationRouter(ctx, escalation));
  app.use('/api', createRosterRouter(ctx));
  app.use('/api', createMajorRouter(ctx, escalation));
  app.use('/api', notFoundHandler);
  app.use('/updates', createUpdatesRouter(ctx.config.updatesDir));
  if (existsSync(join(staticDir, 'index.html'))) {
    app.use(express.static(staticDir, { index: false, maxAge: '1h', setHeaders: markStaticFile }));
    // The renderer routes on the client: /, /wallboard, /tickets/… all get the app.
    app.get(/^\/(?!api\/|socket\.io\/).*/, (_req, res) => {
      res.set('Cache-Control', 'no-cache');
      res.sendFile(join(staticDir, 'index.html'));
    });
  } else {
    app.get('/', (_req, res) => {
      res
        .type('text/plain')
        .send(
          'Dutydesk server is running. The console is not built: run `pnpm build`, then reload.',
        );
    });
  }
  app.use(notFoundHandler);
  app.use(createErrorHandler(ctx.log));
  return app;
}

/** Opens the database, applies migrations, creates the admin, and listens. */
export async function startServer(opts: StartOptions): Promise<RunningServer> {
  const { config } = opts;
  const log = opts.log ?? createLogger(config.logLevel, undefined, { format: config.logFormat });
  const clock = opts.clock ?? (config.clockStart ? startClockAt(config.clockStart) : systemClock);
  if (!opts.clock && config.clockStart) {
    log.warn(
      { clockStart: config.clockStart.toISOString() },
      'DUTYDESK_CLOCK_START is set: the server clock is not the wall clock',
    );
  }
  const database: Database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
  });
  const realtime: { io?: DutyServer; fanout?: EventFanout; wallboard?: WallboardHub } = {};
  const ctx: AppContext = {
    database,
    clock,
    log,
    config,
    metrics: createMetrics(),
    sla: defaultSlaSettings,
    commandHandlers: new Map(),
    dropSessions(ids) {
      for (const id of ids) realtime.io?.in(rooms.session(id)).disconnectSockets(true);
    },
    committedListeners: [],
    publish(events) {
      realtime.fanout?.publish(events);
      for (const listener of ctx.committedListeners) {
        try {
          listener(events);
        } catch (err) {
          log.error({ err }, 'event listener failed');
        }
      }
      realtime.wallboard?.notify(events);
    },
  };
  try {
    await loadSlaSettings(ctx);
    const admin = await ensureAdmin(ctx);
    if (admin.generatedPassword) {
      // Printed once, on the console, never logged to the structured log.
      process.stdout.write(
        `\n  Created user "admin" with password: ${admin.generatedPassword}\n  (set DUTYDESK_ADMIN_PASSWORD to choose it; this is shown only once)\n\n`,
      );
    }
    if (config.demo) await seedDemo(ctx);
  } catch (err) {
    await database.close();
    throw err;
  }
  let auditKey: AuditKey;
  try {
    // Generated on the first start; never logged (only its id is, with each checkpoint).
    auditKey = loadAuditKey(config.auditKeyFile, { create: true }) as AuditKey;
  } catch (err) {
    await database.close();
    throw err;
  }

  const inflight = new InFlight();
  const wallboard = createWallboardHub(ctx, () => io);
  const escalation = createEscalationEngine(ctx, () => realtime.io);
  escalation.addJob(createHandoverJob(ctx, escalation));
  escalation.addJob(createRootCauseJob(ctx, escalation));
  ctx.committedListeners.push(createHandoffNotifier(ctx, () => realtime.io));
  const app = buildApp(
    ctx,
    inflight,
    config.staticDir ?? defaultStaticDir,
    () => wallboard,
    () => escalation,
  );
  const http = createServer(app);
  const socketAdapter = database.url ? createPostgresAdapter(database.url, log) : null;
  const io = createRealtime(ctx, http, socketAdapter?.adapter, [
    createTicketSocketHandler(ctx, () => io, inflight),
    wallboard.handler,
    createResumeHandler(ctx),
    createAlertsOnConnectHandler(ctx),
  ]);
  realtime.wallboard = wallboard;
  const fanout = createEventFanout(ctx, io, { cluster: socketAdapter !== null });
  const stopHead = startHeadBeacon(ctx, io, (after, upTo) => fanout.deliveredAll(after, upTo));
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(config.port, config.host, () => {
      http.off('error', reject);
      resolve();
    });
  });
  const port = (http.address() as AddressInfo).port;
  const hostForUrl = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const url = `http://${hostForUrl}:${port}`;
  log.info({ url, db: database.kind, protocolVersion: PROTOCOL_VERSION }, 'dutydesk listening');

  let closing: Promise<void> | null = null;
  realtime.io = io;
  realtime.fanout = fanout;
  const scheduler = createSlaScheduler(ctx);
  scheduler.start();
  escalation.start();
  const checkpoints = startCheckpointer(ctx, auditKey);
  const server = io;
  return {
    ctx,
    io: server,
    http,
    port,
    url,
    scheduler,
    escalation,
    checkpoints,
    close() {
      closing ??= (async () => {
        stopHead();
        const stopped = new Promise<void>((r) => http.close(() => r()));
        http.closeIdleConnections();
        await inflight.idle();
        await scheduler.stop();
        await escalation.stop();
        await checkpoints.stop();
        fanout.flush();
        wallboard.stop();
        server.disconnectSockets(true);
        await new Promise<void>((r) => server.close(() => r()));
        await socketAdapter?.close().catch(() => {});
        http.closeAllConnections();
        await stopped;
        await database.close();
        log.info('dutydesk stopped');
      })();
      return closing;
    },
  };
}
