import type { RequestHandler } from 'express';
import helmet from 'helmet';

/** The console's CSP: everything from this origin only (`'self'` covers same-origin ws:/wss:). */
const directives = {
  'default-src': ["'self'"],
  'base-uri': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  // blob:: the attachment preview (decision 33): the console fetches an image or PDF with its
  // token and shows it from an object URL; nothing else is framed.
  'img-src': ["'self'", 'data:', 'blob:'],
  'frame-src': ['blob:'],
  'font-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'media-src': ["'self'", 'data:'],
  'object-src': ["'none'"],
  'frame-ancestors': ["'none'"],
  'form-action': ["'self'"],
  'script-src-attr': ["'none'"],
};

type Directives = Record<string, readonly string[]>;

/** A CSP header value from a directive table (helmet's form: name → sources). */
function formatCsp(table: Directives): string {
  return Object.entries(table)
    .map(([name, sources]) => [name, ...sources].join(' '))
    .join('; ');
}

/**
 * The CSP of one page that needs more than the console's policy: the same directives with
 * `extra` sources added (e.g. the API reference's inline start-up script by its nonce), and
 * `upgrade-insecure-requests` over TLS as everywhere else. Set it on that response only.
 * @example res.setHeader('Content-Security-Policy', relaxedCsp(req.secure, { 'script-src': [`'nonce-${nonce}'`] }))
 */
export function relaxedCsp(secure: boolean, extra: Directives): string {
  const table: Record<string, string[]> = {};
  for (const [name, sources] of Object.entries(directives)) table[name] = [...sources];
  for (const [name, sources] of Object.entries(extra)) {
    table[name] = [...(table[name] ?? []), ...sources];
  }
  if (secure) table['upgrade-insecure-requests'] = [];
  return formatCsp(table);
}

/**
 * Helmet's headers, chosen per request by how it arrived. Over TLS (`req.secure`: the socket is
 * TLS, or a proxy trusted by `DUTYDESK_TRUST_PROXY` says `X-Forwarded-Proto: https`) the CSP
 * carries `upgrade-insecure-requests` and `Strict-Transport-Security` is sent. Over plain HTTP
 * neither is: a console at `http://10.0.0.5:3000` would otherwise fetch its own scripts over
 * https and show a blank page, and HSTS over http is ignored by browsers anyway.
 */
export function createSecurityHeaders(): RequestHandler {
  const base = { crossOriginEmbedderPolicy: false } as const;
  const overTls = helmet({
    ...base,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { ...directives, 'upgrade-insecure-requests': [] },
    },
    strictTransportSecurity: { maxAge: 180 * 24 * 3600, includeSubDomains: false },
  });
  const plain = helmet({
    ...base,
    contentSecurityPolicy: { useDefaults: false, directives },
    strictTransportSecurity: false,
  });
  return (req, res, next) => (req.secure ? overTls : plain)(req, res, next);
}
