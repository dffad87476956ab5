import { PGlite } from '@electric-sql/pglite';
import type { SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import * as schema from './schema/index';
import { lockDataDir } from './dataDirLock';

export type Schema = typeof schema;
/** The one data-access seam: both drivers give this type, so repos run the same queries. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
/** A transaction handle, typed like the database. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export type DbKind = 'pglite' | 'postgres';

export interface Database {
  readonly kind: DbKind;
  readonly db: Db;
  /** Connection string for other PostgreSQL clients (the socket.io adapter); null on PGlite. */
  readonly url: string | null;
  /**
   * The connection pool now (`pg`'s counters), or null on PGlite: one in-process connection
   * that runs one query at a time (its queue is internal), so there is no pool to report.
   */
  poolStats(): PoolStats | null;
  close(): Promise<void>;
}

export interface PoolStats {
  /** Connections open (idle and checked out). */
  total: number;
  idle: number;
  /** Queries waiting for a connection (the pool is exhausted). */
  waiting: number;
  max: number;
}

export interface OpenDatabaseOptions {
  /** `postgres://…`: a real PostgreSQL through `pg`. Absent: embedded PGlite. */
  databaseUrl?: string | undefined;
  /** PGlite data folder; `memory://` (or absent) keeps it in memory. */
  dataDir?: string | undefined;
  poolSize?: number;
}

const migrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url));
const MIGRATION_LOCK = 727_274_001;

/** The newest checked-in migration's timestamp (drizzle records it as `created_at`). */
function latestMigrationMillis(): number {
  const journal = JSON.parse(
    readFileSync(join(migrationsFolder, 'meta', '_journal.json'), 'utf8'),
  ) as { entries: Array<{ when: number }> };
  return Math.max(0, ...journal.entries.map((e) => e.when));
}

/**
 * Whether every checked-in migration is applied, read with SELECT alone. drizzle's migrator
 * always starts with CREATE SCHEMA / CREATE TABLE IF NOT EXISTS, which PostgreSQL checks
 * against CREATE rights even when they exist; skipping it when nothing is pending lets the
 * server run as a least-privilege role that owns nothing (docs/deploy.md).
 */
async function isMigrated(query: (text: string) => Promise<unknown[]>): Promise<boolean> {
  try {
    const rows = (await query(
      'select max(created_at) as at from drizzle.__drizzle_migrations',
    )) as Array<{ at: string | number | null }>;
    const at = rows[0]?.at;
    return at != null && Number(at) >= latestMigrationMillis();
  } catch (_e) {
    return false;
  }
}

/** Opens the database and applies the checked-in migrations. */
export async function openDatabase(opts: OpenDatabaseOptions): Promise<Database> {
  if (opts.databaseUrl) return openPostgres(opts.databaseUrl, opts.poolSize ?? 20);
  return openPglite(opts.dataDir);
}

/**
 * The PostgreSQL major version of the PGlite in use (0.3.x is PostgreSQL 17). A data folder is
 * bound to it: PostgreSQL does not open a data directory of another major version.
 */
export const PGLITE_PG_MAJOR = '17';

/**
 * Refuses, with what to do, a PGlite cluster written by another PostgreSQL major version
 * (`PG_VERSION` in the cluster folder) instead of PGlite's own "failed to initialize".
 */
export function checkPgliteVersion(clusterDir: string): void {
  const file = join(clusterDir, 'PG_VERSION');
  if (!existsSync(file)) return;
  const major = readFileSync(file, 'utf8').trim();
  if (major === PGLITE_PG_MAJOR) return;
  throw new Error(
    `The data folder ${clusterDir} was written by PostgreSQL ${major}; this PGlite is PostgreSQL ${PGLITE_PG_MAJOR}. ` +
      'A data folder moves between major versions by dump and restore with the release that wrote it (docs/deploy.md, "Upgrading PGlite").',
  );
}

async function openPglite(dataDir: string | undefined): Promise<Database> {
  const inMemory = !dataDir || dataDir.startsWith('memory://');
  const release = inMemory ? () => {} : lockDataDir(dataDir);
  let client: PGlite;
  try {
    if (!inMemory) checkPgliteVersion(join(dataDir, 'pglite'));
    // The lock file sits in the data folder; PGlite's cluster in a subfolder (initdb wants it empty).
    client = inMemory ? new PGlite() : new PGlite(join(dataDir, 'pglite'));
    await client.waitReady;
    const db = drizzlePglite({ client, schema });
    const pglite = client;
    if (!(await isMigrated(async (text) => (await pglite.query(text)).rows)))
      await migratePglite(db, { migrationsFolder });
    return {
      kind: 'pglite',
      db: db as unknown as Db,
      url: null,
      poolStats: () => null,
      async close() {
        try {
          await client.close();
        } finally {
          release();
        }
      },
    };
  } catch (err) {
    release();
    throw err;
  }
}

async function openPostgres(url: string, poolSize: number): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // Keep a client's error (a database restart) from crashing the process: idle clients report
  // on the pool, checked-out ones on themselves; the query in flight fails and is answered.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  const lockClient = await pool.connect();
  try {
    // Several nodes may start at once: one migrates, the others wait.
    await lockClient.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    if (!(await isMigrated(async (text) => (await lockClient.query(text)).rows)))
      await migratePg(drizzlePg({ client: lockClient, schema }), { migrationsFolder });
  } finally {
    await lockClient.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
    lockClient.release();
  }
  const db = drizzlePg({ client: pool, schema });
  return {
    kind: 'postgres',
    db: db as unknown as Db,
    url,
    poolStats: () => ({
      total: pool.totalCount,
      idle: pool.idleCount,
      waiting: pool.waitingCount,
      max: poolSize,
    }),
    async close() {
      await pool.end();
    },
  };
}

/** Runs raw SQL on either driver: both answer with `{ rows }`. */
export async function queryRows<T>(db: Db | Tx, query: SQL): Promise<T[]> {
  const res = (await db.execute(query)) as unknown as { rows: T[] };
  return res.rows;
}
