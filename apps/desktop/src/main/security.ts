/**
 * Imported first by the main process: before any window exists, every web
 * contents is locked down (no navigation away from the app origin, no
 * redirects elsewhere, no `<webview>`, no new windows) and the sandbox is
 * enabled for every renderer.
 */
import { app, shell } from 'electron';
import type { Session, WebContents } from 'electron';
import { resolveServerOrigin } from './config';

/** The one origin this shell trusts: the Dutydesk server. */
export const appOrigin = resolveServerOrigin(process.env);

/**
 * Whether a link may be handed to the operating system's browser: https only
 * (plus mailto), no embedded credentials.
 * @example isSafeExternalUrl('https://kb.example.com/a') // true
 */
export function isSafeExternalUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.protocol === 'mailto:') return url.pathname.length > 0;
  if (url.protocol !== 'https:') return false;
  if (url.username !== '' || url.password !== '') return false;
  return url.hostname.length > 0;
}

/** Whether `raw` is a URL on the trusted origin. */
export function isAppUrl(raw: string, origin: string): boolean {
  try {
    return new URL(raw).origin === origin;
  } catch {
    return false;
  }
}

/**
 * The Content-Security-Policy the shell adds to every response from the app
 * origin (on top of the server's own helmet policy: both are enforced).
 */
export function buildCsp(origin: string): string {
  const ws = origin.replace(/^http/, 'ws');
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    // blob:: the attachment preview (an image or PDF fetched with the token, shown from an
    // object URL); frames only from blob:, never a page.
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self' ${ws}`,
    "object-src 'none'",
    "base-uri 'none'",
    'frame-src blob:',
    "frame-ancestors 'none'",
    "form-action 'self'",
  ].join('; ');
}

/** Denies navigation, redirects, webviews and window.open for one web contents. */
export function hardenWebContents(contents: WebContents, origin: string): void {
  contents.on('will-navigate', (event) => {
    if (!isAppUrl(event.url, origin)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!isAppUrl(event.url, origin)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    // Links to knowledge-base articles and the like open in the system browser.
    if (isSafeExternalUrl(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}

/**
 * Session-wide rules, installed once the app is ready: every permission is
 * denied except notifications from the app origin, and every app response
 * carries the CSP.
 */
export function installSessionSecurity(session: Session, origin: string): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(permission === 'notifications' && isAppUrl(details.requestingUrl, origin));
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => {
    return permission === 'notifications' && requestingOrigin === origin;
  });
  const csp = buildCsp(origin);
  session.webRequest.onHeadersReceived((details, callback) => {
    if (!isAppUrl(details.url, origin)) {
      callback({});
      return;
    }
    const headers = { ...(details.responseHeaders ?? {}) };
    const key =
      Object.keys(headers).find((k) => k.toLowerCase() === 'content-security-policy') ??
      'Content-Security-Policy';
    headers[key] = [...(headers[key] ?? []), csp];
    callback({ responseHeaders: headers });
  });
}

app.enableSandbox();
app.on('web-contents-created', (_event, contents) => {
  hardenWebContents(contents, appOrigin);
});
