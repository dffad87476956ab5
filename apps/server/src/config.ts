import { ATTACHMENT_LIMITS, DEFAULT_RETENTION_YEARS } from '@dutydesk/shared';
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';

/** Everything the server reads from the environment, parsed once at start. */
export interface ServerConfig {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  adminPassword: string | undefined;
  demo: boolean;
  logLevel: string;
  /**
   * `DUTYDESK_LOG_FORMAT`: `json` (one object a line) or `pretty` (pino-pretty, for people).
   * Unset: pretty when stdout is a terminal, JSON otherwise (a pipe, a file, a supervisor).
   */
  logFormat: 'json' | 'pretty' | undefined;
  sessionTtlMs: number;
  staticDir: string | undefined;
  /**
   * `DUTYDESK_UPDATES_DIR`: a folder of desktop releases (electron-builder's output:
   * `latest*.yml`, installers, blockmaps) served read-only at `/updates/` as the desktop app's
   * update feed. Unset: `/updates/` answers 404.
   */
  updatesDir: string | undefined;
  /**
   * `DUTYDESK_TRUST_PROXY`: whose X-Forwarded-For / -Proto to believe. `false` (unset, `0`):
   * nobody's; a number: that many proxy hops in front of the server; a list: the proxies'
   * addresses or subnets (`10.0.0.2, 10.1.0.0/16`, or Express's `loopback`, `linklocal`,
   * `uniquelocal`). Express's `trust proxy` takes both forms.
   */
  trustProxy: false | number | string[];
  /** Concurrent sockets per user on one node (a wallboard device: per device token). */
  maxSocketsPerUser: number;
  /** Commands per second per user before `rate_limited` (bursts of 4× allowed). */
  commandRate: number;
  /**
   * `DUTYDESK_GROUP_COMMIT` (default on): ticket commands committed together in one statement
   * (decision 56); `0`: each in its own bus transaction.
   */
  groupCommit: boolean;
  /**
   * Heavy reads (`sync`, `GET /api/events`, the timeline) in flight per session token
   * (`DUTYDESK_READ_CONCURRENCY`) and on the node (`DUTYDESK_READ_CONCURRENCY_TOTAL`); more
   * are refused at once with `rate_limited` and a retry delay.
   */
  readConcurrency: number;
  readConcurrencyTotal: number;
  /**
   * A ticket's bounds (`DUTYDESK_TICKET_MAX_ENTRIES`, `DUTYDESK_TICKET_MAX_BYTES`): a command
   * that would add an entry beyond them answers `payload_too_large`.
   */
  ticketMaxEntries: number;
  ticketMaxBytes: number;
  /**
   * Latest entries per log a snapshot, a list or an ack carries (`DUTYDESK_TIMELINE_CARRIED`,
   * 20; and at most about 64 kB of each log).
   */
  timelineCarried: number;
  /** A reconnect's replay that sends more than this (bytes, about) ends in a snapshot. */
  replayMaxBytes: number;
  /**
   * `DUTYDESK_CLOCK_START`: the server's clock starts at this instant and runs at normal speed
   * from there (rehearsals, and tests that kill a process between SLA thresholds). Unset: the
   * system clock.
   */
  clockStart: Date | undefined;
  /**
   * `DUTYDESK_MAX_BACKDATE_DAYS` (default 90): how far in the past a `ticket.create`'s
   * `receivedAt` may lie; older history only from duty managers and admins (features/sla/backdate.ts).
   */
  maxBackdateDays: number;
  /**
   * The Ed25519 key that signs the audit log's head checkpoints (`DUTYDESK_AUDIT_KEY_FILE`,
   * a PKCS#8 PEM; default `audit-key.pem` in the data folder, generated on first start). Every
   * node of a cluster must point at the same key.
   */
  auditKeyFile: string;
  /** A signed head checkpoint after this many events (`DUTYDESK_AUDIT_CHECKPOINT_EVENTS`)… */
  auditCheckpointEvents: number;
  /** …or this many minutes (`DUTYDESK_AUDIT_CHECKPOINT_MINUTES`), whichever comes first. */
  auditCheckpointMinutes: number;
  /**
   * `DUTYDESK_WEBHOOK_ALLOW_HOSTS`: host names, addresses or subnets (comma-separated, e.g.
   * `127.0.0.1,hooks.internal,10.2.0.0/16`) webhooks may reach although they are loopback,
   * private, link-local or otherwise not public. Empty (the default): public addresses only.
   */
  webhookAllowHosts: string[];
  /** `DUTYDESK_WEBHOOK_TIMEOUT_MS` (10 000): one delivery request, connect to last byte read. */
  webhookTimeoutMs: number;
  /**
   * `DUTYDESK_WEBHOOK_LEASE_MS` (30 000): how long a node's claim on a subscription lasts without
   * renewal; another node takes a dead node's subscriptions over after it. At least twice the
   * request timeout (a node renews before each request that could outlast it).
   */
  webhookLeaseMs: number;
  /** Attachments and their blob store (decision 33, docs/deploy.md "Attachments"). */
  attachments: AttachmentsConfig;
  /**
   * `DUTYDESK_PUBLIC_URL`: the address customers and staff reach the server at (links in
   * mails), e.g. `https://desk.example.com`, no trailing slash. Unset: the server's own
   * listening address.
   */
  publicUrl: string | undefined;
  /** Outgoing e-mail (decision 38). */
  mail: MailConfig;
  /** The e-mail intake: SMTP listener and IMAP polling (decision 42); both off by default. */
  mailIn: MailInConfig;
  /** Surveys (decision 53): CSAT after close, the quarterly NPS sample. */
  surveys: SurveysConfig;
  /** The monthly service report's PDF (decision 60). */
  reports: ReportsConfig;
}

