import {
  OpenAPIRegistry,
  OpenApiGeneratorV31,
  type ResponseConfig,
  type RouteConfig,
} from '@asteasolutions/zod-to-openapi';
import { PROTOCOL_VERSION } from '@dutydesk/shared';
import { errorBodySchema, errorResponses, nameSharedSchemas, securitySchemes } from './components';
import type { ApiOperation, ErrorStatus } from './spec';

/** An OpenAPI 3.1 document as JSON (what `GET /api/openapi.json` answers). */
export type OpenApiDocument = Record<string, unknown> & {
  openapi: string;
  paths: Record<string, Record<string, OperationObject>>;
  components: Record<string, Record<string, unknown>>;
};

/** The parts of an operation object this module and its tests read. */
export interface OperationObject {
  operationId: string;
  security?: Array<Record<string, string[]>>;
  parameters?: Array<{ name: string; in: string; example?: unknown; required?: boolean }>;
  requestBody?: { content: Record<string, { schema?: unknown; example?: unknown }> };
  responses: Record<string, { $ref?: string; content?: Record<string, { schema?: unknown }> }>;
  [key: string]: unknown;
}

const ref = (status: ErrorStatus): { $ref: string } => ({
  $ref: `#/components/responses/${errorResponses[status][0]}`,
});

/** The error statuses an operation answers: those it names, and those its shape implies. */
function errorStatusesOf(op: ApiOperation): Array<ErrorStatus> {
  const out = new Set<ErrorStatus>(op.errors ?? []);
  if (op.auth !== 'public') out.add(401);
  if (op.auth === 'staff' || (op.roles && op.roles.length > 0)) out.add(403);
  if (op.body || op.bodyTypes) {
    out.add(400);
    out.add(413);
    out.add(415);
  }
  out.add(500);
  return [...out].sort((a, b) => a - b);
}

function securityOf(op: ApiOperation): Array<Record<string, string[]>> {
  if (op.auth === 'public') return [];
  if (op.auth === 'staff') return [{ sessionToken: [] }];
  if (op.auth === 'integration') return [{ integrationToken: [] }];
  if (op.auth === 'portal') return [{ portalToken: [] }];
  return [{ sessionToken: [] }, { deviceToken: [] }];
}

function describe(op: ApiOperation): string | undefined {
  const roles = op.roles && op.roles.length > 0 ? `Roles: ${op.roles.join(', ')}.` : undefined;
  const who =
    op.auth === 'any'
      ? 'A wallboard device token may call it too.'
      : op.auth === 'staff'
        ? 'A wallboard device token answers 403.'
        : op.auth === 'integration'
          ? 'Only an integration token opens it; a session token answers 401.'
          : op.auth === 'portal'
            ? "Only a customer's portal token (a signed ticket link's or a customer account's session) opens it; a staff session answers 401."
            : undefined;
  const parts = [op.description, roles, who].filter(Boolean);
  return parts.length > 0 ? parts.join('\n\n') : undefined;
}

function toRoute(op: ApiOperation): RouteConfig {
  const responses: Record<string, ResponseConfig | { $ref: string }> = {};
  for (const status of errorStatusesOf(op)) responses[String(status)] = ref(status);
  for (const [status, r] of Object.entries(op.responses)) {
    const media: Record<string, { schema: NonNullable<typeof r.schema> }> = {};
    if (r.schema) media[r.contentType ?? 'application/json'] = { schema: r.schema };
    for (const [type, schema] of Object.entries(r.alsoAs ?? {})) media[type] = { schema };
    responses[status] = {
      description: r.description,
      ...(Object.keys(media).length > 0 ? { content: media } : {}),
    };
  }
  const content: Record<string, { schema: NonNullable<ApiOperation['body']> }> = {};
  if (op.body) content['application/json'] = { schema: op.body };
  for (const [type, schema] of Object.entries(op.bodyTypes ?? {})) content[type] = { schema };
  const description = describe(op);
  return {
    method: op.method,
    path: op.path,
    operationId: op.operationId,
    summary: op.summary,
    ...(description ? { description } : {}),
    tags: [...(op.tags ?? [])],
    security: securityOf(op),
    request: {
      ...(op.params ? { params: op.params } : {}),
      ...(op.query ? { query: op.query } : {}),
      ...(Object.keys(content).length > 0 ? { body: { content, required: true } } : {}),
    },
    responses,
  };
}

