import { z } from 'zod';
import { ticketListSchema, ticketSchema } from '../realtime/contract';
import type { Ticket } from '../realtime/contract';
import { sessionUserSchema } from '../features/login/session.slice';
import type { Session } from '../features/login/session.slice';
import { createCustomerApi } from './customersApi';
import type { CustomerApi } from './customersApi';

export const LoginFailure = {
  invalid: 'invalid',
  rateLimited: 'rateLimited',
  network: 'network',
  unexpected: 'unexpected',
} as const;
export type LoginFailure = (typeof LoginFailure)[keyof typeof LoginFailure];

export type LoginResult =
  | { ok: true; session: Session }
  | { ok: false; reason: LoginFailure; status?: number; retryAfterSeconds?: number };

const loginBodySchema = z.object({ token: z.string().min(1), user: sessionUserSchema });

/** REST calls of the console, same origin as the page (the customer records' in `customersApi.ts`). */
export interface Api extends CustomerApi {
  login(username: string, password: string): Promise<LoginResult>;
  logout(token: string): Promise<void>;
  /** `GET /api/tickets` (all open by default); `query` e.g. `{ status: 'closed', limit: '500' }`. */
  listTickets(token: string, query?: Record<string, string>): Promise<Ticket[]>;
  /** `GET /api/tickets/by-number/:number` (also closed tickets and earlier numbers); null: none. */
  findTicketByNumber(token: string, number: string): Promise<Ticket | null>;
  /** One ticket (also closed ones, which the snapshot leaves out); null when unknown. */
  getTicket(token: string, id: string): Promise<Ticket | null>;
  /**
   * The staff list: `/api/users` (accounts, usernames, disabled flags) for the roles that may
   * list accounts (admin, duty manager); for every other role the directory every seat may read
   * (`/api/staff`: active staff, names, roles, groups), asked directly so an agent's sign-in
   * causes no 403. Without `roles`, `/api/users` first and `/api/staff` when refused.
   */
  listUsers(token: string, roles?: readonly string[]): Promise<DirectoryUser[]>;
  listGroups(token: string): Promise<DirectoryGroup[]>;
  /**
   * `POST /api/major-incidents/:ticketId`: declares a major incident (the incident record, the
   * ticket's flag, linked children, the service director alerted). Errors are values.
   */
  /** `GET /api/roster/on-duty`: who holds which duty now, by the roster (empty on failure). */
  listOnDuty(token: string): Promise<OnDuty[]>;
  declareMajorIncident(
    token: string,
    ticketId: string,
    body: { note?: string; childTicketIds?: string[] },
  ): Promise<RestOutcome>;
  /**
   * `POST /api/tickets/:id/attachments` (multipart, one `file` part) with upload progress
   * (XMLHttpRequest: fetch reports none). Errors are values; `abort()` cancels.
   */
  uploadAttachment(
    token: string,
    ticketId: string,
    file: Blob,
    name: string,
    onProgress?: (loaded: number, total: number) => void,
  ): UploadHandle;
  /** `GET /api/attachments/:id`: the bytes (with the bearer token, so no plain link works). */
  fetchAttachment(token: string, id: string): Promise<Blob>;
}

/** The server's 201 of an upload. */
export const attachmentUploadedSchema = z.object({
  id: z.string(),
  sha256: z.string(),
  size: z.number(),
  name: z.string(),
  contentType: z.string(),
});
export type AttachmentUploadedBody = z.infer<typeof attachmentUploadedSchema>;

/** How an upload ended: stored, refused (the server's code and message), or cancelled. */
export type UploadOutcome =
  { ok: true; attachment: AttachmentUploadedBody } | { ok: false; code: string; message: string };

export interface UploadHandle {
  readonly done: Promise<UploadOutcome>;
  abort(): void;
}

export const onDutySchema = z.object({
  userId: z.string(),
  displayName: z.string(),
  duty: z.string(),
  coverFor: z.string().nullable().default(null),
});
export type OnDuty = z.infer<typeof onDutySchema>;
const onDutyBodySchema = z.object({ onDuty: z.array(onDutySchema) });

