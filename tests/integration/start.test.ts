/**
 * Issue 16, acceptance 1: `pnpm start` names the console and ends with exit 0 on Ctrl-C.
 * scripts/start.mjs runs for real (server on a throwaway PGlite folder, a free port); a
 * prepared static folder (DUTYDESK_STATIC_DIR) stands in for the renderer so no build runs.
 * On a terminal the test types Ctrl-C into a pseudo-terminal (util-linux `script`), as a person
 * would; without one it sends SIGINT; and a supervisor killed outright takes its server along.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { findFreePort } from '../support/postgres';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const START = join(ROOT, 'scripts', 'start.mjs');
const work = mkdtempSync(join(tmpdir(), 'dutydesk-start-'));
const staticDir = join(work, 'static');
mkdirSync(staticDir);
writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Dutydesk</title>');

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** One data folder for the runs, one after another: only the first start migrates it. */
async function startEnv(): Promise<NodeJS.ProcessEnv> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(await findFreePort()),
    HOST: '127.0.0.1',
    DUTYDESK_DATA_DIR: join(work, 'data'),
    DUTYDESK_STATIC_DIR: staticDir,
    DUTYDESK_DEMO: '0',
    DUTYDESK_ADMIN_PASSWORD: 'start-test-admin-1',
  };
  delete env['DATABASE_URL'];
  return env;
}

interface Run {
  child: ChildProcess;
  output: () => string;
  /** Resolves with the console URL once start.mjs names it. */
  consoleUrl: Promise<string>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Run {
  const child = spawn(command, args, { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const consoleUrl = new Promise<string>((resolve, reject) => {
    const onData = (d: Buffer): void => {
      out += d.toString();
      const m = /Dutydesk console: (http:\/\/\S+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exit.then(({ code, signal }) =>
      reject(new Error(`start exited (${code ?? signal}) before naming the console:\n${out}`)),
    );
  });
  return { child, output: () => out, consoleUrl, exit };
}

async function healthy(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/healthz`)).ok;
  } catch {
    return false;
  }
}

describe('pnpm start (scripts/start.mjs)', () => {
  it('on a terminal: names the console, and Ctrl-C stops the server and exits 0', async () => {
    const env = await startEnv();
    // `script -qefc`: the command runs on a new pseudo-terminal; -e returns its exit code.
    const started = run('script', ['-qefc', `node ${START}`, '/dev/null'], env);
    const url = await started.consoleUrl;
    expect(url).toBe(`http://127.0.0.1:${env['PORT']}`);
    expect(await healthy(url)).toBe(true);
    started.child.stdin?.write('\x03'); // Ctrl-C typed on the terminal
    expect(await started.exit).toEqual({ code: 0, signal: null });
    expect(started.output()).toContain('Stopping Dutydesk');
    expect(started.output()).toContain('dutydesk stopped');
    expect(await healthy(url)).toBe(false);
  });

  it('without a terminal: SIGINT stops the server and exits 0', async () => {
    const env = await startEnv();
    const started = run(process.execPath, [START], env);
    const url = await started.consoleUrl;
    started.child.kill('SIGINT');
    expect(await started.exit).toEqual({ code: 0, signal: null });
    expect(started.output()).toContain('dutydesk stopped');
    expect(await healthy(url)).toBe(false);
  });

  it('a supervisor killed outright takes its server along (the IPC channel closes)', async () => {
    const env = await startEnv();
    const started = run(process.execPath, [START], env);
    const url = await started.consoleUrl;
    started.child.kill('SIGKILL');
    await started.exit;
    // The server is a grandchild of this test, so its exit is not an event here: poll.
    const deadline = Date.now() + 30_000;
    while ((await healthy(url)) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(await healthy(url)).toBe(false);
  });
});
