import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from '../config';
import { countRecentFailures } from '../features/auth/auth.repo';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from '../testing/harness';
import { MAX_JSON_DEPTH } from './body';

interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: unknown;
}

/** One HTTP/1.1 request with exactly these headers and bytes (fetch would fix some up). */
function send(
  url: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string | Buffer,
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const target = new URL(path, url);
    const req = request(
      { host: target.hostname, port: target.port, path: target.pathname + target.search, method },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch (_e) {
            // not JSON: keep the text
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed });
        });
      },
    );
    req.on('error', reject);
    for (const [k, v] of Object.entries(headers)) req.setHeader(k, v);
    if (body !== undefined) req.setHeader('content-length', Buffer.byteLength(body));
    req.end(body);
  });
}

function cspOf(answer: RawAnswer): string[] {
  return String(answer.headers['content-security-policy'] ?? '')
    .split(';')
    .map((d) => d.trim());
}

describe('bad input on the HTTP layer answers 4xx JSON, never 500', () => {
  let server: TestServer;
  let admin: string;

  beforeAll(async () => {
    server = await startTestServer({ driver: 'pglite' });
    admin = await server.login('admin', ADMIN_PASSWORD);
  });
  afterAll(async () => {
    await server?.dispose();
  });

  const json = (token?: string): Record<string, string> => ({
    'content-type': 'application/json',
    ...(token ? { authorization: `Bearer ${token}` } : {}),
  });

  it('a body that is not gzip but says Content-Encoding: gzip → 400', async () => {
    const res = await send(
      server.url,
      'POST',
      '/api/commands',
      { ...json(admin), 'content-encoding': 'gzip' },
      '{"type":"ticket.comment"}',
    );
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: { code: 'invalid', message: expect.any(String) } });
  });

  it('an unknown Content-Encoding → 415', async () => {
    const res = await send(
      server.url,
      'POST',
      '/api/commands',
      { ...json(admin), 'content-encoding': 'x-bogus' },
      '{}',
    );
    expect(res.status).toBe(415);
    expect(res.body).toMatchObject({ error: { code: 'invalid' } });
  });

  it.each([
    ['/api/roster/shifts?from=-271821-04-20T00:00:00Z', 'from'],
    ['/api/roster/shifts?to=%2B275760-09-13T00:00:00Z', 'to'],
    ['/api/roster/shifts?from=1969-12-31T23:59:59Z', 'from'],
    ['/api/roster/shifts?from=2200-01-01T00:00:00Z', 'from'],
    ['/api/roster/shifts?from=2026-13-45T00:00:00Z', 'from'],
    ['/api/roster/shifts?from=March%207', 'from'],
    ['/api/roster/shifts?from=1700000000000', 'from'],
    ['/api/roster/shifts?from=2026-01-01&from=2026-02-01', 'from'],
    ['/api/roster/on-duty?at=-271821-04-20T00:00:00Z', 'at'],
    ['/api/sla/compensation?from=0001-01-01T00:00:00Z&to=2026-01-01T00:00:00Z', 'from'],
    ['/api/sla/compensation?from=2026-01-01T00:00:00Z&to=9999-12-31T00:00:00Z', 'to'],
  ])('extreme or malformed date %s → 400 naming %s', async (path, field) => {
    const res = await send(server.url, 'GET', path, json(admin));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code: 'invalid', fields: [{ path: field }] } });
  });

  it('dates in range still answer', async () => {
    const ok = await send(
      server.url,
      'GET',
      '/api/roster/shifts?from=2026-01-01T00:00:00Z&to=2026-01-08T00:00:00%2B08:00',
      json(admin),
    );
    expect(ok.status).toBe(200);
    const day = await send(server.url, 'GET', '/api/roster/on-duty?at=2026-03-02', json(admin));
    expect(day.status).toBe(200);
  });

  it('deeply nested JSON → 400 (a million levels and one past the limit), the limit itself passes', async () => {
    const deep = '['.repeat(500_000) + ']'.repeat(500_000);
    const a = await send(server.url, 'POST', '/api/commands', json(admin), deep);
    expect(a.status).toBe(400);
    const nest = (n: number): unknown => {
      let v: unknown = 'x';
      for (let i = 0; i < n; i += 1) v = { v };
      return v;
    };
    const over = { commandId: 'c-deep', type: 'ticket.comment', extra: nest(MAX_JSON_DEPTH) };
    const b = await send(server.url, 'POST', '/api/commands', json(admin), JSON.stringify(over));
    expect(b.status).toBe(400);
    const refused = b.body as { error: { code: string; message: string } };
    expect(refused.error.code).toBe('invalid');
    expect(refused.error.message).toMatch(/nested deeper/);
    const within = { commandId: 'c-ok', type: 'ticket.comment', extra: nest(MAX_JSON_DEPTH - 2) };
    const c = await send(server.url, 'POST', '/api/commands', json(admin), JSON.stringify(within));
    expect(JSON.stringify(c.body)).not.toMatch(/nested deeper/);
  });

  it('a body over 1 MB → 413, also when it only grows that big once decompressed', async () => {
    const big = JSON.stringify({ type: 'ticket.comment', body: 'x'.repeat(1_100_000) });
    const res = await send(server.url, 'POST', '/api/commands', json(admin), big);
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ error: { code: 'payload_too_large' } });
    const { gzipSync } = await import('node:zlib');
    const bomb = gzipSync(Buffer.from(JSON.stringify({ body: ' '.repeat(20_000_000) })));
    expect(bomb.length).toBeLessThan(100_000);
    const inflated = await send(
      server.url,
      'POST',
      '/api/commands',
      { ...json(admin), 'content-encoding': 'gzip' },
      bomb,
    );
    expect(inflated.status).toBe(413);
  });

  it('malformed JSON and a bare JSON string → 400 "Malformed JSON body"', async () => {
    for (const body of ['{"type": "ticket.comment",', '"just a string"', '{"a":1}}']) {
      const res = await send(server.url, 'POST', '/api/commands', json(admin), body);
      expect(res.status, body).toBe(400);
      expect(res.body).toEqual({ error: { code: 'invalid', message: 'Malformed JSON body' } });
    }
  });

  it('a body of another media type → 415; no Content-Type with a body → 415', async () => {
    const xml = await send(
      server.url,
      'POST',
      '/api/commands',
      { 'content-type': 'application/xml', authorization: `Bearer ${admin}` },
      '<command/>',
    );
    expect(xml.status).toBe(415);
    expect(xml.body).toMatchObject({
      error: { code: 'invalid', fields: [{ path: 'content-type' }] },
    });
    const none = await send(
      server.url,
      'POST',
      '/api/auth/login',
      {},
      Buffer.from('{"username":"admin"}'),
    );
    expect(none.status).toBe(415);
    const form = await send(
      server.url,
      'POST',
      '/api/auth/login',
      { 'content-type': 'application/x-www-form-urlencoded' },
      'username=admin&password=x',
    );
    expect(form.status).toBe(415);
  });

  it('an unsupported charset → 415; a broken %-escape in the path → 400', async () => {
    const latin = await send(
      server.url,
      'POST',
      '/api/commands',
      { 'content-type': 'application/json; charset=x-unknown', authorization: `Bearer ${admin}` },
      '{}',
    );
    expect(latin.status).toBe(415);
    const path = await send(server.url, 'GET', '/api/tickets/%E0%A4%A', json(admin));
    expect(path.status).toBe(400);
    expect(path.body).toMatchObject({ error: { code: 'invalid' } });
  });

  it('is still healthy afterwards', async () => {
    expect((await send(server.url, 'GET', '/healthz')).status).toBe(200);
  });
});

