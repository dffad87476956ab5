import { apiReference } from '@scalar/express-api-reference';
import { Router } from 'express';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { relaxedCsp } from '../../http/securityHeaders';
import type { OpenApiDocument } from './document';

/** Where the page loads the reference's script from: this server, never a CDN. */
export const SCALAR_SCRIPT_PATH = '/api/docs/scalar.js';

/**
 * The standalone (single-file, UMD) build of `@scalar/api-reference`, shipped in the package
 * itself: the page works with no network beyond this server.
 */
function scalarStandalonePath(): string {
  const entry = createRequire(import.meta.url).resolve('@scalar/api-reference');
  return join(dirname(entry), 'browser', 'standalone.js');
}

/**
 * `GET /api/openapi.json` (the spec), `GET /api/docs` (the interactive reference page) and
 * its script. All three are public: they describe the API, not its data; every call made from
 * the page still needs a token.
 */
export function createOpenApiRouter(document: () => OpenApiDocument): Router {
  const r = Router();
  const script = scalarStandalonePath();
  r.get('/openapi.json', (_req, res) => {
    res.set('Cache-Control', 'no-cache');
    res.json(document());
  });
  r.get('/docs', (req, res, next) => {
    // The page starts the reference with one inline script: it runs by this response's nonce
    // only; everything else keeps the server's policy (same origin only, no eval).
    const nonce = randomBytes(16).toString('base64');
    res.setHeader(
      'Content-Security-Policy',
      relaxedCsp(req.secure, { 'script-src': [`'nonce-${nonce}'`] }),
    );
    res.set('Cache-Control', 'no-cache');
    apiReference({
      url: '/api/openapi.json',
      cdn: SCALAR_SCRIPT_PATH,
      nonce,
      pageTitle: 'Dutydesk REST API',
      withDefaultFonts: false,
      telemetry: false,
      // Nothing that talks to a service elsewhere: no AI agent, no MCP, no hosted client.
      agent: { disabled: true },
      mcp: { disabled: true },
      hideClientButton: true,
      // The toolbar (share, deploy, hosted SDKs) links to Scalar's services.
      showDeveloperTools: 'never',
    })(req as never, res, next);
  });
  r.get('/docs/scalar.js', (_req, res) => {
    // `dotfiles: 'allow'`: the package sits below pnpm's `.pnpm` folder.
    res.sendFile(script, {
      dotfiles: 'allow',
      maxAge: '1d',
      headers: { 'Content-Type': 'text/javascript; charset=utf-8' },
    });
  });
  return r;
}