/** The service reports' PDF (`DUTYDESK_PDF_FONT`, `DUTYDESK_REPORT_LANG`; decision 60). */
export interface ReportsConfig {
  /**
   * `DUTYDESK_PDF_FONT`: a .ttf, .otf or .ttc with CJK glyphs (`path#PostScriptName` picks a
   * face of a collection). Unset: Debian's fonts-noto-cjk (or fonts-wqy-microhei) if present.
   */
  pdfFont: string | undefined;
  /** `DUTYDESK_REPORT_LANG` (`zh-CN`): the language of the monthly job's PDFs. */
  locale: 'zh-CN' | 'en' | 'ja' | 'ko';
}

/** Surveys (`DUTYDESK_SURVEY_*`, `DUTYDESK_NPS_*`; decision 53). */
export interface SurveysConfig {
  /** `DUTYDESK_SURVEY_LINK_DAYS` (30): a survey link expires this long after its mail is sent. */
  linkDays: number;
  /** `DUTYDESK_NPS_PERCENT` (20): the share of contacts with an e-mail address asked each quarter; 0 turns NPS off. */
  npsPercent: number;
  /** `DUTYDESK_NPS_SEED` (`dutydesk`): the sample's seed (the same seed, quarter and contacts give the same sample). */
  npsSeed: string;
}

/** Outgoing e-mail (`DUTYDESK_SMTP_URL`, `DUTYDESK_MAIL_FROM`; decision 38). */
export interface MailConfig {
  /**
   * `DUTYDESK_SMTP_URL`: `smtp://user:pass@host:587` (STARTTLS when offered) or
   * `smtps://user:pass@host:465` (TLS). Unset: nothing is sent; mails wait in the outbox until
   * they are too old (`maxAgeHours`). Holds a password: never logged.
   */
  smtpUrl: string | undefined;
  /** `DUTYDESK_MAIL_FROM` (default `Dutydesk <dutydesk@localhost>`): the From header. */
  from: string;
  /** `DUTYDESK_MAIL_MAX_AGE_HOURS` (72): a mail not sent by then is given up (`failed`). */
  maxAgeHours: number;
}

