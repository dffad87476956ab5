/**
 * The REST API against its own description (acceptance 3 of issue 20): `GET /api/openapi.json`
 * is valid OpenAPI 3.1; every route of the real express app is in it (and nothing else is);
 * every operation's example request, sent to a real server, gets an answer that the spec's
 * schema for its status accepts, and every secured one answers 401 with the shared error body
 * without a token. One PGlite server: the spec does not depend on the database.
 */
import SwaggerParser from '@apidevtools/swagger-parser';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { Express } from 'express';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from '../../testing/harness';
import type { OpenApiDocument, OperationObject } from './document';
import type { ExampleOverride, FixtureApi, OpenApiFixtures } from './openapi.testing';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

interface RouteLayer {
  route?: { path: unknown; methods: Record<string, boolean> };
  handle?: { stack?: RouteLayer[] };
  rawPath?: unknown;
}

/** `METHOD /path/{param}` of every route of an express 5 app, mounted sub-routers included. */
function listExpressRoutes(app: Express): { routes: string[]; skipped: string[] } {
  const routes: string[] = [];
  const skipped: string[] = [];
  const walk = (stack: readonly RouteLayer[], prefix: string): void => {
    for (const layer of stack) {
      if (layer.route) {
        const path = layer.route.path;
        for (const method of Object.keys(layer.route.methods)) {
          if (typeof path !== 'string') {
            skipped.push(`${method.toUpperCase()} ${String(path)}`);
            continue;
          }
          const full = `${prefix}/${path}`.replace(/\/{2,}/g, '/').replace(/(.)\/$/, '$1');
          routes.push(`${method.toUpperCase()} ${full.replace(/:(\w+)/g, '{$1}')}`);
        }
      } else if (layer.handle?.stack) {
        const mount = typeof layer.rawPath === 'string' ? layer.rawPath : '';
        walk(layer.handle.stack, `${prefix}/${mount}`);
      }
    }
  };
  walk((app as unknown as { router: { stack: RouteLayer[] } }).router.stack, '');
  return { routes: [...new Set(routes)].sort(), skipped };
}

/**
 * Routes that are not the REST API: the console's page (`GET /` while it is not built, or the
 * client-side routes' fallback, a RegExp) — server.ts's own, not a feature's.
 */
const NOT_REST = new Set(['GET /']);

function operationsOf(
  doc: OpenApiDocument,
): Array<{ key: string; method: string; path: string; op: OperationObject }> {
  const out = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (op) out.push({ key: `${method.toUpperCase()} ${path}`, method, path, op });
    }
  }
  return out;
}

/** Every feature's `<feature>/<feature>.openapi.testing.ts`. */
function findFixtureFiles(): string[] {
  const features = fileURLToPath(new URL('..', import.meta.url));
  return readdirSync(features)
    .map((f) => join(features, f, `${f}.openapi.testing.ts`))
    .filter((file) => existsSync(file))
    .sort();
}

