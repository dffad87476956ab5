import express, { type Express } from 'express';
import { existsSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROTOCOL_VERSION, rooms } from '@dutydesk/shared';
import type { ServerConfig } from './config';
import { startClockAt, systemClock, type Clock } from './clock';
import { createCommandBus } from './commands';
import type { AppContext } from './context';
import { openDatabase, type Database } from './db/client';
import { createPostgresAdapter } from './db/socketAdapter';
import { seedDemo } from './demo/seed';
import { ensureAdmin } from './features/auth';
import type { BlobStore, RetentionReport } from './features/attachments';
import { createAttachmentsModule } from './features/attachments/attachments.module';
import { createAuthModule } from './features/auth/auth.module';
import type { EscalationEngine } from './features/escalation';
import { createEscalationModule } from './features/escalation/escalation.module';
import {
  loadAuditKey,
  type AuditKey,
  type Checkpointer,
  type StoredEvent,
} from './features/events';
import { createEventsModule } from './features/events/events.module';
import { createMetrics } from './features/health';
import { createCustomersModule } from './features/customers/customers.module';
import { createHealthModule } from './features/health/health.module';
import type { MailLinks, MailSender } from './features/mail';
import { createMailModule } from './features/mail/mail.module';
import { createIntakeModule } from './features/intake/intake.module';
import { createImportsModule } from './features/imports/imports.module';
import type { ImportService } from './features/imports';
import { createClassifierModule } from './features/classifier/classifier.module';
import type { ClassifierService } from './features/classifier';
import { createMailInModule, type MailInModule } from './features/mailin/mailin.module';
import { createKbModule } from './features/kb/kb.module';
import { createQualityModule } from './features/quality/quality.module';
import { createReportsModule } from './features/reports/reports.module';
import { buildReport } from './features/reports';
import { createServiceReportsModule, type ServiceReports } from './features/servicereports';
import { createMajorModule } from './features/major/major.module';
import { createProblemsModule } from './features/problems/problems.module';
import { createOpenApiModule } from './features/openapi/openapi.module';
import { createPortalModule } from './features/portal/portal.module';
import { createRosterModule } from './features/roster/roster.module';
import { createSearchModule } from './features/search/search.module';
import {
  createSlaRuntime,
  defaultSlaSettings,
  loadSlaSettings,
  type SlaScheduler,
} from './features/sla';
import { createSlaModule } from './features/sla/sla.module';
import { createSurveysModule, type SurveysModule } from './features/surveys/surveys.module';
import { createResumeHandler } from './features/tickets';
import { createTicketsModule } from './features/tickets/tickets.module';
import { createUpdatesModule } from './features/updates/updates.module';
import { createUsersModule } from './features/users/users.module';
import { createWallboardModule } from './features/wallboard/wallboard.module';
import type { WebhookDispatcher } from './features/webhooks';
import { createWebhooksModule } from './features/webhooks/webhooks.module';
import { createBodyParsing } from './http/body';
import { createErrorHandler, notFoundHandler } from './http/errors';
import { markStaticFile, observeRequests } from './http/observe';
import { createSecurityHeaders } from './http/securityHeaders';
import type { BackgroundLoop } from './jobs/loop';
import { createLogger, type Logger } from './log';
import type { FeatureModule } from './modules';
import { createEventFanout, type EventFanout } from './realtime/fanout';
import { createRealtime, type ConnectionHandler, type DutyServer } from './realtime/io';
import { createReadGate } from './realtime/readGate';

export interface StartOptions {
  config: ServerConfig;
  clock?: Clock;
  log?: Logger;
}