/** Refuses a list that cannot make a sound document: a duplicate id or route, an unnamed path parameter, a missing example. */
export function checkOperations(ops: readonly ApiOperation[]): void {
  const ids = new Set<string>();
  const routes = new Set<string>();
  for (const op of ops) {
    const route = `${op.method.toUpperCase()} ${op.path}`;
    if (ids.has(op.operationId))
      throw new Error(`openapi: duplicate operationId ${op.operationId}`);
    if (routes.has(route)) throw new Error(`openapi: ${route} is documented twice`);
    ids.add(op.operationId);
    routes.add(route);
    const inPath = [...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] ?? '');
    const declared = Object.keys(op.params?.shape ?? {});
    if (inPath.sort().join() !== declared.sort().join()) {
      throw new Error(
        `openapi: ${route}: path parameters {${inPath.join(', ')}} vs params {${declared.join(', ')}}`,
      );
    }
    for (const name of inPath) {
      if (op.example.params?.[name] === undefined)
        throw new Error(`openapi: ${route}: no example for path parameter ${name}`);
    }
    if ((op.body || op.bodyTypes) && op.example.body === undefined)
      throw new Error(`openapi: ${route}: no example body`);
  }
}

/** Writes each operation's example into its parameters and request body. */
function addExamples(doc: OpenApiDocument, ops: readonly ApiOperation[]): void {
  for (const op of ops) {
    const target = doc.paths[op.path]?.[op.method];
    if (!target) continue;
    for (const p of target.parameters ?? []) {
      const value =
        p.in === 'path'
          ? op.example.params?.[p.name]
          : p.in === 'query'
            ? op.example.query?.[p.name]
            : undefined;
      if (value !== undefined) p.example = value;
    }
    const body = target.requestBody?.content[op.example.contentType ?? 'application/json'];
    if (body && op.example.body !== undefined) body.example = op.example.body;
  }
}

/** The OpenAPI 3.1 document of these operations, generated from their zod schemas. */
export function buildOpenApiDocument(
  ops: readonly ApiOperation[],
  info: { version: string },
): OpenApiDocument {
  checkOperations(ops);
  nameSharedSchemas();
  const registry = new OpenAPIRegistry();
  for (const [name, scheme] of Object.entries(securitySchemes))
    registry.registerComponent('securitySchemes', name, { ...scheme });
  for (const [, [name, description]] of Object.entries(errorResponses)) {
    registry.registerComponent('responses', name, {
      description,
      content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } },
    });
  }
  for (const op of ops) registry.registerPath(toRoute(op));
  const generator = new OpenApiGeneratorV31([errorBodySchema, ...registry.definitions]);
  const doc = generator.generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Dutydesk REST API',
      version: info.version,
      description: [
        'The REST API of a Dutydesk server. Realtime work (commands, events, presence) runs over',
        `the Socket.IO protocol (version ${PROTOCOL_VERSION}), described in docs/protocol.md;`,
        '`POST /api/commands` runs the same commands over HTTP.',
      ].join(' '),
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    servers: [{ url: '/' }],
  }) as unknown as OpenApiDocument;
  addExamples(doc, ops);
  // The tags in module order, each with its feature's description.
  const tags = new Map<string, string | undefined>();
  for (const op of ops) {
    for (const t of op.tags ?? []) {
      if (!tags.has(t) || (tags.get(t) === undefined && op.tagDescription))
        tags.set(t, op.tagDescription);
    }
  }
  doc.tags = [...tags].map(([name, description]) =>
    description ? { name, description } : { name },
  );
  return doc;
}