describe('security headers: HSTS and upgrade-insecure-requests only behind TLS', () => {
  const servers: TestServer[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.dispose()));
  });

  it('plain HTTP (a LAN address, no proxy): neither; connect-src is the origin only', async () => {
    const server = await startTestServer({ driver: 'pglite' });
    servers.push(server);
    for (const path of ['/', '/healthz', '/api/tickets']) {
      const res = await send(server.url, 'GET', path);
      const csp = cspOf(res);
      expect(csp, path).toContain("default-src 'self'");
      expect(csp, path).toContain("connect-src 'self'");
      expect(csp.join(';'), path).not.toMatch(/upgrade-insecure-requests|ws:|wss:/);
      expect(res.headers['strict-transport-security'], path).toBeUndefined();
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    }
    // A client claiming https without a trusted proxy changes nothing.
    const spoofed = await send(server.url, 'GET', '/healthz', { 'x-forwarded-proto': 'https' });
    expect(spoofed.headers['strict-transport-security']).toBeUndefined();
    expect(cspOf(spoofed)).not.toContain('upgrade-insecure-requests');
  });

  it('behind a trusted proxy that says https: both', async () => {
    const server = await startTestServer({
      driver: 'pglite',
      env: { DUTYDESK_TRUST_PROXY: 'loopback' },
    });
    servers.push(server);
    const tls = await send(server.url, 'GET', '/healthz', { 'x-forwarded-proto': 'https' });
    expect(cspOf(tls)).toContain('upgrade-insecure-requests');
    expect(cspOf(tls)).toContain("connect-src 'self'");
    expect(tls.headers['strict-transport-security']).toMatch(/^max-age=\d+/);
    const plain = await send(server.url, 'GET', '/healthz', { 'x-forwarded-proto': 'http' });
    expect(plain.headers['strict-transport-security']).toBeUndefined();
    expect(cspOf(plain)).not.toContain('upgrade-insecure-requests');
  });
});

