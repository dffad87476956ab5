import { z } from 'zod';
import {
  kbArticleSchema,
  kbArticleSummarySchema,
  kbRevisionSchema,
  kbSearchResponseSchema,
  kbUnhelpfulSchema,
} from '../../realtime/contract';
import type {
  KbArticle,
  KbArticleSummary,
  KbHit,
  KbLanguage,
  KbRevision,
  KbUnhelpful,
  KbVisibility,
} from '../../realtime/contract';

/** An answer of a write: the article, or the server's refusal. */
export type KbResult =
  { ok: true; article: KbArticle } | { ok: false; code: string; message: string };

/** What the editor sends. */
export interface KbDraftFields {
  title: string;
  body: string;
  language: KbLanguage;
  visibility: KbVisibility;
  category: string | null;
  module: string | null;
  subFunction: string | null;
  tags: string[];
}

export type KbStep = 'review' | 'publish' | 'retire';

const refusalSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

async function send(
  token: string,
  method: string,
  path: string,
  body?: unknown,
  signal?: AbortSignal,
): Promise<Response> {
  return fetch(path, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal,
  });
}

async function readArticle(res: Response): Promise<KbResult> {
  const json: unknown = await res.json().catch(() => null);
  if (res.ok) {
    const parsed = kbArticleSchema.safeParse(json);
    if (parsed.success) return { ok: true, article: parsed.data };
    return { ok: false, code: 'internal', message: 'unreadable answer' };
  }
  const refusal = refusalSchema.safeParse(json);
  return refusal.success
    ? { ok: false, ...refusal.data.error }
    : { ok: false, code: String(res.status), message: res.statusText };
}

async function readList<T>(res: Response, schema: z.ZodType<T>): Promise<T | null> {
  if (!res.ok) return null;
  const parsed = schema.safeParse(await res.json().catch(() => null));
  return parsed.success ? parsed.data : null;
}

const summariesSchema = z.object({ articles: z.array(kbArticleSummarySchema) });
const revisionsSchema = z.object({ revisions: z.array(kbRevisionSchema) });
const unhelpfulSchema = z.object({ articles: z.array(kbUnhelpfulSchema) });

/** The knowledge base's REST calls (decision 51); reads answer null or [] when refused. */
export const kbApi = {
  async list(token: string, state?: string): Promise<KbArticleSummary[]> {
    const q = new URLSearchParams({ limit: '200', ...(state ? { state } : {}) });
    const r = await readList(await send(token, 'GET', `/api/kb/articles?${q}`), summariesSchema);
    return r?.articles ?? [];
  },
  async get(token: string, id: string): Promise<KbArticle | null> {
    const res = await send(token, 'GET', `/api/kb/articles/${encodeURIComponent(id)}`);
    const r = await readArticle(res);
    return r.ok ? r.article : null;
  },
  async revisions(token: string, id: string): Promise<KbRevision[]> {
    const path = `/api/kb/articles/${encodeURIComponent(id)}/revisions`;
    return (await readList(await send(token, 'GET', path), revisionsSchema))?.revisions ?? [];
  },
  async create(token: string, fields: KbDraftFields): Promise<KbResult> {
    return readArticle(await send(token, 'POST', '/api/kb/articles', fields));
  },
  async edit(
    token: string,
    id: string,
    fields: KbDraftFields,
    expectedVersion: number,
  ): Promise<KbResult> {
    const path = `/api/kb/articles/${encodeURIComponent(id)}`;
    return readArticle(await send(token, 'PATCH', path, { ...fields, expectedVersion }));
  },
  async step(token: string, id: string, step: KbStep, expectedVersion: number): Promise<KbResult> {
    const path = `/api/kb/articles/${encodeURIComponent(id)}/${step}`;
    return readArticle(await send(token, 'POST', path, { expectedVersion }));
  },
  async rate(token: string, id: string, helped: boolean, ticketId?: string): Promise<KbResult> {
    const path = `/api/kb/articles/${encodeURIComponent(id)}/helped`;
    return readArticle(
      await send(token, 'POST', path, { helped, ...(ticketId ? { ticketId } : {}) }),
    );
  },
  async makeCase(token: string, ticketId: string): Promise<KbResult> {
    return readArticle(await send(token, 'POST', '/api/kb/cases', { ticketId }));
  },
  async search(token: string, q: string, scope: 'published' | 'latest'): Promise<KbHit[]> {
    const query = new URLSearchParams({ q, scope, limit: '50' });
    const res = await send(token, 'GET', `/api/kb/search?${query}`);
    return (await readList(res, kbSearchResponseSchema))?.results ?? [];
  },
  async suggest(
    token: string,
    text: { title?: string; description: string },
    signal?: AbortSignal,
  ): Promise<KbHit[]> {
    const res = await send(token, 'POST', '/api/kb/suggest', { ...text, limit: 5 }, signal);
    return (await readList(res, kbSearchResponseSchema))?.results ?? [];
  },
  async unhelpful(token: string): Promise<KbUnhelpful[]> {
    const res = await send(token, 'GET', '/api/kb/reports/unhelpful?days=30');
    return (await readList(res, unhelpfulSchema))?.articles ?? [];
  },
};