/** The answer of a REST action: done, or why not (the server's code and message). */
export type RestOutcome = { ok: true } | { ok: false; code: string; message: string };

const restErrorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
});

export const directoryUserSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  roles: z.array(z.string()),
  groupIds: z.array(z.string()).default([]),
  disabled: z.boolean().default(false),
});
export type DirectoryUser = z.infer<typeof directoryUserSchema>;

export const directoryGroupSchema = z.object({
  id: z.string(),
  name: z.string(),
  nameZh: z.string().optional(),
  tier: z.number().optional(),
});
export type DirectoryGroup = z.infer<typeof directoryGroupSchema>;

const usersBodySchema = z.object({ users: z.array(directoryUserSchema) });
/** Roles the server lets list accounts (`GET /api/users`); the rest read `/api/staff`. */
const ACCOUNT_LISTING_ROLES: readonly string[] = ['admin', 'duty_manager'];
/** `GET /api/staff`: names for every seat (no usernames); an agent may not list `/api/users`. */
const staffBodySchema = z.object({
  staff: z.array(directoryUserSchema.omit({ username: true, disabled: true })),
});
const groupsBodySchema = z.object({ groups: z.array(directoryGroupSchema) });

/** One upload over XMLHttpRequest, the only browser API that reports upload progress. */
function sendUpload(
  url: string,
  token: string,
  file: Blob,
  name: string,
  onProgress?: (loaded: number, total: number) => void,
): UploadHandle {
  const xhr = new XMLHttpRequest();
  const done = new Promise<UploadOutcome>((resolve) => {
    const form = new FormData();
    form.append('file', file, name);
    xhr.open('POST', url);
    xhr.setRequestHeader('authorization', `Bearer ${token}`);
    xhr.setRequestHeader('x-command-id', crypto.randomUUID());
    xhr.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable) onProgress?.(event.loaded, event.total);
    });
    xhr.addEventListener('load', () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText) as unknown;
      } catch {
        body = null;
      }
      if (xhr.status === 201) {
        const parsed = attachmentUploadedSchema.safeParse(body);
        if (parsed.success) {
          resolve({ ok: true, attachment: parsed.data });
          return;
        }
      }
      const error = restErrorSchema.safeParse(body);
      resolve(
        error.success
          ? { ok: false, ...error.data.error }
          : { ok: false, code: 'unexpected', message: `HTTP ${xhr.status}` },
      );
    });
    xhr.addEventListener('error', () =>
      resolve({ ok: false, code: 'network', message: 'network error' }),
    );
    xhr.addEventListener('abort', () =>
      resolve({ ok: false, code: 'aborted', message: 'cancelled' }),
    );
    xhr.send(form);
  });
  return { done, abort: () => xhr.abort() };
}

