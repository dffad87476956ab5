// @vitest-environment node
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Session, WebContents } from 'electron';

const electron = vi.hoisted(() => ({
  app: { enableSandbox: vi.fn(), on: vi.fn() },
  shell: { openExternal: vi.fn(() => Promise.resolve()) },
}));
vi.mock('electron', () => electron);

const {
  appOrigin,
  buildCsp,
  hardenWebContents,
  installSessionSecurity,
  isAppUrl,
  isSafeExternalUrl,
} = await import('./security');

const ORIGIN = 'http://127.0.0.1:3000';

type Listener = (event: { url?: string; preventDefault: () => void }) => void;

function fakeContents() {
  const listeners = new Map<string, Listener>();
  let openHandler: ((details: { url: string }) => { action: string }) | undefined;
  const contents = {
    on: (name: string, listener: Listener) => listeners.set(name, listener),
    setWindowOpenHandler: (handler: typeof openHandler) => {
      openHandler = handler;
    },
  };
  const fire = (name: string, url?: string): boolean => {
    const preventDefault = vi.fn();
    listeners.get(name)?.({ url, preventDefault });
    return preventDefault.mock.calls.length > 0;
  };
  return {
    contents: contents as unknown as WebContents,
    fire,
    open: (url: string) => openHandler?.({ url }),
  };
}

describe('isSafeExternalUrl', () => {
  it.each([
    ['https://kb.example.com/article/1', true],
    ['mailto:desk@example.com', true],
    ['http://example.com', false],
    ['https://user:pw@example.com', false],
    ['file:///etc/passwd', false],
    ['javascript:alert(1)', false],
    ['data:text/html,hi', false],
    ['not a url', false],
    ['', false],
  ])('%s → %s', (url, safe) => {
    expect(isSafeExternalUrl(url)).toBe(safe);
  });
});

describe('security at import', () => {
  it('enables the sandbox and hardens every web contents', () => {
    expect(electron.app.enableSandbox).toHaveBeenCalledOnce();
    expect(electron.app.on).toHaveBeenCalledWith('web-contents-created', expect.any(Function));
    expect(appOrigin).toBe(ORIGIN);
  });
});

describe('hardenWebContents', () => {
  beforeEach(() => electron.shell.openExternal.mockClear());

  it('denies navigation and redirects off the app origin, allows them on it', () => {
    const { contents, fire } = fakeContents();
    hardenWebContents(contents, ORIGIN);
    expect(fire('will-navigate', 'https://evil.example.com/')).toBe(true);
    expect(fire('will-navigate', 'http://127.0.0.1:3001/')).toBe(true);
    expect(fire('will-navigate', `${ORIGIN}/wallboard`)).toBe(false);
    expect(fire('will-redirect', 'https://evil.example.com/')).toBe(true);
    expect(fire('will-redirect', `${ORIGIN}/login`)).toBe(false);
  });

  it('refuses to attach a webview', () => {
    const { contents, fire } = fakeContents();
    hardenWebContents(contents, ORIGIN);
    expect(fire('will-attach-webview')).toBe(true);
  });

  it('denies every new window and hands only safe links to the system browser', () => {
    const { contents, open } = fakeContents();
    hardenWebContents(contents, ORIGIN);
    expect(open('https://kb.example.com/a')).toEqual({ action: 'deny' });
    expect(open(`${ORIGIN}/tickets/1`)).toEqual({ action: 'deny' });
    expect(open('file:///etc/passwd')).toEqual({ action: 'deny' });
    expect(electron.shell.openExternal).toHaveBeenCalledTimes(1);
    expect(electron.shell.openExternal).toHaveBeenCalledWith('https://kb.example.com/a');
  });
});

describe('installSessionSecurity', () => {
  function fakeSession() {
    const session = {
      setPermissionRequestHandler: vi.fn(),
      setPermissionCheckHandler: vi.fn(),
      webRequest: { onHeadersReceived: vi.fn() },
    };
    installSessionSecurity(session as unknown as Session, ORIGIN);
    return {
      request: session.setPermissionRequestHandler.mock.calls[0]?.[0] as (
        ...args: unknown[]
      ) => void,
      check: session.setPermissionCheckHandler.mock.calls[0]?.[0] as (
        ...args: unknown[]
      ) => boolean,
      headers: session.webRequest.onHeadersReceived.mock.calls[0]?.[0] as (
        details: unknown,
        callback: (response: unknown) => void,
      ) => void,
    };
  }

  it('grants notifications to the app origin and denies everything else', () => {
    const { request, check } = fakeSession();
    const answer = (permission: string, requestingUrl: string): boolean => {
      const callback = vi.fn();
      request(null, permission, callback, { requestingUrl });
      return callback.mock.calls[0]?.[0] as boolean;
    };
    expect(answer('notifications', `${ORIGIN}/`)).toBe(true);
    expect(answer('notifications', 'https://evil.example.com/')).toBe(false);
    for (const permission of ['media', 'geolocation', 'clipboard-read', 'openExternal']) {
      expect(answer(permission, `${ORIGIN}/`)).toBe(false);
    }
    expect(check(null, 'notifications', ORIGIN)).toBe(true);
    expect(check(null, 'media', ORIGIN)).toBe(false);
  });

  it('adds the CSP to app responses, keeping the server policy too', () => {
    const { headers } = fakeSession();
    const callback = vi.fn();
    headers(
      {
        url: `${ORIGIN}/`,
        responseHeaders: { 'content-security-policy': ["default-src 'self'"] },
      },
      callback,
    );
    expect(callback).toHaveBeenCalledWith({
      responseHeaders: { 'content-security-policy': ["default-src 'self'", buildCsp(ORIGIN)] },
    });
    const other = vi.fn();
    headers({ url: 'https://cdn.example.com/x.js', responseHeaders: {} }, other);
    expect(other).toHaveBeenCalledWith({});
  });

  it('builds a strict CSP', () => {
    const csp = buildCsp(ORIGIN);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain('connect-src');
    expect(csp).toContain('ws://127.0.0.1:3000');
    expect(csp).not.toContain('unsafe-eval');
  });

  it('compares whole origins', () => {
    expect(isAppUrl(`${ORIGIN}/x`, ORIGIN)).toBe(true);
    expect(isAppUrl('http://127.0.0.1:3000.evil.com/', ORIGIN)).toBe(false);
    expect(isAppUrl('garbage', ORIGIN)).toBe(false);
  });
});
