import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A throwaway PostgreSQL cluster in a temp folder on a loopback port. */
export interface PostgresCluster {
  /** Admin URL: `postgres://postgres@127.0.0.1:<port>/postgres`. */
  readonly url: string;
  readonly port: number;
  /** Stops the server (fast shutdown) and deletes the folder. Safe to call twice. */
  stop(): Promise<void>;
  /** Stops the server (fast shutdown: open connections are cut) and starts it again on the same port and data. */
  restart(): Promise<void>;
}

/** Asks the kernel for a free loopback port. */
export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() =>
        typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port')),
      );
    });
  });
}

/** Finds a PostgreSQL server binary on PATH or in Debian's /usr/lib/postgresql/<v>/bin. */
function findPgBinary(name: string): string {
  const onPath = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim();
  if (onPath) return onPath;
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base)
    ? readdirSync(base)
        .filter((v) => existsSync(join(base, v, 'bin', name)))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions[0]) return join(base, versions[0], 'bin', name);
  throw new Error(
    `PostgreSQL server binary "${name}" not found (install Debian's postgresql package, or set TEST_DATABASE_URL)`,
  );
}

/** initdb refuses to run as root; on a root CI box run the server binaries as `postgres`. */
function asPostgresUser(name: string, args: string[]): [string, string[]] {
  const cmd = findPgBinary(name);
  if (process.getuid?.() === 0) return ['runuser', ['-u', 'postgres', '--', cmd, ...args]];
  return [cmd, args];
}

function run(cmd: string, args: string[]): void {
  const [c, a] = asPostgresUser(cmd, args);
  const res = spawnSync(c, a, { encoding: 'utf8' });
  if (res.status !== 0) {
    throw new Error(`${cmd} failed (${res.status}): ${res.stderr || res.stdout}`);
  }
}

/** Starts `postgres` and resolves once it accepts connections (30 s at most). */
async function startServerProcess(dir: string, port: number): Promise<ChildProcess> {
  const [c, a] = asPostgresUser('postgres', [
    '-D',
    join(dir, 'data'),
    '-p',
    String(port),
    '-k',
    dir,
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'fsync=off',
    '-c',
    'synchronous_commit=off',
    '-c',
    'full_page_writes=off',
    '-c',
    'max_connections=300',
  ]);
  const child = spawn(c, a, { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`postgres did not start:\n${log}`));
    }, 30_000);
    const check = (d: Buffer): void => {
      if (d.toString().includes('ready to accept connections')) {
        clearTimeout(timer);
        child.stderr?.off('data', check);
        child.off('exit', onExit);
        resolve();
      }
    };
    const onExit = (code: number | null): void => {
      clearTimeout(timer);
      reject(new Error(`postgres exited (${code}):\n${log}`));
    };
    child.stderr?.on('data', check);
    child.once('exit', onExit);
  });
  // Keep the log bounded once started.
  child.stderr?.removeAllListeners('data');
  child.stderr?.resume();
  return child;
}

/**
 * Fast shutdown (SIGINT): cuts connections, writes a checkpoint, exits. Waits for the exit and,
 * as `runuser` may exit before the postmaster it wraps, for postmaster.pid to go (20 s at most).
 */
async function stopServerProcess(child: ChildProcess, dir: string): Promise<void> {
  const pidFile = join(dir, 'data', 'postmaster.pid');
  // `runuser` does not pass signals on: signal the postmaster itself (its pid heads postmaster.pid).
  const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').split('\n')[0]) : NaN;
  if (Number.isInteger(pid) && pid > 0) {
    try {
      process.kill(pid, 'SIGINT');
    } catch {
      // already gone
    }
  } else {
    child.kill('SIGINT');
  }
  const until = Date.now() + 20_000;
  while (existsSync(pidFile) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  if (child.exitCode === null && child.signalCode === null) {
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
      child.once('exit', () => {
        clearTimeout(force);
        resolve();
      });
      child.kill('SIGINT');
    });
  }
}

/**
 * Starts a throwaway PostgreSQL cluster from the machine's binaries (initdb + postgres; as user
 * `postgres` when run as root) in a temp folder on a free loopback port, tuned for tests
 * (fsync off, 300 connections).
 */
export async function startPostgresCluster(): Promise<PostgresCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'dutydesk-pg-'));
  try {
    if (process.getuid?.() === 0) {
      const pw = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
      const gw = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
      chownSync(dir, Number(pw.stdout.trim()), Number(gw.stdout.trim()));
    }
    chmodSync(dir, 0o700);
    const port = await findFreePort();
    run('initdb', [
      '-D',
      join(dir, 'data'),
      '-U',
      'postgres',
      '--auth=trust',
      '-E',
      'UTF8',
      '--no-sync',
    ]);
    let child = await startServerProcess(dir, port);
    let stopped = false;
    return {
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      port,
      async stop() {
        if (stopped) return;
        stopped = true;
        await stopServerProcess(child, dir);
        rmSync(dir, { recursive: true, force: true });
      },
      async restart() {
        if (stopped) throw new Error('the cluster is stopped');
        await stopServerProcess(child, dir);
        child = await startServerProcess(dir, port);
      },
    };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
