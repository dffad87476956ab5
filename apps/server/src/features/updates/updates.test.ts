import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../testing/harness';

const SECRET = 'secret-outside-the-feed';
const MANIFEST = 'version: 0.2.0\npath: Dutydesk-0.2.0.AppImage\n';

/** A raw GET: the path goes out exactly as written (no client-side `..` normalisation). */
function rawGet(
  url: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method: 'GET', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString('utf8'),
          headers: res.headers,
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('/updates (desktop update feed)', () => {
  let root: string;
  let served: TestServer;
  let disabled: TestServer;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'dutydesk-updates-'));
    const feed = join(root, 'feed');
    mkdirSync(feed);
    writeFileSync(join(feed, 'latest-linux.yml'), MANIFEST);
    writeFileSync(join(feed, 'Dutydesk-0.2.0.AppImage'), Buffer.from('0123456789'));
    writeFileSync(join(feed, '.hidden'), SECRET);
    writeFileSync(join(root, 'secret.txt'), SECRET);
    [served, disabled] = await Promise.all([
      startTestServer({ driver: 'pglite', env: { DUTYDESK_UPDATES_DIR: feed } }),
      startTestServer({ driver: 'pglite' }),
    ]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([served?.dispose(), disabled?.dispose()]);
    rmSync(root, { recursive: true, force: true });
  });

  it('serves the manifests uncached and the installers with ranges', async () => {
    const manifest = await rawGet(served.url, '/updates/latest-linux.yml');
    expect(manifest.status).toBe(200);
    expect(manifest.body).toBe(MANIFEST);
    expect(manifest.headers['cache-control']).toBe('no-cache');

    const part = await rawGet(served.url, '/updates/Dutydesk-0.2.0.AppImage', {
      range: 'bytes=2-5',
    });
    expect(part.status).toBe(206);
    expect(part.body).toBe('2345');
    expect(part.headers['cache-control']).toBe('public, max-age=3600');
  });

  it.each([
    '/updates/../secret.txt',
    '/updates/%2e%2e/secret.txt',
    '/updates/..%2fsecret.txt',
    '/updates/%2e%2e%5csecret.txt',
    '/updates/feed/../../secret.txt',
    '/updates/.hidden',
    '/updates/missing.yml',
    '/updates/',
  ])('refuses %s with 404 and never leaks a file outside the feed', async (path) => {
    const res = await rawGet(served.url, path);
    expect(res.status).toBe(404);
    expect(res.body).not.toContain(SECRET);
    expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'not_found' } });
  });

  it('answers 404 for every path when DUTYDESK_UPDATES_DIR is unset (not the console page)', async () => {
    for (const path of ['/updates/latest-linux.yml', '/updates/', '/updates']) {
      const res = await rawGet(disabled.url, path);
      expect(res.status, path).toBe(404);
      expect(JSON.parse(res.body), path).toMatchObject({ error: { code: 'not_found' } });
    }
  });
});
