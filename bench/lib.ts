/**
 * Helpers shared by the benches: a PostgreSQL cluster, Dutydesk node processes, the HTTP API,
 * /metrics scraping, percentiles, and cleanup that runs even when a bench fails.
 */
import type { ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { io, type Socket } from 'socket.io-client';
import { startPostgresCluster, type PostgresCluster } from '../tests/support/postgres';
import { spawnServerProcess } from '../tests/support/serverProcess';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const ADMIN_PASSWORD = 'bench-admin-password';
export const PASSWORD = 'bench-password-1';

/** The shared monotonic clock of every process on this machine, in ms. */
export function now(): number {
  return performance.timeOrigin + performance.now();
}

const cleanups: Array<() => Promise<void> | void> = [];
/** Registers a cleanup; `runCleanups` runs them newest first. */
export function onCleanup(fn: () => Promise<void> | void): void {
  cleanups.push(fn);
}
export async function runCleanups(): Promise<void> {
  while (cleanups.length > 0) {
    const fn = cleanups.pop();
    try {
      await fn?.();
    } catch (err) {
      process.stderr.write(`cleanup failed: ${String(err)}\n`);
    }
  }
}

/** Runs `main` with a hard time limit; cleans up on success, failure, the limit and Ctrl-C. */
export function runBench(main: () => Promise<void>, limitMs: number): void {
  let done = false;
  const finish = async (code: number): Promise<void> => {
    if (done) return;
    done = true;
    await runCleanups();
    process.exit(code);
  };
  const limit = setTimeout(() => {
    process.stderr.write(`bench: time limit of ${limitMs / 1000} s reached; stopping\n`);
    void finish(1);
  }, limitMs);
  limit.unref();
  process.on('SIGINT', () => void finish(130));
  process.on('SIGTERM', () => void finish(143));
  main().then(
    () => finish(0),
    (err: unknown) => {
      process.stderr.write(
        `bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
      );
      return finish(1);
    },
  );
}

/** A throwaway PostgreSQL cluster; stopped and deleted by the cleanups. */
export async function startDatabase(): Promise<{ cluster: PostgresCluster; databaseUrl: string }> {
  const cluster = await startPostgresCluster();
  onCleanup(() => cluster.stop());
  // The cluster is throwaway: its default database is the bench's.
  return { cluster, databaseUrl: cluster.url };
}

export interface NodeProcess {
  url: string;
  child: ChildProcess;
  /** SIGTERM, then SIGKILL after 10 s; resolves on exit. */
  stop(): Promise<void>;
}

/**
 * Starts a Dutydesk server process, stopped by the cleanups. `BENCH_NODE_ARGS` (space-separated,
 * e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`) is passed to the server nodes' node only.
 */
export async function startNode(
  databaseUrl: string,
  env: Record<string, string> = {},
): Promise<NodeProcess> {
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const { url, child } = await spawnServerProcess(
    {
      DATABASE_URL: databaseUrl,
      DUTYDESK_ADMIN_PASSWORD: ADMIN_PASSWORD,
      DUTYDESK_COMMAND_RATE: '100000',
      // The fan-out bench opens 50 seats per account; the per-user socket cap is not measured.
      DUTYDESK_MAX_SOCKETS_PER_USER: '100000',
      DUTYDESK_DEMO: '0',
      LOG_LEVEL: 'warn',
      ...env,
    },
    nodeArgs,
  );
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('exit', () => {
        clearTimeout(force);
        resolve();
      });
      child.kill('SIGTERM');
    });
  onCleanup(stop);
  return { url, child, stop };
}

/** Calls the JSON API. */
export async function api<T = unknown>(
  base: string,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown } = {},
): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = {};
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(base + path, {
    method,
    headers,
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  return { status: res.status, body: (await res.json()) as T };
}

export async function login(base: string, username: string, password: string): Promise<string> {
  const res = await api<{ token: string }>(base, 'POST', '/api/auth/login', {
    body: { username, password },
  });
  if (res.status !== 200)
    throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.token;
}

/** Creates `count` users with one role and logs each in once; returns their tokens. */
export async function createAgents(
  base: string,
  prefix: string,
  count: number,
  role = 'agent',
): Promise<string[]> {
  const admin = await login(base, 'admin', ADMIN_PASSWORD);
  const tokens: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const username = `${prefix}${i}`;
    const res = await api(base, 'POST', '/api/users', {
      token: admin,
      body: { username, password: PASSWORD, displayName: username, roles: [role] },
    });
    if (res.status !== 201)
      throw new Error(`create ${username}: ${res.status} ${JSON.stringify(res.body)}`);
    tokens.push(await login(base, username, PASSWORD));
  }
  return tokens;
}

/** Reads gauges and counters from a node's /metrics (Prometheus text). */
export async function scrape(base: string): Promise<Map<string, number>> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || !line.trim()) continue;
    const m = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (m?.[1] && !m[2]) out.set(m[1], Number(m[3]));
  }
  return out;
}

/** Percentile of a sorted array (nearest rank). */
export function pct(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? Number.NaN;
}

export function fmt(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  return ms >= 100 ? ms.toFixed(0) : ms.toFixed(1);
}

/** Parses `--name value` flags with numeric defaults. */
export function flags<T extends Record<string, number>>(defaults: T): T {
  const out: Record<string, number> = { ...defaults };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 1) {
    const a = argv[i] ?? '';
    if (!a.startsWith('--')) continue;
    const key = a.slice(2);
    if (!(key in defaults))
      throw new Error(`unknown flag ${a}; known: ${Object.keys(defaults).join(', ')}`);
    out[key] = Number(argv[i + 1]);
    i += 1;
  }
  return out as T;
}

/** A small deterministic generator, so both databases get the same data (a mulberry32). */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A command's acknowledgement as a bench reads it. */
export interface BenchAck {
  ok: boolean;
  ticket?: { id: string; version: number };
  error?: { code: string; message: string };
}

/** A seat's socket on `url`, resolved at the server's `hello`; no reconnection. */
export function connectSeat(url: string, token: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = io(url, { transports: ['websocket'], auth: { token }, reconnection: false });
    s.once('hello', () => resolve(s));
    s.once('connect_error', reject);
  });
}

/** Sends one command with a fresh commandId and resolves with its ack. */
export function sendCommand(socket: Socket, body: Record<string, unknown>): Promise<BenchAck> {
  return new Promise((resolve) =>
    socket.emit('command', { commandId: crypto.randomUUID(), ...body }, (ack: BenchAck) =>
      resolve(ack),
    ),
  );
}
