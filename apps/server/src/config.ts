import { resolve } from 'node:path';

/** Everything the server reads from the environment, parsed once at start. */
export interface ServerConfig {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  adminPassword: string | undefined;
  demo: boolean;
  logLevel: string;
  sessionTtlMs: number;
  staticDir: string | undefined;
  trustProxy: boolean;
  /** Commands per second per user before `rate_limited` (bursts of 4× allowed). */
  commandRate: number;
  /**
   * `DUTYDESK_CLOCK_START`: the server's clock starts at this instant and runs at normal speed
   * from there (rehearsals, and tests that kill a process between SLA thresholds). Unset: the
   * system clock.
   */
  clockStart: Date | undefined;
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
    sessionTtlMs:
      parsePositive(env.DUTYDESK_SESSION_HOURS, 14, 'DUTYDESK_SESSION_HOURS', 24 * 90) * 3_600_000,
    staticDir: env.DUTYDESK_STATIC_DIR?.trim() || undefined,
    trustProxy: env.DUTYDESK_TRUST_PROXY === '1',
    commandRate: parsePositive(env.DUTYDESK_COMMAND_RATE, 50, 'DUTYDESK_COMMAND_RATE', 1_000_000),
    clockStart: parseInstant(env.DUTYDESK_CLOCK_START, 'DUTYDESK_CLOCK_START'),
  };
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