/** The e-mail intake (`DUTYDESK_SMTP_*`, `DUTYDESK_IMAP_*`, `DUTYDESK_MAIL_*`; decision 42). */
export interface MailInConfig {
  /** `DUTYDESK_SMTP_LISTEN`: the SMTP listener's port (0: any free one); unset: no listener. */
  smtpPort: number | null;
  /** `DUTYDESK_SMTP_HOST` (default `127.0.0.1`): the address the listener binds. */
  smtpHost: string;
  /**
   * `DUTYDESK_SMTP_DOMAINS`: recipient domains the listener takes mail for (comma-separated);
   * empty: any. Required (or AUTH) when the listener binds beyond loopback.
   */
  smtpDomains: string[];
  /** `DUTYDESK_SMTP_USER` / `DUTYDESK_SMTP_PASSWORD`: when set, senders must AUTH. Never logged. */
  smtpAuth: { user: string; password: string } | null;
  /** `DUTYDESK_MAIL_MAX_BYTES` (default 25 MiB): a larger mail is refused (SMTP 552). */
  maxBytes: number;
  /** `DUTYDESK_IMAP_URL` (`imaps://user:password@host:993/INBOX`): the mailbox to poll. Never logged. */
  imapUrl: string | undefined;
  /** `DUTYDESK_IMAP_POLL_SECONDS` (default 60). */
  imapPollMs: number;
  /** `DUTYDESK_IMAP_MOVE_TO`: the folder an imported mail is moved to; unset: marked seen. */
  imapMoveTo: string | undefined;
  /**
   * `DUTYDESK_MAIL_ID_DOMAINS`: the right-hand sides of Message-IDs the desk's own outgoing
   * mail uses (comma-separated); a mail with one is our own coming back (a loop), ignored.
   */
  ownIdDomains: string[];
}

/** An S3-compatible blob store (`DUTYDESK_S3_*`): set `DUTYDESK_S3_BUCKET` to use one. */
export interface S3StoreConfig {
  bucket: string;
  /** `DUTYDESK_S3_ENDPOINT`: MinIO, Ceph, a cloud's S3 API; unset: the SDK's own for the region. */
  endpoint: string | undefined;
  /** `DUTYDESK_S3_REGION` (default `us-east-1`, what most S3-compatible stores accept). */
  region: string;
  /** `DUTYDESK_S3_FORCE_PATH_STYLE` (default on with an endpoint): the bucket in the path. */
  forcePathStyle: boolean;
  /** `DUTYDESK_S3_PREFIX`: key prefix inside the bucket (e.g. `dutydesk/`). */
  prefix: string;
  /**
   * `DUTYDESK_S3_ACCESS_KEY_ID` / `DUTYDESK_S3_SECRET_ACCESS_KEY`; unset: the SDK's default
   * chain (AWS_ACCESS_KEY_ID…, a profile, an instance role). Never logged.
   */
  accessKeyId: string | undefined;
  secretAccessKey: string | undefined;
}

export interface AttachmentsConfig {
  /** `DUTYDESK_ATTACHMENT_MAX_BYTES` (default 100 MiB): larger uploads answer 413. */
  maxBytes: number;
  /** `DUTYDESK_ATTACHMENT_RETENTION_YEARS` (default 5): bytes kept this long after closure. */
  retentionYears: number;
  /** `DUTYDESK_ATTACHMENT_RETENTION_MINUTES` (default 60): how often the retention job runs. */
  retentionIntervalMs: number;
  /** `DUTYDESK_BLOB_DIR` (default `blobs/` in the data folder): the folder store, and the spool. */
  blobDir: string;
  /** The S3-compatible store, when `DUTYDESK_S3_BUCKET` is set; else the folder. */
  s3: S3StoreConfig | undefined;
}

