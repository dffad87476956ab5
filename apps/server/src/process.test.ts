import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const main = join(root, 'apps/server/src/main.ts');

interface Spawned {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function spawnServer(env: Record<string, string>): Spawned {
  // node itself, not the tsx wrapper: tsx relays SIGTERM and, when the child does not confirm
  // within 30 ms (a loaded machine), kills it and exits 143.
  const child = spawn(process.execPath, ['--import', 'tsx', main], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) =>
    child.once('exit', (code, sig) => {
      if (sig) out += `[signal ${sig}]`;
      r(code);
    }),
  );
  return { child, output: () => out, exited };
}

/** Resolves with the milliseconds until the process prints its ready line. */
function waitReady(s: Spawned): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const check = (): void => {
      const m = /ready at (http:\/\/\S+)/.exec(s.output());
      if (m) resolve(performance.now() - t0);
    };
    s.child.stdout?.on('data', check);
    void s.exited.then((code) => reject(new Error(`server exited ${code}: ${s.output()}`)));
  });
}

describe('the server process', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dutydesk-proc-'));
  const running: Spawned[] = [];
  afterAll(() => {
    for (const s of running) s.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts on PGlite, refuses a second process on the same folder, and stops on SIGTERM', async () => {
    const env = { PORT: '0', DUTYDESK_DATA_DIR: dir, DUTYDESK_ADMIN_PASSWORD: 'admin-password-1' };
    const cold = spawnServer(env);
    running.push(cold);
    const coldMs = await waitReady(cold);
    cold.child.kill('SIGTERM');
    expect(await cold.exited, cold.output()).toBe(0);

    const warm = spawnServer(env);
    running.push(warm);
    const warmMs = await waitReady(warm);
    // A bound that holds on a loaded 2-core machine (6.4 s was seen at load 13); the quiet figure
    // is printed below and kept in docs/performance.md.
    expect(warmMs, 'warm start: awaited the ready line').toBeLessThan(30_000);
    const url = /ready at (http:\/\/\S+)/.exec(warm.output())?.[1];
    const health = await fetch(`${url}/healthz`);
    expect(await health.json()).toMatchObject({ ok: true, db: 'pglite' });

    const second = spawnServer(env);
    running.push(second);
    const code = await second.exited;
    expect(code).not.toBe(0);
    expect(second.output()).toContain(`Data folder ${dir} is already in use`);

    warm.child.kill('SIGTERM');
    expect(await warm.exited).toBe(0);
    process.stdout.write(
      `server process start: cold ${coldMs.toFixed(0)} ms, warm ${warmMs.toFixed(0)} ms\n`,
    );
  });
});
