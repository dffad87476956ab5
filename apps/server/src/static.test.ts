import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './testing/harness';

const INDEX = '<!doctype html><script type="module" src="/assets/index-abc123.js"></script>';

describe('the console served by the server', () => {
  let root: string;
  let server: TestServer;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'dutydesk-static-'));
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'index.html'), INDEX);
    writeFileSync(join(root, 'assets', 'index-abc123.js'), 'import("./Wallboard-def456.js");');
    writeFileSync(join(root, 'assets', 'Wallboard-def456.js'), 'export const x = 1;');
    server = await startTestServer({ driver: 'pglite', env: { DUTYDESK_STATIC_DIR: root } });
  }, 120_000);

  afterAll(async () => {
    await server?.dispose();
    rmSync(root, { recursive: true, force: true });
  });

  it.each(['/', '/wallboard', '/tickets/42', '/duty'])(
    '%s gets index.html, never cached',
    async (path) => {
      const res = await fetch(new URL(path, server.url));
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(await res.text()).toBe(INDEX);
    },
  );

  it('serves the hashed chunks as JavaScript with an hour of cache', async () => {
    for (const file of ['index-abc123.js', 'Wallboard-def456.js']) {
      const res = await fetch(new URL(`/assets/${file}`, server.url));
      expect(res.status, file).toBe(200);
      expect(res.headers.get('content-type'), file).toMatch(
        /^text\/javascript|^application\/javascript/,
      );
      expect(res.headers.get('cache-control'), file).toBe('public, max-age=3600');
    }
  });

  it("answers a chunk of an earlier build with 404, not with the app's page", async () => {
    const res = await fetch(new URL('/assets/Wallboard-old999.js', server.url));
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('<script type="module"');
  });
});