function parseBoolean(raw: string | undefined, fallback: boolean, name: string): boolean {
  const v = raw?.trim().toLowerCase() ?? '';
  if (v === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

function readAttachmentsConfig(env: NodeJS.ProcessEnv, dataDir: string): AttachmentsConfig {
  const bucket = env.DUTYDESK_S3_BUCKET?.trim() || undefined;
  const endpoint = env.DUTYDESK_S3_ENDPOINT?.trim() || undefined;
  if (endpoint && !/^https?:\/\//.test(endpoint))
    throw new ConfigError('DUTYDESK_S3_ENDPOINT must start with http:// or https://');
  if (endpoint && !bucket)
    throw new ConfigError('DUTYDESK_S3_ENDPOINT is set but DUTYDESK_S3_BUCKET is not');
  const accessKeyId = env.DUTYDESK_S3_ACCESS_KEY_ID?.trim() || undefined;
  const secretAccessKey = env.DUTYDESK_S3_SECRET_ACCESS_KEY || undefined;
  if (Boolean(accessKeyId) !== Boolean(secretAccessKey))
    throw new ConfigError(
      'set both DUTYDESK_S3_ACCESS_KEY_ID and DUTYDESK_S3_SECRET_ACCESS_KEY, or neither',
    );
  const prefix = env.DUTYDESK_S3_PREFIX?.trim() ?? '';
  return {
    maxBytes: Math.floor(
      parsePositive(
        env.DUTYDESK_ATTACHMENT_MAX_BYTES,
        ATTACHMENT_LIMITS.defaultMaxBytes,
        'DUTYDESK_ATTACHMENT_MAX_BYTES',
        5 * 1024 ** 3,
      ),
    ),
    retentionYears: parsePositive(
      env.DUTYDESK_ATTACHMENT_RETENTION_YEARS,
      DEFAULT_RETENTION_YEARS,
      'DUTYDESK_ATTACHMENT_RETENTION_YEARS',
      100,
    ),
    retentionIntervalMs:
      parsePositive(
        env.DUTYDESK_ATTACHMENT_RETENTION_MINUTES,
        60,
        'DUTYDESK_ATTACHMENT_RETENTION_MINUTES',
        7 * 24 * 60,
      ) * 60_000,
    blobDir: resolve(env.DUTYDESK_BLOB_DIR?.trim() || join(dataDir, 'blobs')),
    s3: bucket
      ? {
          bucket,
          endpoint,
          region: env.DUTYDESK_S3_REGION?.trim() || 'us-east-1',
          forcePathStyle: parseBoolean(
            env.DUTYDESK_S3_FORCE_PATH_STYLE,
            endpoint !== undefined,
            'DUTYDESK_S3_FORCE_PATH_STYLE',
          ),
          prefix: prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`,
          accessKeyId,
          secretAccessKey,
        }
      : undefined,
  };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function parsePort(raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new ConfigError(`PORT must be a whole number from 0 to 65535, got "${raw}"`);
  }
  return n;
}

function parsePositive(
  raw: string | undefined,
  fallback: number,
  name: string,
  max: number,
): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0 || n > max) {
    throw new ConfigError(`${name} must be a positive number up to ${max}, got "${raw}"`);
  }
  return n;
}

/** Reads the configuration from an environment (process.env by default). */
export function readConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must start with postgres:// or postgresql://');
  }
  return {
    port: parsePort(env.PORT, 3000),
    host: env.HOST?.trim() || '127.0.0.1',
    databaseUrl,
    dataDir: resolve(env.DUTYDESK_DATA_DIR?.trim() || '.data/pglite'),
    adminPassword: env.DUTYDESK_ADMIN_PASSWORD || undefined,
    demo: env.DUTYDESK_DEMO === '1' || env.DUTYDESK_DEMO === 'true',
    logLevel: env.LOG_LEVEL?.trim() || 'info',
    logFormat: parseLogFormat(env.DUTYDESK_LOG_FORMAT),
    sessionTtlMs:
      parsePositive(env.DUTYDESK_SESSION_HOURS, 14, 'DUTYDESK_SESSION_HOURS', 24 * 90) * 3_600_000,
    staticDir: env.DUTYDESK_STATIC_DIR?.trim() || undefined,
    updatesDir: env.DUTYDESK_UPDATES_DIR?.trim()
      ? resolve(env.DUTYDESK_UPDATES_DIR.trim())
      : undefined,
    trustProxy: parseTrustProxy(env.DUTYDESK_TRUST_PROXY),
    maxSocketsPerUser: Math.floor(
      parsePositive(
        env.DUTYDESK_MAX_SOCKETS_PER_USER,
        20,
        'DUTYDESK_MAX_SOCKETS_PER_USER',
        100_000,
      ),
    ),
    commandRate: parsePositive(env.DUTYDESK_COMMAND_RATE, 50, 'DUTYDESK_COMMAND_RATE', 1_000_000),
    groupCommit: parseBoolean(env.DUTYDESK_GROUP_COMMIT, true, 'DUTYDESK_GROUP_COMMIT'),
    readConcurrency: Math.floor(
      parsePositive(env.DUTYDESK_READ_CONCURRENCY, 2, 'DUTYDESK_READ_CONCURRENCY', 1_000),
    ),
    readConcurrencyTotal: Math.floor(
      parsePositive(
        env.DUTYDESK_READ_CONCURRENCY_TOTAL,
        16,
        'DUTYDESK_READ_CONCURRENCY_TOTAL',
        10_000,
      ),
    ),
    ticketMaxEntries: Math.floor(
      parsePositive(env.DUTYDESK_TICKET_MAX_ENTRIES, 2_000, 'DUTYDESK_TICKET_MAX_ENTRIES', 1e6),
    ),
    ticketMaxBytes: Math.floor(
      parsePositive(env.DUTYDESK_TICKET_MAX_BYTES, 2_000_000, 'DUTYDESK_TICKET_MAX_BYTES', 1e9),
    ),
    timelineCarried: Math.floor(
      parsePositive(env.DUTYDESK_TIMELINE_CARRIED, 20, 'DUTYDESK_TIMELINE_CARRIED', 10_000),
    ),
    replayMaxBytes: Math.floor(
      parsePositive(env.DUTYDESK_REPLAY_MAX_BYTES, 8_000_000, 'DUTYDESK_REPLAY_MAX_BYTES', 1e10),
    ),
    clockStart: parseInstant(env.DUTYDESK_CLOCK_START, 'DUTYDESK_CLOCK_START'),
    maxBackdateDays: parsePositive(
      env.DUTYDESK_MAX_BACKDATE_DAYS,
      90,
      'DUTYDESK_MAX_BACKDATE_DAYS',
      36_500,
    ),
    auditKeyFile: resolve(
      env.DUTYDESK_AUDIT_KEY_FILE?.trim() ||
        join(resolve(env.DUTYDESK_DATA_DIR?.trim() || '.data/pglite'), 'audit-key.pem'),
    ),
    auditCheckpointEvents: Math.round(
      parsePositive(
        env.DUTYDESK_AUDIT_CHECKPOINT_EVENTS,
        1000,
        'DUTYDESK_AUDIT_CHECKPOINT_EVENTS',
        10_000_000,
      ),
    ),
    auditCheckpointMinutes: parsePositive(
      env.DUTYDESK_AUDIT_CHECKPOINT_MINUTES,
      5,
      'DUTYDESK_AUDIT_CHECKPOINT_MINUTES',
      24 * 60,
    ),
    ...parseWebhookSettings(env),
    attachments: readAttachmentsConfig(
      env,
      resolve(env.DUTYDESK_DATA_DIR?.trim() || '.data/pglite'),
    ),
    publicUrl: parsePublicUrl(env.DUTYDESK_PUBLIC_URL),
    mail: readMailConfig(env),
    mailIn: readMailInConfig(env),
    surveys: readSurveysConfig(env),
    reports: readReportsConfig(env),
  };
}

function readReportsConfig(env: NodeJS.ProcessEnv): ReportsConfig {
  const lang = env.DUTYDESK_REPORT_LANG?.trim() || 'zh-CN';
  if (lang !== 'zh-CN' && lang !== 'en' && lang !== 'ja' && lang !== 'ko')
    throw new ConfigError(`DUTYDESK_REPORT_LANG must be zh-CN, en, ja or ko, got "${lang}"`);
  return { pdfFont: env.DUTYDESK_PDF_FONT?.trim() || undefined, locale: lang };
}

function readSurveysConfig(env: NodeJS.ProcessEnv): SurveysConfig {
  const rawPercent = env.DUTYDESK_NPS_PERCENT?.trim() ?? '';
  const npsPercent = rawPercent === '' ? 20 : Number(rawPercent);
  if (!Number.isFinite(npsPercent) || npsPercent < 0 || npsPercent > 100)
    throw new ConfigError(`DUTYDESK_NPS_PERCENT must be 0–100, got "${rawPercent}"`);
  const npsSeed = env.DUTYDESK_NPS_SEED?.trim() || 'dutydesk';
  if (npsSeed.length > 200)
    throw new ConfigError('DUTYDESK_NPS_SEED is longer than 200 characters');
  return {
    linkDays: parsePositive(env.DUTYDESK_SURVEY_LINK_DAYS, 30, 'DUTYDESK_SURVEY_LINK_DAYS', 365),
    npsPercent,
    npsSeed,
  };
}

function parsePublicUrl(raw: string | undefined): string | undefined {
  const value = raw?.trim() ?? '';
  if (value === '') return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`DUTYDESK_PUBLIC_URL must be an http(s) URL, got "${raw}"`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.search || url.hash)
    throw new ConfigError(
      `DUTYDESK_PUBLIC_URL must be an http(s) URL without query, e.g. https://desk.example.com, got "${raw}"`,
    );
  return url.toString().replace(/\/+$/, '');
}

function readMailConfig(env: NodeJS.ProcessEnv): MailConfig {
  const raw = env.DUTYDESK_SMTP_URL?.trim() ?? '';
  let smtpUrl: string | undefined;
  if (raw !== '') {
    let url: URL | null = null;
    try {
      url = new URL(raw);
    } catch {
      url = null;
    }
    // The value holds a password: the message never repeats it.
    if (!url || (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') || !url.hostname)
      throw new ConfigError(
        'DUTYDESK_SMTP_URL must be smtp://[user:pass@]host[:port] or smtps://[user:pass@]host[:port]',
      );
    smtpUrl = raw;
  }
  const from = env.DUTYDESK_MAIL_FROM?.trim() || 'Dutydesk <dutydesk@localhost>';
  if (from.length > 320 || /[\r\n]/.test(from) || !/@/.test(from))
    throw new ConfigError(
      `DUTYDESK_MAIL_FROM must be an address such as "Dutydesk <desk@example.com>", got "${from}"`,
    );
  return {
    smtpUrl,
    from,
    maxAgeHours: parsePositive(
      env.DUTYDESK_MAIL_MAX_AGE_HOURS,
      72,
      'DUTYDESK_MAIL_MAX_AGE_HOURS',
      24 * 365,
    ),
  };
}

function parseList(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(',')
    .map((v) => v.trim().toLowerCase())
    .filter(Boolean);
}

function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

function readMailInConfig(env: NodeJS.ProcessEnv): MailInConfig {
  const listen = env.DUTYDESK_SMTP_LISTEN?.trim() ?? '';
  let smtpPort: number | null = null;
  if (listen !== '') {
    const n = Number(listen);
    if (!Number.isInteger(n) || n < 0 || n > 65535)
      throw new ConfigError(
        `DUTYDESK_SMTP_LISTEN must be a port from 0 to 65535, got "${env.DUTYDESK_SMTP_LISTEN}"`,
      );
    smtpPort = n;
  }
  const smtpHost = env.DUTYDESK_SMTP_HOST?.trim() || '127.0.0.1';
  const smtpDomains = parseList(env.DUTYDESK_SMTP_DOMAINS);
  const bad = smtpDomains.filter((d) => !HOST_NAME.test(d));
  if (bad.length > 0)
    throw new ConfigError(`DUTYDESK_SMTP_DOMAINS must list domain names, got "${bad.join(', ')}"`);
  const user = env.DUTYDESK_SMTP_USER?.trim() || undefined;
  const password = env.DUTYDESK_SMTP_PASSWORD || undefined;
  if (Boolean(user) !== Boolean(password))
    throw new ConfigError('set both DUTYDESK_SMTP_USER and DUTYDESK_SMTP_PASSWORD, or neither');
  const smtpAuth = user && password ? { user, password } : null;
  if (smtpPort !== null && !isLoopbackHost(smtpHost) && smtpDomains.length === 0 && !smtpAuth)
    throw new ConfigError(
      `DUTYDESK_SMTP_HOST is ${smtpHost}, beyond loopback: set DUTYDESK_SMTP_DOMAINS (the recipient domains to take mail for) or DUTYDESK_SMTP_USER and DUTYDESK_SMTP_PASSWORD`,
    );
  const imapUrl = env.DUTYDESK_IMAP_URL?.trim() || undefined;
  if (imapUrl) {
    let url: URL | null = null;
    try {
      url = new URL(imapUrl);
    } catch (_err) {
      url = null;
    }
    // The URL holds a password: the message never repeats it.
    if (!url || !['imap:', 'imaps:'].includes(url.protocol) || !url.hostname || !url.username)
      throw new ConfigError(
        'DUTYDESK_IMAP_URL must be imap:// or imaps://user:password@host[:port][/mailbox]',
      );
  }
  return {
    smtpPort,
    smtpHost,
    smtpDomains,
    smtpAuth,
    maxBytes: Math.floor(
      parsePositive(
        env.DUTYDESK_MAIL_MAX_BYTES,
        25 * 1024 * 1024,
        'DUTYDESK_MAIL_MAX_BYTES',
        512 * 1024 * 1024,
      ),
    ),
    imapUrl,
    imapPollMs:
      parsePositive(env.DUTYDESK_IMAP_POLL_SECONDS, 60, 'DUTYDESK_IMAP_POLL_SECONDS', 24 * 3600) *
      1000,
    imapMoveTo: env.DUTYDESK_IMAP_MOVE_TO?.trim() || undefined,
    ownIdDomains: parseList(env.DUTYDESK_MAIL_ID_DOMAINS),
  };
}

function parseWebhookSettings(
  env: NodeJS.ProcessEnv,
): Pick<ServerConfig, 'webhookAllowHosts' | 'webhookTimeoutMs' | 'webhookLeaseMs'> {
  const raw = env.DUTYDESK_WEBHOOK_ALLOW_HOSTS ?? '';
  const list = raw
    .split(',')
    .map((v) =>
      v
        .trim()
        .toLowerCase()
        .replace(/^\[(.*)\]$/, '$1'),
    )
    .filter(Boolean);
  const bad = list.filter((v) => !isAddressOrSubnet(v) && !HOST_NAME.test(v));
  if (bad.length > 0)
    throw new ConfigError(
      `DUTYDESK_WEBHOOK_ALLOW_HOSTS must list host names, addresses or subnets (e.g. 127.0.0.1,hooks.internal,10.2.0.0/16), got "${bad.join(', ')}"`,
    );
  const timeoutMs = Math.round(
    parsePositive(env.DUTYDESK_WEBHOOK_TIMEOUT_MS, 10_000, 'DUTYDESK_WEBHOOK_TIMEOUT_MS', 120_000),
  );
  const leaseMs = Math.round(
    parsePositive(env.DUTYDESK_WEBHOOK_LEASE_MS, 30_000, 'DUTYDESK_WEBHOOK_LEASE_MS', 3_600_000),
  );
  if (leaseMs < 2 * timeoutMs)
    throw new ConfigError(
      `DUTYDESK_WEBHOOK_LEASE_MS (${leaseMs}) must be at least twice DUTYDESK_WEBHOOK_TIMEOUT_MS (${timeoutMs})`,
    );
  return { webhookAllowHosts: list, webhookTimeoutMs: timeoutMs, webhookLeaseMs: leaseMs };
}

/** A DNS host name (letters, digits, dashes, dots; an optional trailing dot). */
const HOST_NAME =
  /^(?=.{1,253}\.?$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*\.?$/;

function parseLogFormat(raw: string | undefined): 'json' | 'pretty' | undefined {
  const value = raw?.trim().toLowerCase() ?? '';
  if (value === '' || value === 'auto') return undefined;
  if (value === 'json' || value === 'pretty') return value;
  throw new ConfigError(`DUTYDESK_LOG_FORMAT must be json, pretty or auto, got "${raw}"`);
}

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** An IPv4/IPv6 address, optionally with a `/prefix` in range for its family. */
function isAddressOrSubnet(value: string): boolean {
  const [address = '', prefix, ...rest] = value.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  const bits = Number(prefix);
  return /^\d{1,3}$/.test(prefix) && bits >= 0 && bits <= (family === 4 ? 32 : 128);
}

function parseTrustProxy(raw: string | undefined): false | number | string[] {
  const value = raw?.trim() ?? '';
  if (value === '' || value === '0' || value.toLowerCase() === 'false') return false;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops > 10)
      throw new ConfigError(`DUTYDESK_TRUST_PROXY hop count must be 0–10, got "${raw}"`);
    return hops;
  }
  const list = value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
  const bad = list.filter((v) => !PROXY_NAMES.has(v) && !isAddressOrSubnet(v));
  if (bad.length > 0 || list.length === 0) {
    throw new ConfigError(
      `DUTYDESK_TRUST_PROXY must be a hop count (e.g. 1) or proxy addresses/subnets (e.g. 10.0.0.2,10.1.0.0/16), got "${raw}"`,
    );
  }
  return list;
}

function parseInstant(raw: string | undefined, name: string): Date | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const ms = Date.parse(raw);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(raw.trim()) || !Number.isFinite(ms)) {
    throw new ConfigError(
      `${name} must be an ISO-8601 instant like 2026-03-02T02:00:00Z, got "${raw}"`,
    );
  }
  return new Date(ms);
}