/** A reverse proxy on loopback that appends `clientAddress` to X-Forwarded-For, as nginx does. */
async function startProxy(
  upstream: string,
  clientAddress: string,
): Promise<{ url: string; close(): Promise<void> }> {
  const target = new URL(upstream);
  const proxy: Server = createServer((req, res) => {
    const prior = req.headers['x-forwarded-for'];
    const headers = {
      ...req.headers,
      'x-forwarded-for': prior ? `${String(prior)}, ${clientAddress}` : clientAddress,
    };
    const out = request(
      { host: target.hostname, port: target.port, path: req.url, method: req.method, headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    out.on('error', () => res.destroy());
    req.pipe(out);
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
  const { port } = proxy.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((r) => proxy.close(() => r())),
  };
}

describe('DUTYDESK_TRUST_PROXY: a hop count or proxy addresses, never any X-Forwarded-For', () => {
  it('reads off, hop counts and address lists; refuses anything else', () => {
    expect(readConfig({}).trustProxy).toBe(false);
    expect(readConfig({ DUTYDESK_TRUST_PROXY: '0' }).trustProxy).toBe(false);
    expect(readConfig({ DUTYDESK_TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(readConfig({ DUTYDESK_TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(
      readConfig({ DUTYDESK_TRUST_PROXY: '10.0.0.2, 10.1.0.0/16,fd00::/8,loopback' }).trustProxy,
    ).toEqual(['10.0.0.2', '10.1.0.0/16', 'fd00::/8', 'loopback']);
    for (const bad of ['true', 'yes', '10.0.0.0/33', '300.1.1.1', 'proxy.local', '11', ',']) {
      expect(() => readConfig({ DUTYDESK_TRUST_PROXY: bad }), bad).toThrow(ConfigError);
    }
  });

  const failedLogin = async (
    url: string,
    username: string,
    forwardedFor?: string,
  ): Promise<number> =>
    (
      await send(
        url,
        'POST',
        '/api/auth/login',
        {
          'content-type': 'application/json',
          ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}),
        },
        JSON.stringify({ username, password: 'wrong-password' }),
      )
    ).status;

  const keysOf = async (server: TestServer, keys: string[]): Promise<Map<string, number>> =>
    countRecentFailures(server.ctx.database.db, keys, new Date(0));

  it('a peer that is not a configured proxy cannot choose its address with X-Forwarded-For', async () => {
    const server = await startTestServer({
      driver: 'pglite',
      env: { DUTYDESK_TRUST_PROXY: '10.0.0.0/8' },
    });
    try {
      expect(await failedLogin(server.url, 'nobody-1', '203.0.113.9')).toBe(401);
      expect(await failedLogin(server.url, 'nobody-2', '203.0.113.10, 10.0.0.1')).toBe(401);
      const keys = await keysOf(server, ['ip:127.0.0.1', 'ip:203.0.113.9', 'ip:203.0.113.10']);
      expect(keys.get('ip:127.0.0.1')).toBe(2);
      expect(keys.has('ip:203.0.113.9')).toBe(false);
      expect(keys.has('ip:203.0.113.10')).toBe(false);
    } finally {
      await server.dispose();
    }
  });

  it('off (the default): X-Forwarded-For is ignored', async () => {
    const server = await startTestServer({ driver: 'pglite' });
    try {
      expect(await failedLogin(server.url, 'nobody-1', '203.0.113.9')).toBe(401);
      const keys = await keysOf(server, ['ip:127.0.0.1', 'ip:203.0.113.9']);
      expect(keys.get('ip:127.0.0.1')).toBe(1);
      expect(keys.has('ip:203.0.113.9')).toBe(false);
    } finally {
      await server.dispose();
    }
  });

  it('one hop behind a real proxy: the address the proxy saw, not what the client wrote', async () => {
    const server = await startTestServer({ driver: 'pglite', env: { DUTYDESK_TRUST_PROXY: '1' } });
    const proxy = await startProxy(server.url, '198.51.100.7');
    try {
      expect(await failedLogin(proxy.url, 'nobody-1', '203.0.113.9')).toBe(401);
      expect(await failedLogin(proxy.url, 'nobody-2')).toBe(401);
      const keys = await keysOf(server, ['ip:198.51.100.7', 'ip:203.0.113.9', 'ip:127.0.0.1']);
      expect(keys.get('ip:198.51.100.7')).toBe(2);
      expect(keys.has('ip:203.0.113.9')).toBe(false);
      expect(keys.has('ip:127.0.0.1')).toBe(false);
    } finally {
      await proxy.close();
      await server.dispose();
    }
  });
});
