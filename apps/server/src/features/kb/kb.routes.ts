import {
  editKbArticleCommandSchema,
  KB_LIMITS,
  KB_READ_ROLES,
  KB_STATES,
  kbArticleFieldsSchema,
  kbLanguageSchema,
  kbStateSchema,
  kbSuggestRequestSchema,
  kbVisibilitySchema,
  type CommandAck,
  type KbArticle,
  type KbPublicArticle,
  type KbRevision,
} from '@dutydesk/shared';
import { Router, type Response } from 'express';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { executeCommand } from '../../commands';
import type { AppContext } from '../../context';
import { authOf, requireAuth, requireRole } from '../../http/auth';
import { parseBody, singleQuery } from '../../http/body';
import { HttpError } from '../../http/errors';
import { parseQuery } from '../search';
import { actorFromUser, readTicket } from '../tickets';
import { draftCaseFromTicket } from './case';
import { listArticles, listPublic, listUnhelpful, readArticle, readRevisions } from './kb.repo';
import { searchKb, suggestKb } from './kb.service';

const commandId = z.string().min(8).max(100).optional();
const expected = z.number().int().min(1).optional();

export const kbCreateBodySchema = kbArticleFieldsSchema.extend({ commandId }).strict();
export const kbEditBodySchema = editKbArticleCommandSchema
  .omit({ type: true, articleId: true, commandId: true })
  .extend({ commandId })
  .strict();
export const kbStepBodySchema = z.object({ commandId, expectedVersion: expected }).strict();
export const kbHelpedBodySchema = z
  .object({ commandId, helped: z.boolean(), ticketId: z.string().min(1).max(64).optional() })
  .strict();
export const kbCaseBodySchema = z
  .object({ commandId, ticketId: z.string().min(1).max(64) })
  .strict();

const limitParam = (max: number, fallback: number) =>
  z.coerce.number().int().min(1).max(max).default(fallback);
const csvStates = z
  .string()
  .transform((s) => s.split(',').filter(Boolean))
  .pipe(z.array(kbStateSchema).max(KB_STATES.length));

const listQuerySchema = z
  .object({
    state: csvStates.optional(),
    language: kbLanguageSchema.optional(),
    visibility: kbVisibilitySchema.optional(),
    category: z.string().max(KB_LIMITS.path).optional(),
    module: z.string().max(KB_LIMITS.path).optional(),
    subFunction: z.string().max(KB_LIMITS.path).optional(),
    limit: limitParam(200, 50),
  })
  .strict();
const searchQuerySchema = z
  .object({
    q: z.string().min(1).max(KB_LIMITS.query),
    language: kbLanguageSchema.optional(),
    scope: z.enum(['published', 'latest']).default('published'),
    limit: limitParam(50, 20),
  })
  .strict();
const publicSearchSchema = searchQuerySchema.omit({ scope: true });
const publicListSchema = z
  .object({ language: kbLanguageSchema.optional(), limit: limitParam(200, 50) })
  .strict();
const reportQuerySchema = z
  .object({
    days: z.coerce.number().int().min(0).max(3650).default(30),
    limit: limitParam(500, 100),
  })
  .strict();

async function run(
  ctx: AppContext,
  res: Response,
  body: Record<string, unknown>,
): Promise<CommandAck & { ok: true }> {
  const actor = actorFromUser(authOf(res).user);
  const ack = await executeCommand(ctx, actor, { commandId: randomUUID(), ...body });
  if (!ack.ok) throw new HttpError(ack.error.code, ack.error.message, ack.error.fields);
  return ack;
}

function articleIdOf(ack: CommandAck & { ok: true }): string {
  const data = ack.events[0]?.data as { articleId?: string } | undefined;
  if (!data?.articleId) throw new HttpError('internal', 'The command made no knowledge event');
  return data.articleId;
}

async function answerArticle(ctx: AppContext, res: Response, id: string, status = 200) {
  const article = await readArticle(ctx.database.db, id);
  if (!article) throw new HttpError('not_found', `No article ${id}`);
  res.status(status).json(article satisfies KbArticle);
}

function toPublic(id: string, r: KbRevision): KbPublicArticle {
  return {
    id,
    revision: r.revision,
    title: r.title,
    body: r.body,
    language: r.language,
    category: r.category,
    module: r.module,
    subFunction: r.subFunction,
    tags: r.tags,
    publishedAt: r.publishedAt ?? r.createdAt,
  };
}

function queryOf(q: string) {
  const query = parseQuery(q);
  if (query.parts.length === 0)
    throw new HttpError('invalid', 'q has no letters or digits to search for', [
      { path: 'q', message: 'no letters or digits' },
    ]);
  return query;
}

