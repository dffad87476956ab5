import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findFreePort } from './postgres';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Spawns a Dutydesk server process (`node --import tsx apps/server/src/main.ts`, no wrapper, so
 * a signal hits the server itself) on a free loopback port and resolves with its URL once it
 * prints its ready line. Used by the fault tests and the benches. `nodeArgs` go to node itself
 * (e.g. `--cpu-prof`, which NODE_OPTIONS does not accept).
 */
export async function spawnServerProcess(
  env: Record<string, string>,
  nodeArgs: string[] = [],
): Promise<{ url: string; child: ChildProcess }> {
  const port = await findFreePort();
  const child = spawn(
    process.execPath,
    [...nodeArgs, '--import', 'tsx', join(ROOT, 'apps/server/src/main.ts')],
    {
      cwd: ROOT,
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stderr?.on('data', (d: Buffer) => {
    if (out.length < 20_000) out += d.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`node did not start in 60 s:\n${out}`)),
      60_000,
    );
    child.stdout?.on('data', (d: Buffer) => {
      const m = /ready at (http:\/\/\S+)/.exec(d.toString());
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`node exited (${code}):\n${out}`));
    });
  });
  return { url, child };
}
