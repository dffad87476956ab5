import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, RequestHandler } from 'express';
import { pinoHttp } from 'pino-http';
import type { AppContext } from '../context';
import { isSecretKey, logScope } from '../log';

/** Requests logged at debug only: probes and scrapes would drown the request log. */
const QUIET_PATHS = new Set(['/healthz', '/metrics']);

/** The label of a request that no route matched (404s, static files, probes of nothing). */
export const UNMATCHED_ROUTE = 'unmatched';

/** An incoming X-Request-Id is kept when it is 1–128 of these; otherwise a UUID is made. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

const ROUTE = Symbol('dutydesk.route');
type Tracked = IncomingMessage & { [ROUTE]?: string };

/**
 * Records the matched route's pattern (`/api/tickets/:id`) at the moment the router assigns
 * `req.route`, with the `baseUrl` of the router that matched it. Read later (after the
 * response), `req.route` and `req.baseUrl` no longer agree: the router restores `baseUrl` as
 * the request leaves it, and an error handler runs outside it.
 */
function trackRoute(req: Request): void {
  let route: unknown;
  Object.defineProperty(req, 'route', {
    configurable: true,
    enumerable: true,
    get: () => route,
    set(value: unknown) {
      route = value;
      const path = (value as { path?: unknown } | undefined)?.path;
      (req as Tracked)[ROUTE] =
        typeof path === 'string' ? `${req.baseUrl}${path}` : path ? 'console' : undefined;
    },
  });
}

/** The matched route pattern of a request, `static` for a console file, or `unmatched`. */
export function routeOf(req: IncomingMessage): string {
  return (req as Tracked)[ROUTE] ?? UNMATCHED_ROUTE;
}

/**
 * For `express.static`'s `setHeaders`: a request answered with one of the console's files is
 * labelled `static` (one series, not one per file name).
 */
export function markStaticFile(res: ServerResponse): void {
  (res.req as Tracked)[ROUTE] ??= 'static';
}

/** A URL for the log: the path, and the query with secret-named parameters' values redacted. */
export function loggableUrl(url: string): string {
  const q = url.indexOf('?');
  if (q === -1) return url;
  const params = new URLSearchParams(url.slice(q + 1));
  for (const key of new Set(params.keys())) if (isSecretKey(key)) params.set(key, 'REDACTED');
  return `${url.slice(0, q)}?${params.toString()}`;
}

function requestIdOf(req: IncomingMessage): string {
  const raw = req.headers['x-request-id'];
  const incoming = Array.isArray(raw) ? raw[0] : raw;
  return incoming && SANE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/**
 * Per request: a request id (a sane incoming `X-Request-Id`, else a UUID), echoed in the
 * response's `X-Request-Id`, bound to `req.log` and to every line logged while the request is
 * handled (`logScope`); one log line when it ends (method, route, url without secrets, status,
 * ms; never headers or bodies); `dutydesk_http_requests_total` and
 * `dutydesk_http_request_duration_seconds` by method, route pattern and status.
 */
export function observeRequests(ctx: AppContext): RequestHandler {
  const { httpRequests, httpSeconds } = ctx.metrics;
  const summary = (req: IncomingMessage, res: ServerResponse, ms: number) => ({
    method: req.method,
    route: routeOf(req),
    url: loggableUrl((req as Request).originalUrl ?? req.url ?? ''),
    status: res.statusCode,
    ms,
  });
  const logRequests = pinoHttp({
    logger: ctx.log,
    quietReqLogger: true,
    quietResLogger: true,
    wrapSerializers: false,
    genReqId: (req) => req.id as string,
    autoLogging: { ignore: (req) => QUIET_PATHS.has((req as Request).path) },
    // The console's files (a page load asks for a dozen) only at debug.
    customLogLevel: (req, res, err) =>
      err || res.statusCode >= 500 ? 'error' : routeOf(req) === 'static' ? 'debug' : 'info',
    customSuccessObject: (req, res, val: { responseTime: number }) =>
      summary(req, res, val.responseTime),
    customErrorObject: (req, res, err, val: { responseTime: number }) => ({
      ...summary(req, res, val.responseTime),
      err,
    }),
    customSuccessMessage: (req, res) => `${req.method} ${routeOf(req)} ${res.statusCode}`,
    customErrorMessage: (req, res) => `${req.method} ${routeOf(req)} ${res.statusCode}`,
  });
  return (req, res, next) => {
    const started = performance.now();
    const reqId = requestIdOf(req);
    req.id = reqId;
    res.setHeader('X-Request-Id', reqId);
    trackRoute(req);
    res.once('close', () => {
      const labels = { method: req.method, route: routeOf(req), status: String(res.statusCode) };
      httpRequests.inc(labels);
      httpSeconds.observe(labels, (performance.now() - started) / 1000);
    });
    logScope.run({ reqId }, () => logRequests(req, res, next));
  };
}