export interface RunningServer {
  readonly ctx: AppContext;
  readonly io: DutyServer;
  readonly http: HttpServer;
  /** The express app (tests walk its routes against `GET /api/openapi.json`). */
  readonly app: Express;
  readonly port: number;
  readonly url: string;
  /** The SLA scheduler of this node (tests drive it with `tick()`). */
  readonly scheduler: SlaScheduler;
  /** The escalation engine of this node (tests drive it with `tick()`). */
  readonly escalation: EscalationEngine;
  /** The audit log's signed head checkpoints of this node (tests force one with `checkpoint()`). */
  readonly checkpoints: Checkpointer;
  /** The webhook delivery of this node (tests drive it with `tick()`). */
  readonly webhooks: WebhookDispatcher;
  /** The attachments' blob store and retention job of this node (tests drive it with `tick()`). */
  readonly attachments: {
    readonly store: BlobStore;
    readonly retention: BackgroundLoop<RetentionReport>;
  };
  /** Outgoing mail on this node: its sender and rules (tests drive them with `tick()`), and its links. */
  readonly mail: {
    readonly sender: MailSender;
    readonly rules: BackgroundLoop<number>;
    setLinks(links: Partial<MailLinks>): void;
  };
  /** The monthly service reports of this node (tests await its background run with `idle()`). */
  readonly serviceReports: ServiceReports;
  /** The surveys of this node: the follow-up alerts and the NPS round (tests drive them). */
  readonly surveys: Pick<SurveysModule, 'followUps' | 'nps'>;
  /** The e-mail intake of this node: its SMTP port when listening, its IMAP poller (tests `tick()` it). */
  readonly mailIn: Pick<MailInModule, 'intake' | 'smtp' | 'imap'>;
  /** The historical import on this node (tests await its jobs with `idle()`). */
  readonly imports: ImportService;
  /** The classifier on this node (tests await its training with `idle()`). */
  readonly classifier: ClassifierService;
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
  modules: readonly FeatureModule[],
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
  const routes = modules.flatMap((m) => m.http ?? []);
  const isApi = (path: string): boolean => path === '/api' || path.startsWith('/api/');
  for (const r of routes) if (!isApi(r.path) || r.readsOwnBody) app.use(r.path, r.handler);
  app.use('/api', ...createBodyParsing());
  for (const r of routes) if (isApi(r.path) && !r.readsOwnBody) app.use(r.path, r.handler);
  app.use('/api', notFoundHandler);
  if (existsSync(join(staticDir, 'index.html'))) {
    app.use(express.static(staticDir, { index: false, maxAge: '1h', setHeaders: markStaticFile }));
    // The renderer routes on the client: /, /wallboard, /tickets/… all get the app. A missing
    // /assets/ file (a chunk of an earlier build, asked by a console opened before an update) is
    // a 404, not index.html: the console then offers to reload (app/lazyScreen.tsx).
    app.get(/^\/(?!api\/|socket\.io\/|assets\/).*/, (_req, res) => {
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
  const realtime: { io?: DutyServer; fanout?: EventFanout } = {};
  /** The features' committed-event listeners, in module order (set once the modules exist). */
  let committedListeners: ReadonlyArray<(events: StoredEvent[]) => void> = [];
  const metrics = createMetrics();
  const publish = (events: StoredEvent[]): void => {
    realtime.fanout?.publish(events);
    for (const listener of committedListeners) {
      try {
        listener(events);
      } catch (err) {
        log.error({ err }, 'event listener failed');
      }
    }
  };
  const ctx: AppContext = {
    database,
    clock,
    log,
    config,
    metrics,
    sla: defaultSlaSettings,
    slaRuntime: createSlaRuntime(),
    readGate: createReadGate(config.readConcurrency, config.readConcurrencyTotal),
    commands: createCommandBus({ database, clock, log, metrics, config, publish }),
    dropSessions(ids) {
      for (const id of ids) realtime.io?.in(rooms.session(id)).disconnectSockets(true);
    },
    publish,
  };
  let auditKey: AuditKey;
  try {
    // Generated on the first start; never logged (only its id is, with each checkpoint).
    auditKey = loadAuditKey(config.auditKeyFile, { create: true }) as AuditKey;
  } catch (err) {
    await database.close();
    throw err;
  }

  // The features, in order: routes mount, sockets are handled, events are heard in this order.
  const inflight = new InFlight();
  const io = (): DutyServer => {
    if (!realtime.io) throw new Error('the socket server starts after the features');
    return realtime.io;
  };
  const fanout = (): EventFanout => {
    if (!realtime.fanout) throw new Error('the fan-out starts after the features');
    return realtime.fanout;
  };
  const escalationModule = createEscalationModule(ctx, { io: () => realtime.io });
  const escalation = escalationModule.engine;
  const slaModule = createSlaModule(ctx);
  const wallboardModule = createWallboardModule(ctx, { io });
  const eventsModule = createEventsModule(ctx, { auditKey });
  const webhooksModule = createWebhooksModule(ctx, { escalation });
  const attachmentsModule = createAttachmentsModule(ctx);
  /** Links in mails: DUTYDESK_PUBLIC_URL, or this server's own address once it listens. */
  const address: { url: string } = { url: config.publicUrl ?? '' };
  // The customer portal (decision 52): mails carry its signed links.
  const portalModule = createPortalModule(ctx, {
    baseUrl: () => address.url,
    store: attachmentsModule.store,
    staticDir: config.staticDir ?? defaultStaticDir,
  });
  const mailModule = createMailModule(ctx, {
    baseUrl: () => address.url,
    links: portalModule.mailLinks,
  });
  const mailInModule = createMailInModule(ctx, { store: attachmentsModule.store });
  const importsModule = createImportsModule(ctx);
  const classifierModule = createClassifierModule(ctx, { imports: importsModule.service });
  const surveysModule = createSurveysModule(ctx, {
    escalation,
    baseUrl: () => address.url,
    setMailLinks: (links) => mailModule.setLinks(links),
    staticDir: config.staticDir ?? defaultStaticDir,
  });
  // The monthly service report (decision 60): the reports feature's tables, kept with a PDF.
  const serviceReportsModule = createServiceReportsModule(ctx, {
    source: (name, query) => buildReport(ctx, name, query),
  });
  const modules: FeatureModule[] = [
    // First to start, last to stop: the final checkpoint signs the head after all other work.
    eventsModule,
    createHealthModule(ctx),
    createAuthModule(ctx),
    createUsersModule(ctx),
    createTicketsModule(ctx, { io, ioIfStarted: () => realtime.io, fanout, inflight }),
    createCustomersModule(ctx),
    slaModule,
    wallboardModule,
    escalationModule,
    createRosterModule(ctx, { escalation }),
    createMajorModule(ctx, { escalation }),
    createUpdatesModule(ctx),
    createSearchModule(ctx),
    createKbModule(ctx),
    createProblemsModule(ctx, { escalation }),
    createQualityModule(ctx),
    // The reports over a period (issue 22): tables, CSV and XLSX.
    createReportsModule(ctx),
    serviceReportsModule,
    attachmentsModule,
    mailModule,
    portalModule,
    // CSAT and NPS: their links in mails, answers on the bus, follow-up alerts up the ladder.
    surveysModule,
    // The monitoring, hotline and chat doors: tickets through the bus, red warnings up the ladder.
    createIntakeModule(ctx, { escalation }),
    // The historical import (issue 21): closed tickets into the log in batches.
    importsModule,
    // Trained after imports and nightly, in slices that yield to commands.
    classifierModule,
    // After the attachments: it stops before their store closes.
    mailInModule,
    // The spec of every module's routes (read at the first request).
    createOpenApiModule(() => modules),
    // Last to start, first to stop: its streams end before the escalation engine they alert through.
    webhooksModule,
  ];
  for (const m of modules) m.registerCommands?.(ctx.commands);
  for (const m of modules) for (const job of m.jobs ?? []) escalation.addJob(job);
  committedListeners = modules.flatMap((m) =>
    m.onCommitted ? [(events: StoredEvent[]) => m.onCommitted?.(events)] : [],
  );

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
    for (const m of modules) await m.prepare?.();
  } catch (err) {
    await database.close();
    throw err;
  }

  const app = buildApp(ctx, inflight, config.staticDir ?? defaultStaticDir, modules);
  const http = createServer(app);
  // `Expect: 100-continue`: Node answers 100 at once unless someone listens. An upload route
  // checks the request's size and rights first and refuses without ever inviting the body.
  http.on('checkContinue', (req, res) => {
    if (!modules.some((m) => m.answersExpectContinue?.(req))) res.writeContinue();
    app(req, res);
  });
  const socketAdapter = database.url ? createPostgresAdapter(database.url, log) : null;
  // Listeners first (commands, presence, the wallboard subscription), then hello and the
  // replay or snapshot, then what must follow it (the open alerts).
  const handlers: ConnectionHandler[] = [
    ...modules.flatMap((m) => (m.socket ? [m.socket] : [])),
    createResumeHandler(ctx),
    ...modules.flatMap((m) => (m.afterResume ? [m.afterResume] : [])),
  ];
  const server = createRealtime(ctx, http, socketAdapter?.adapter, handlers);
  realtime.io = server;
  realtime.fanout = createEventFanout(ctx, server, { cluster: socketAdapter !== null });
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
  if (!config.publicUrl) address.url = url;

  let closing: Promise<void> | null = null;
  for (const m of modules) m.start?.();
  const scheduler = slaModule.scheduler;
  const checkpoints = eventsModule.checkpoints();
  return {
    ctx,
    io: server,
    http,
    app,
    port,
    url,
    scheduler,
    escalation,
    checkpoints,
    webhooks: webhooksModule.dispatcher,
    attachments: { store: attachmentsModule.store, retention: attachmentsModule.retention },
    mail: {
      sender: mailModule.sender,
      rules: mailModule.rules,
      setLinks: (links) => mailModule.setLinks(links),
    },
    mailIn: mailInModule,
    imports: importsModule.service,
    classifier: classifierModule.service,
    surveys: surveysModule,
    serviceReports: serviceReportsModule.reports,
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((r) => http.close(() => r()));
        http.closeIdleConnections();
        await inflight.idle();
        // Background work stops in reverse order (the events module, first, signs a last
        // checkpoint after every other feature's work is done), then the fan-out sends the rest.
        for (const m of [...modules].reverse()) {
          await Promise.resolve(m.stop?.()).catch((err: unknown) =>
            log.error({ err, feature: m.name }, 'feature stop failed'),
          );
        }
        fanout().flush();
        server.disconnectSockets(true);
        await new Promise<void>((r) => {
          void server.close(() => r());
        });
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
