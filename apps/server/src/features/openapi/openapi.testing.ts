/**
 * What a feature gives the OpenAPI conformance test (`openapi.test.ts`) when its examples
 * need real resources: `<feature>/<feature>.openapi.testing.ts` exports `openapiFixtures`,
 * which creates them on the test server (over REST) and returns, by operationId, what to
 * change in the example request. The test finds these files itself.
 */

/** What the test changes in one operation's example request. */
export interface ExampleOverride {
  /** Path parameters the server made (a ticket's uuid…). */
  params?: Record<string, string>;
  /** The body to send instead, from the example (ids the server made). */
  body?: (example: Record<string, unknown>) => unknown;
  /** Another caller's token (e.g. one the operation ends). Default: the admin's. */
  token?: string;
  /** The body's media type instead of the spec's (a multipart boundary). */
  contentType?: string;
}

/** REST calls for fixtures: each throws unless the answer is 2xx. */
export interface FixtureApi {
  /** The admin's token. */
  readonly admin: string;
  /** The server's base URL (for requests `call` cannot make: a multipart upload). */
  readonly url: string;
  call<T = unknown>(method: string, path: string, body?: unknown, token?: string): Promise<T>;
  login(username: string, password: string): Promise<string>;
  /** A new ticket (`ticket.create` as the admin), unique per call. */
  createTicket(): Promise<{ id: string; number: string }>;
}

export type OpenApiFixtures = (api: FixtureApi) => Promise<Record<string, ExampleOverride>>;
