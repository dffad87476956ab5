import type { RoleName } from '@dutydesk/shared';
import type { ZodObject, ZodType } from 'zod';

/**
 * Who may call an operation:
 * - `public`: no token (sign-in, health, the spec itself);
 * - `staff`: a signed-in user's bearer token (a wallboard device token answers 403);
 * - `any`: a user's bearer token or a wallboard device token (both `Authorization: Bearer …`).
 */
/** `integration`: an intake door, called with an integration token (`POST /api/integrations`) only. */
export type ApiAuth = 'public' | 'staff' | 'any' | 'integration' | 'portal';

/**
 * Error statuses an operation may answer besides those added for it (401 when it needs a
 * token, 403 when it has `roles` or is `staff`, 400/413/415 when it reads a body, 500 always).
 * Each is one shared response of `components.responses` with the server's error body.
 */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 410 | 413 | 415 | 429 | 500 | 503;

/** One documented answer of an operation. */
export interface ApiResponse {
  description: string;
  /** The body's schema; absent: no body. */
  schema?: ZodType;
  /** Default `application/json`. */
  contentType?: string;
  /** Further media types of the same answer (chosen by a query parameter, say). */
  alsoAs?: Readonly<Record<string, ZodType>>;
}

/**
 * The example request of an operation: what the spec shows, and what the conformance test
 * (`openapi.test.ts`) sends. Path parameters that must name a real resource are replaced by the
 * test's fixtures; everything else is sent as written here.
 */
export interface ApiExample {
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  /** The media type of `body` when the operation reads more than JSON. */
  contentType?: string;
}

/**
 * One REST operation as its feature documents it, next to its router (`<feature>.openapi.ts`).
 * `path` is the full OpenAPI path (`/api/users/{id}/revoke` for express's `/users/:id/revoke`
 * mounted at `/api`).
 */
export interface ApiOperation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  /** Unique across the API, lowerCamelCase: client generators name functions after it. */
  operationId: string;
  summary: string;
  description?: string;
  auth: ApiAuth;
  /** Roles of which the caller must hold one (403 otherwise); listed in the description. */
  roles?: readonly RoleName[];
  params?: ZodObject;
  query?: ZodObject;
  /** A JSON body. */
  body?: ZodType;
  /** Other media types the operation reads, by media type (the calendar import's iCalendar). */
  bodyTypes?: Readonly<Record<string, ZodType>>;
  /** Answers by status. An error status here replaces the shared response of that status. */
  responses: Readonly<Record<number, ApiResponse>>;
  errors?: readonly ErrorStatus[];
  example: ApiExample;
  /** Default: the feature's tag given to {@link defineApi}. */
  tags?: readonly string[];
  /** The tag's line above its group in the reference page (give it on one operation of the tag). */
  tagDescription?: string;
}

/**
 * A feature's operations, tagged with the feature's name. Put the result on the feature's
 * module (`openapi: …` in `<feature>.module.ts`); `GET /api/openapi.json` is built from every
 * module's list.
 * @example export const usersApi = defineApi('users', [{ method: 'get', path: '/api/users', … }]);
 */
export function defineApi(
  tag: string,
  operations: ReadonlyArray<Omit<ApiOperation, 'tags'> & { tags?: readonly string[] }>,
): readonly ApiOperation[] {
  return operations.map((op) => ({ ...op, tags: op.tags ?? [tag] }));
}

/**
 * A JSON answer.
 * @example 200: json(publicUserSchema, 'The user')
 */
export function json(schema: ZodType, description: string): ApiResponse {
  return { description, schema };
}