export function createApi(
  fetchImpl: typeof fetch = (...args) => fetch(...args),
  baseUrl = '',
): Api {
  return {
    ...createCustomerApi(fetchImpl, baseUrl),
    uploadAttachment(token, ticketId, file, name, onProgress) {
      return sendUpload(
        `${baseUrl}/api/tickets/${encodeURIComponent(ticketId)}/attachments`,
        token,
        file,
        name,
        onProgress,
      );
    },
    async fetchAttachment(token, id) {
      const response = await fetchImpl(`${baseUrl}/api/attachments/${encodeURIComponent(id)}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      if (!response.ok) {
        const error = restErrorSchema.safeParse(await response.json().catch(() => null));
        throw new Error(error.success ? error.data.error.message : `HTTP ${response.status}`);
      }
      return response.blob();
    },
    async login(username, password) {
      let response: Response;
      try {
        response = await fetchImpl(`${baseUrl}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username, password }),
        });
      } catch {
        return { ok: false, reason: LoginFailure.network };
      }
      if (response.status === 401 || response.status === 400)
        return { ok: false, reason: LoginFailure.invalid, status: response.status };
      if (response.status === 429) {
        const seconds = Number(response.headers.get('retry-after'));
        return {
          ok: false,
          reason: LoginFailure.rateLimited,
          status: 429,
          ...(Number.isFinite(seconds) && seconds > 0 ? { retryAfterSeconds: seconds } : {}),
        };
      }
      if (!response.ok)
        return { ok: false, reason: LoginFailure.unexpected, status: response.status };
      const body = loginBodySchema.safeParse(await response.json().catch(() => null));
      if (!body.success)
        return { ok: false, reason: LoginFailure.unexpected, status: response.status };
      return { ok: true, session: { token: body.data.token, user: body.data.user } };
    },
    async logout(token) {
      try {
        await fetchImpl(`${baseUrl}/api/auth/logout`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}` },
        });
      } catch {
        // Signing out locally must work offline; the token expires on its own.
      }
    },
    async findTicketByNumber(token, number) {
      const response = await fetchImpl(
        `${baseUrl}/api/tickets/by-number/${encodeURIComponent(number)}`,
        { headers: { authorization: `Bearer ${token}` } },
      );
      if (response.status === 404 || response.status === 400) return null;
      if (!response.ok) throw new Error(`GET /api/tickets/by-number: ${response.status}`);
      const parsed = ticketSchema.safeParse(await response.json());
      return parsed.success ? parsed.data : null;
    },
    async listTickets(token, query) {
      const search = query ? `?${new URLSearchParams(query).toString()}` : '';
      const response = await fetchImpl(`${baseUrl}/api/tickets${search}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      if (!response.ok) throw new Error(`GET /api/tickets: ${response.status}`);
      return ticketListSchema.parse(await response.json()).tickets;
    },
    async getTicket(token, id) {
      const response = await fetchImpl(`${baseUrl}/api/tickets/${encodeURIComponent(id)}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      if (response.status === 404) return null;
      if (!response.ok) throw new Error(`GET /api/tickets/${id}: ${response.status}`);
      const parsed = ticketSchema.safeParse(await response.json());
      return parsed.success ? parsed.data : null;
    },
    async listUsers(token, roles) {
      const readStaff = async (): Promise<DirectoryUser[]> => {
        const staff = await fetchImpl(`${baseUrl}/api/staff`, {
          headers: { authorization: `Bearer ${token}` },
        });
        if (!staff.ok) return [];
        const parsed = staffBodySchema.safeParse(await staff.json());
        return parsed.success
          ? parsed.data.staff.map((u) => ({ ...u, username: '', disabled: false }))
          : [];
      };
      try {
        if (roles && !roles.some((r) => ACCOUNT_LISTING_ROLES.includes(r)))
          return await readStaff();
        const response = await fetchImpl(`${baseUrl}/api/users`, {
          headers: { authorization: `Bearer ${token}` },
        });
        if (response.status === 403) return await readStaff();
        if (!response.ok) return [];
        const parsed = usersBodySchema.safeParse(await response.json());
        return parsed.success ? parsed.data.users : [];
      } catch {
        return [];
      }
    },
    async listOnDuty(token) {
      try {
        const response = await fetchImpl(`${baseUrl}/api/roster/on-duty`, {
          headers: { authorization: `Bearer ${token}` },
        });
        if (!response.ok) return [];
        const parsed = onDutyBodySchema.safeParse(await response.json());
        return parsed.success ? parsed.data.onDuty : [];
      } catch {
        return [];
      }
    },
    async declareMajorIncident(token, ticketId, body) {
      try {
        const response = await fetchImpl(
          `${baseUrl}/api/major-incidents/${encodeURIComponent(ticketId)}`,
          {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: JSON.stringify(body),
          },
        );
        if (response.ok) return { ok: true };
        const parsed = restErrorSchema.safeParse(await response.json().catch(() => null));
        return parsed.success
          ? { ok: false, ...parsed.data.error }
          : { ok: false, code: 'unexpected', message: `HTTP ${response.status}` };
      } catch {
        return { ok: false, code: 'unavailable', message: 'The server cannot be reached' };
      }
    },
    async listGroups(token) {
      try {
        const response = await fetchImpl(`${baseUrl}/api/groups`, {
          headers: { authorization: `Bearer ${token}` },
        });
        if (!response.ok) return [];
        const parsed = groupsBodySchema.safeParse(await response.json());
        return parsed.success ? parsed.data.groups : [];
      } catch {
        return [];
      }
    },
  };
}
