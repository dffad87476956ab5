import type { PortalMe, PortalTicketRow, PublicTicket } from '@dutydesk/shared';

/** The portal's token for this tab (a signed link's or an account session's): sessionStorage. */
const TOKEN_KEY = 'dutydesk.portal.token';

export function readPortalToken(storage: Storage = sessionStorage): string | null {
  try {
    return storage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

export function savePortalToken(token: string | null, storage: Storage = sessionStorage): void {
  try {
    if (token) storage.setItem(TOKEN_KEY, token);
    else storage.removeItem(TOKEN_KEY);
  } catch {
    // A private window without storage: the token lives as long as the page.
  }
}

/** A refused or failed call: the server's status, message and reason (`token` field). */
export class PortalError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly reason: string | null,
  ) {
    super(message);
  }
}

async function call<T>(token: string | null, method: string, path: string, body?: unknown) {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`/api/portal${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status === 204) return undefined as T;
  const json = (await res.json().catch(() => ({}))) as {
    error?: { message?: string; fields?: Array<{ path: string; message: string }> };
  };
  if (!res.ok) {
    const reason = json.error?.fields?.find((f) => f.path === 'token')?.message ?? null;
    throw new PortalError(res.status, json.error?.message ?? `HTTP ${res.status}`, reason);
  }
  return json as T;
}

export interface PortalCommandAnswer {
  ok: true;
  number: string | null;
  ticket: PublicTicket | null;
}

/** The portal's REST calls with the tab's token. */
export function portalApi(token: string | null) {
  return {
    login: (login: string, password: string) =>
      call<{ token: string }>(null, 'POST', '/login', { login, password }),
    logout: () => call<void>(token, 'POST', '/logout'),
    me: () => call<PortalMe>(token, 'GET', '/me'),
    tickets: () => call<{ tickets: PortalTicketRow[] }>(token, 'GET', '/tickets'),
    ticket: (id: string) => call<PublicTicket>(token, 'GET', `/tickets/${encodeURIComponent(id)}`),
    command: (body: Record<string, unknown>) =>
      call<PortalCommandAnswer>(token, 'POST', '/commands', {
        commandId: crypto.randomUUID(),
        ...body,
      }),
    /** The ticket's CSAT: `unavailable` until resolved or closed, `open`, or `answered`. */
    surveyState: (id: string) =>
      call<{ state: 'unavailable' | 'open' | 'answered' }>(
        token,
        'GET',
        `/tickets/${encodeURIComponent(id)}/survey`,
      ),
    /** A new CSAT link for the ticket (`url` null once it has its answer). */
    surveyLink: (id: string) =>
      call<{ state: 'open' | 'answered'; url: string | null }>(
        token,
        'POST',
        `/tickets/${encodeURIComponent(id)}/survey`,
      ),
    /** A public attachment's bytes as an object URL (the download needs the token). */
    async attachmentUrl(ticketId: string, attachmentId: string): Promise<string> {
      const res = await fetch(
        `/api/portal/tickets/${encodeURIComponent(ticketId)}/attachments/${encodeURIComponent(attachmentId)}`,
        { headers: token ? { authorization: `Bearer ${token}` } : {} },
      );
      if (!res.ok) throw new PortalError(res.status, `HTTP ${res.status}`, null);
      return URL.createObjectURL(await res.blob());
    },
  };
}
export type PortalApi = ReturnType<typeof portalApi>;
