import { z } from 'zod';
import { changeRequestSchema, problemDetailSchema, problemSchema } from '../../realtime/contract';
import type {
  ActionStatus,
  ChangeRequest,
  ChangeRisk,
  Problem,
  ProblemDetail,
} from '../../realtime/contract';

/** An answer of a write: the record, or the server's refusal. */
export type Result<T> = { ok: true; value: T } | { ok: false; code: string; message: string };

const refusalSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

async function send(token: string, method: string, path: string, body?: unknown) {
  return fetch(path, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function read<T>(res: Response, schema: z.ZodType<T>): Promise<Result<T>> {
  const json: unknown = await res.json().catch(() => null);
  if (res.ok) {
    const parsed = schema.safeParse(json);
    return parsed.success
      ? { ok: true, value: parsed.data }
      : { ok: false, code: 'internal', message: 'unreadable answer' };
  }
  const refusal = refusalSchema.safeParse(json);
  return refusal.success
    ? { ok: false, ...refusal.data.error }
    : { ok: false, code: String(res.status), message: res.statusText };
}

const listSchema = z.object({ problems: z.array(problemSchema) });
const changesSchema = z.object({ changes: z.array(changeRequestSchema) });
const ticketSchema = z.object({ id: z.string(), number: z.string(), title: z.string() });
const path = (id: string) => `/api/problems/${encodeURIComponent(id)}`;
const changePath = (id: string) => `/api/changes/${encodeURIComponent(id)}`;

export interface ActionFields {
  title: string;
  ownerId: string;
  dueAt: string;
  status: ActionStatus;
}

export interface ChangeFields {
  summary: string;
  risk: ChangeRisk;
  plannedStart: string;
  plannedEnd: string;
  problemId: string | null;
  ticketIds: string[];
}

/** The problems feature's REST calls (decision 58). */
export const problemsApi = {
  async list(token: string, status?: string): Promise<Problem[]> {
    const q = new URLSearchParams({ limit: '500', ...(status ? { status } : {}) });
    const r = await read(await send(token, 'GET', `/api/problems?${q}`), listSchema);
    return r.ok ? r.value.problems : [];
  },
  async get(token: string, id: string): Promise<ProblemDetail | null> {
    const r = await read(await send(token, 'GET', path(id)), problemDetailSchema);
    return r.ok ? r.value : null;
  },
  async create(
    token: string,
    fields: { title: string; description: string },
  ): Promise<Result<ProblemDetail>> {
    return read(await send(token, 'POST', '/api/problems', fields), problemDetailSchema);
  },
  async update(
    token: string,
    id: string,
    fields: Record<string, unknown>,
  ): Promise<Result<ProblemDetail>> {
    return read(await send(token, 'PATCH', path(id), fields), problemDetailSchema);
  },
  async saveAction(
    token: string,
    id: string,
    fields: ActionFields,
    actionId?: string,
  ): Promise<Result<ProblemDetail>> {
    const res = actionId
      ? await send(token, 'PUT', `${path(id)}/actions/${encodeURIComponent(actionId)}`, fields)
      : await send(token, 'POST', `${path(id)}/actions`, fields);
    return read(res, problemDetailSchema);
  },
  async confirm(token: string, id: string, note: string): Promise<Result<ProblemDetail>> {
    return read(await send(token, 'POST', `${path(id)}/confirm`, { note }), problemDetailSchema);
  },
  async close(token: string, id: string, expectedVersion: number): Promise<Result<ProblemDetail>> {
    const res = await send(token, 'POST', `${path(id)}/close`, { expectedVersion });
    return read(res, problemDetailSchema);
  },
  async report(
    token: string,
    id: string,
    fields: { cause: string; process: string; prevention: string },
  ): Promise<Result<ProblemDetail>> {
    return read(await send(token, 'POST', `${path(id)}/fault-report`, fields), problemDetailSchema);
  },
  async changes(token: string, problemId: string): Promise<ChangeRequest[]> {
    const q = new URLSearchParams({ problemId });
    const r = await read(await send(token, 'GET', `/api/changes?${q}`), changesSchema);
    return r.ok ? r.value.changes : [];
  },
  async createChange(token: string, fields: ChangeFields): Promise<Result<ChangeRequest>> {
    return read(await send(token, 'POST', '/api/changes', fields), changeRequestSchema);
  },
  async decideChange(token: string, id: string, approved: boolean): Promise<Result<ChangeRequest>> {
    const res = await send(token, 'POST', `${changePath(id)}/decision`, { approved });
    return read(res, changeRequestSchema);
  },
  async completeChange(token: string, id: string): Promise<Result<ChangeRequest>> {
    return read(await send(token, 'POST', `${changePath(id)}/done`, {}), changeRequestSchema);
  },
  /** A ticket by its number (any status), for linking. */
  async ticketByNumber(
    token: string,
    number: string,
  ): Promise<{ id: string; number: string; title: string } | null> {
    const res = await send(token, 'GET', `/api/tickets/by-number/${encodeURIComponent(number)}`);
    const r = await read(res, ticketSchema);
    return r.ok ? r.value : null;
  },
  async ticket(
    token: string,
    id: string,
  ): Promise<{ id: string; number: string; title: string } | null> {
    const r = await read(
      await send(token, 'GET', `/api/tickets/${encodeURIComponent(id)}`),
      ticketSchema,
    );
    return r.ok ? r.value : null;
  },
};