describe('the REST API and its OpenAPI document', () => {
  let server: TestServer;
  let admin: string;
  let doc: OpenApiDocument;
  /** The same document with every `$ref` resolved, for the validator. */
  let resolved: OpenApiDocument;
  const overrides = new Map<string, ExampleOverride>();

  async function call(
    method: string,
    path: string,
    o: { token?: string; body?: unknown; raw?: string; contentType?: string } = {},
  ): Promise<{ status: number; type: string; text: string }> {
    const headers: Record<string, string> = {};
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    let body: string | undefined;
    if (o.raw !== undefined) body = o.raw;
    else if (o.body !== undefined) body = JSON.stringify(o.body);
    if (body !== undefined) headers['content-type'] = o.contentType ?? 'application/json';
    let res: Response;
    try {
      res = await fetch(server.url + path, { method, headers, body });
    } catch (err) {
      // A keep-alive connection the server closed (idle 5 s) as the request went out: sent
      // again once, as browsers do (the harness's fetchOnce does the same).
      const code = (err as { cause?: { code?: string } }).cause?.code ?? '';
      if (!['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE', 'UND_ERR_CLOSED'].includes(code)) throw err;
      res = await fetch(server.url + path, { method, headers, body });
    }
    return {
      status: res.status,
      type: res.headers.get('content-type') ?? '',
      text: await res.text(),
    };
  }

  async function ok<T>(method: string, path: string, body?: unknown, token?: string): Promise<T> {
    const res = await server.api(method, path, { token: token ?? admin, body });
    if (res.status >= 300)
      throw new Error(`fixture ${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as T;
  }

  beforeAll(async () => {
    // Webhook examples subscribe a loopback URL (webhooks.openapi.testing.ts).
    server = await startTestServer({
      driver: 'pglite',
      env: { DUTYDESK_WEBHOOK_ALLOW_HOSTS: '127.0.0.1' },
    });
    admin = await server.login('admin', ADMIN_PASSWORD);
    const res = await server.api('GET', '/api/openapi.json');
    expect(res.status).toBe(200);
    doc = res.body as OpenApiDocument;
    resolved = (await SwaggerParser.dereference(
      structuredClone(doc) as never,
    )) as unknown as OpenApiDocument;

    // Fixtures: each feature's `<feature>.openapi.testing.ts` creates what its examples name
    // (under the example's id where the caller chooses ids) and returns the overrides for ids
    // the server makes.
    let n = 0;
    const api: FixtureApi = {
      admin,
      url: server.url,
      call: (method, path, body, token) => ok(method, path, body, token),
      login: (username, password) => server.login(username, password),
      async createTicket() {
        n += 1;
        const ack = await ok<{ ticket: { id: string; number: string } }>('POST', '/api/commands', {
          commandId: `openapi-fixture-${n}`,
          type: 'ticket.create',
          title: `Fixture ticket ${n}`,
          description: '',
          channel: 'hotline',
          priority: 'P2',
        });
        return ack.ticket;
      },
    };
    for (const file of findFixtureFiles()) {
      const mod = (await import(file)) as { openapiFixtures?: OpenApiFixtures };
      if (!mod.openapiFixtures) throw new Error(`${file} exports no openapiFixtures`);
      for (const [id, o] of Object.entries(await mod.openapiFixtures(api))) {
        if (overrides.has(id)) throw new Error(`${file}: ${id} has fixtures twice`);
        overrides.set(id, o);
      }
    }
  });

  afterAll(async () => {
    await server?.dispose();
  });

  it('validates as OpenAPI 3.1', async () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeTruthy();
  });

  it('describes every route of the express app, and no route the app does not have', () => {
    const { routes, skipped } = listExpressRoutes(server.app);
    const rest = routes.filter((r) => !NOT_REST.has(r));
    const documented = operationsOf(doc).map((o) => o.key);
    // At least the routes of every feature module (a walk that found nothing would pass).
    expect(rest.length).toBeGreaterThanOrEqual(50);
    const missing = rest.filter((r) => !documented.includes(r));
    expect(
      missing,
      `routes without an OpenAPI entry (add them to the feature's <feature>.openapi.ts): ${missing.join(', ')}`,
    ).toEqual([]);
    const stale = documented.filter((d) => !rest.includes(d));
    expect(stale, `OpenAPI entries without a route: ${stale.join(', ')}`).toEqual([]);
    expect(skipped.every((s) => s.startsWith('GET /'))).toBe(true);
  });

  it('gives every operation an id, a summary, security and an example request', () => {
    for (const { key, op } of operationsOf(doc)) {
      expect(op.operationId, key).toMatch(/^[a-z][A-Za-z]+$/);
      expect(typeof op.summary, key).toBe('string');
      expect(Array.isArray(op.security), key).toBe(true);
      for (const p of op.parameters ?? []) {
        if (p.in === 'path') expect(p.example, `${key} {${p.name}}`).toBeDefined();
      }
      if (op.requestBody) {
        const examples = Object.values(op.requestBody.content).filter(
          (m) => m.example !== undefined,
        );
        expect(examples.length, `${key}: an example body`).toBe(1);
      }
      // Errors are the shared responses, referenced, never repeated inline (commands excepted:
      // a refused command answers its ack).
      for (const [status, response] of Object.entries(op.responses)) {
        if (Number(status) >= 400 && op.operationId !== 'executeCommand')
          expect(response.$ref, `${key} ${status}`).toMatch(/^#\/components\/responses\//);
      }
    }
  });

  it("answers each operation's example request with a body the spec's schema accepts", async () => {
    const ajv = new Ajv2020({
      strict: true,
      strictTypes: false,
      strictTuples: false,
      allErrors: true,
    });
    addFormats(ajv);
    for (const keyword of ['example', 'discriminator', 'xml', 'externalDocs'])
      ajv.addKeyword(keyword);
    const validators = new Map<unknown, ValidateFunction>();
    const validate = (schema: unknown, value: unknown): string | null => {
      let v = validators.get(schema);
      if (!v) {
        closeObjects(schema);
        v = ajv.compile(schema as object);
        validators.set(schema, v);
      }
      return v(value) ? null : ajv.errorsText(v.errors);
    };

    const failures: string[] = [];
    const seen = new Set<string>();
    for (const { key, method, path, op } of operationsOf(resolved)) {
      seen.add(op.operationId);
      const o = overrides.get(op.operationId) ?? {};
      let url = path;
      const query = new URLSearchParams();
      for (const p of op.parameters ?? []) {
        const value = p.in === 'path' ? (o.params?.[p.name] ?? p.example) : p.example;
        if (value === undefined) continue;
        if (p.in === 'path') url = url.replace(`{${p.name}}`, encodeURIComponent(String(value)));
        if (p.in === 'query') query.set(p.name, String(value));
      }
      if (query.size > 0) url += `?${query}`;
      const media = Object.entries(op.requestBody?.content ?? {}).find(
        ([, m]) => m.example !== undefined,
      );
      const [contentType, example] = media ? [media[0], media[1].example] : [undefined, undefined];
      const body = o.body ? o.body(example as Record<string, unknown>) : example;
      const secured = (op.security ?? []).length > 0;
      const sentType = o.contentType ?? contentType;
      const res = await call(method.toUpperCase(), url, {
        token: secured ? (o.token ?? admin) : undefined,
        ...(typeof body === 'string' ? { raw: body } : { body }),
        contentType: sentType,
      });
      const problem = checkAnswer(op, res, validate);
      if (res.status >= 300) failures.push(`${key}: ${res.status} ${res.text.slice(0, 300)}`);
      else if (problem) failures.push(`${key}: ${problem}`);

      if (secured) {
        const refused = await call(method.toUpperCase(), url, {
          ...(typeof body === 'string' ? { raw: body } : { body }),
          contentType: sentType,
        });
        const p = refused.status === 401 ? checkAnswer(op, refused, validate) : `${refused.status}`;
        if (p) failures.push(`${key} without a token: ${p}`);
      }
    }
    expect(failures).toEqual([]);
    // The validator does refuse what a schema does not allow (the loop above is not vacuous).
    const listed =
      resolved.paths['/api/tickets']?.get?.responses['200']?.content?.['application/json'];
    expect(validate(listed?.schema, { tickets: [{ id: 42 }] })).toMatch(/must/);
    // Every override names an operation that exists (a renamed id would leave it unused).
    expect([...overrides.keys()].filter((id) => !seen.has(id))).toEqual([]);
  });
});

/**
 * Makes every object schema of an answer closed (`additionalProperties: false` where the spec
 * leaves it open), in place: the test then also fails for a field the server sends and the
 * spec does not name. Objects the spec keeps open on purpose (records, `.loose()`) say so
 * with an `additionalProperties` of their own and are left alone.
 */
function closeObjects(node: unknown, seen = new Set<unknown>()): void {
  if (node === null || typeof node !== 'object' || seen.has(node)) return;
  seen.add(node);
  if (Array.isArray(node)) {
    for (const item of node) closeObjects(item, seen);
    return;
  }
  const schema = node as Record<string, unknown>;
  if (schema.type === 'object' && schema.properties && schema.additionalProperties === undefined)
    schema.additionalProperties = false;
  for (const value of Object.values(schema)) closeObjects(value, seen);
}

/** Null when the answer's status is documented and its body matches that status's schema. */
function checkAnswer(
  op: OperationObject,
  res: { status: number; type: string; text: string },
  validate: (schema: unknown, value: unknown) => string | null,
): string | null {
  const response = op.responses[String(res.status)];
  if (!response) return `status ${res.status} is not documented (${res.text.slice(0, 200)})`;
  const type = res.type.split(';')[0]?.trim() ?? '';
  const content = response.content;
  if (!content) return res.text === '' ? null : `status ${res.status} documents no body`;
  const media = content[type];
  if (!media)
    return `${type} is not a documented media type of ${res.status} (${Object.keys(content).join(', ')})`;
  let value: unknown = res.text;
  if (type === 'application/json') {
    try {
      value = JSON.parse(res.text);
    } catch {
      return 'the body is not JSON';
    }
  }
  const problem = validate(media.schema, value);
  return problem ? `${res.status} body: ${problem}` : null;
}