/**
 * The knowledge base over REST (decision 51). Staff (agents, engineers, duty managers, admins)
 * read every article, internal and public, in any state; writes are `kb.article.*` commands on
 * the bus (its precheck says who may review, publish, retire). `/kb/public/*` needs no token and
 * shows only public published revisions (the customer portal's read path).
 */
export function createKbRouter(ctx: AppContext): Router {
  const r = Router();
  const db = ctx.database.db;

  r.get('/kb/public/articles', async (req, res) => {
    const q = parseBody(publicListSchema, singleQuery(req), 'query');
    const list = await listPublic(db, q.language, q.limit);
    res.json({ articles: list.map((a) => toPublic(a.articleId, a)) });
  });
  r.get('/kb/public/articles/:id', async (req, res) => {
    const id = String(req.params.id);
    const article = await readArticle(db, id);
    const published = article?.published;
    if (!article || !published || published.visibility !== 'public')
      throw new HttpError('not_found', `No public article ${id}`);
    res.json(toPublic(id, published));
  });
  r.get('/kb/public/search', async (req, res) => {
    const q = parseBody(publicSearchSchema, singleQuery(req), 'query');
    const results = await searchKb(db, { publicOnly: true, scope: 'published' }, queryOf(q.q), q);
    res.json({ results });
  });

  r.use('/kb', requireAuth(ctx), requireRole(...KB_READ_ROLES));
  const staff = { publicOnly: false } as const;

  r.get('/kb/articles', async (req, res) => {
    const q = parseBody(listQuerySchema, singleQuery(req), 'query');
    res.json({ articles: await listArticles(db, q) });
  });
  r.post('/kb/articles', async (req, res) => {
    const body = parseBody(kbCreateBodySchema, req.body, 'article');
    const ack = await run(ctx, res, { ...body, type: 'kb.article.create' });
    await answerArticle(ctx, res, articleIdOf(ack), 201);
  });
  r.get('/kb/articles/:id', async (req, res) => {
    await answerArticle(ctx, res, String(req.params.id));
  });
  r.get('/kb/articles/:id/revisions', async (req, res) => {
    const id = String(req.params.id);
    const revisions = await readRevisions(db, id);
    if (revisions.length === 0) throw new HttpError('not_found', `No article ${id}`);
    res.json({ revisions });
  });
  r.patch('/kb/articles/:id', async (req, res) => {
    const body = parseBody(kbEditBodySchema, req.body, 'article');
    const id = String(req.params.id);
    await run(ctx, res, { ...body, type: 'kb.article.edit', articleId: id });
    await answerArticle(ctx, res, id);
  });
  for (const step of ['review', 'publish', 'retire'] as const) {
    r.post(`/kb/articles/:id/${step}`, async (req, res) => {
      const body = parseBody(kbStepBodySchema, req.body, step);
      const id = String(req.params.id);
      await run(ctx, res, { ...body, type: `kb.article.${step}`, articleId: id });
      await answerArticle(ctx, res, id);
    });
  }
  r.post('/kb/articles/:id/helped', async (req, res) => {
    const body = parseBody(kbHelpedBodySchema, req.body, 'feedback');
    const id = String(req.params.id);
    await run(ctx, res, { ...body, type: 'kb.article.feedback', articleId: id });
    await answerArticle(ctx, res, id);
  });
  r.post('/kb/cases', async (req, res) => {
    const body = parseBody(kbCaseBodySchema, req.body, 'case');
    const ticket = await readTicket(db, body.ticketId);
    if (!ticket) throw new HttpError('not_found', `No ticket ${body.ticketId}`);
    const draft = draftCaseFromTicket(ticket);
    const ack = await run(ctx, res, {
      ...(body.commandId ? { commandId: body.commandId } : {}),
      type: 'kb.article.create',
      ...draft,
      visibility: 'internal',
      sourceTicketId: ticket.id,
    });
    await answerArticle(ctx, res, articleIdOf(ack), 201);
  });
  r.get('/kb/search', async (req, res) => {
    const q = parseBody(searchQuerySchema, singleQuery(req), 'query');
    const results = await searchKb(db, { ...staff, scope: q.scope }, queryOf(q.q), q);
    res.json({ results });
  });
  r.post('/kb/suggest', async (req, res) => {
    const body = parseBody(kbSuggestRequestSchema, req.body, 'suggestion request');
    const text = `${body.title ?? ''}\n${body.description}`;
    const results = await suggestKb(db, { ...staff, scope: 'published' }, text, body);
    res.json({ results });
  });
  r.get('/kb/reports/unhelpful', async (req, res) => {
    const q = parseBody(reportQuerySchema, singleQuery(req), 'query');
    const before = new Date(ctx.clock.now().getTime() - q.days * 86_400_000);
    res.json({ articles: await listUnhelpful(db, before, q.limit) });
  });
  return r;
}
