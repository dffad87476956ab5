import {
  KB_LIMITS,
  KB_PUBLISH_ROLES,
  KB_READ_ROLES,
  KB_RETIRE_ROLES,
  kbArticleSchema,
  kbArticleSummarySchema,
  kbLanguageSchema,
  kbPublicArticleSchema,
  kbRevisionSchema,
  kbSearchResponseSchema,
  kbSuggestRequestSchema,
  kbUnhelpfulSchema,
  kbVisibilitySchema,
} from '@dutydesk/shared';
import { z } from 'zod';
import { defineApi, json, named } from '../openapi';
import {
  kbCaseBodySchema,
  kbCreateBodySchema,
  kbEditBodySchema,
  kbHelpedBodySchema,
  kbStepBodySchema,
} from './kb.routes';

const article = named(kbArticleSchema, 'KbArticle');
const summary = named(kbArticleSummarySchema, 'KbArticleSummary');
const hits = named(kbSearchResponseSchema, 'KbSearchResponse');
const publicArticle = named(kbPublicArticleSchema, 'KbPublicArticle');
const byId = z.object({ id: z.string().min(1).max(64).describe("The article's id") });
const exampleId = '5d0c6a1e-7b2f-4c3d-9e8f-0a1b2c3d4e5f';
const limit = (max: number) =>
  z.string().regex(/^\d+$/).optional().describe(`At most this many, 1–${max}`);
const staff = [...KB_READ_ROLES];
const commandNote =
  'Runs as a command on the bus (idempotent per `commandId`, audited as a `kb.*` event carrying the content’s SHA-256, pushed to every seat).';
const searchQuery = z.object({
  q: z
    .string()
    .min(1)
    .max(KB_LIMITS.query)
    .describe('What to find (words are phrases; Chinese matches as a substring)'),
  language: kbLanguageSchema.optional(),
  limit: limit(50),
});

/** The knowledge base (kb.routes.ts, decision 51). */
export const kbApi = defineApi('knowledge', [
  {
    method: 'get',
    path: '/api/kb/articles',
    operationId: 'listKbArticles',
    tagDescription:
      'Knowledge base: articles with reviewed, published revisions; search, suggestions, "this helped" (decision 51).',
    summary: 'List articles by their latest revision, most recently changed first',
    auth: 'staff',
    roles: staff,
    query: z.object({
      state: z.string().optional().describe('draft, reviewed, published, retired; comma-separated'),
      language: kbLanguageSchema.optional(),
      visibility: kbVisibilitySchema.optional(),
      category: z.string().max(KB_LIMITS.path).optional(),
      module: z.string().max(KB_LIMITS.path).optional(),
      subFunction: z.string().max(KB_LIMITS.path).optional(),
      limit: limit(200),
    }),
    responses: { 200: json(z.object({ articles: z.array(summary) }), 'The articles') },
    example: { query: { state: 'draft,reviewed', limit: '20' } },
  },
  {
    method: 'post',
    path: '/api/kb/articles',
    operationId: 'createKbArticle',
    summary: 'Write a new article (revision 1, a draft by the caller)',
    description: `${commandNote} Linked tickets and attachments must exist.`,
    auth: 'staff',
    roles: staff,
    body: kbCreateBodySchema,
    responses: { 201: json(article, 'The new article') },
    errors: [400],
    example: {
      body: {
        title: 'VPN 无法连接：证书过期',
        body: '## 症状\n\n客户端提示证书无效。\n\n## 解决方法\n\n更新证书。',
        language: 'zh-CN',
        visibility: 'public',
        category: '网络',
        module: 'VPN',
        subFunction: '证书',
        tags: ['vpn', '证书'],
      },
    },
  },
  {
    method: 'get',
    path: '/api/kb/articles/{id}',
    operationId: 'getKbArticle',
    summary: 'One article: its latest revision and the published one',
    auth: 'staff',
    roles: staff,
    params: byId,
    responses: { 200: json(article, 'The article') },
    errors: [404],
    example: { params: { id: exampleId } },
  },
  {
    method: 'get',
    path: '/api/kb/articles/{id}/revisions',
    operationId: 'listKbRevisions',
    summary: "An article's revisions, newest first, with their authors and reviewers",
    auth: 'staff',
    roles: staff,
    params: byId,
    responses: { 200: json(z.object({ revisions: z.array(kbRevisionSchema) }), 'The revisions') },
    errors: [404],
    example: { params: { id: exampleId } },
  },
  {
    method: 'patch',
    path: '/api/kb/articles/{id}',
    operationId: 'editKbArticle',
    summary: 'Change an article (a draft in place; a published one gets a new draft revision)',
    description: `${commandNote} A reviewed draft goes back to draft; the caller becomes the revision's author.`,
    auth: 'staff',
    roles: staff,
    params: byId,
    body: kbEditBodySchema,
    responses: { 200: json(article, 'The article after the change') },
    errors: [400, 404, 409],
    example: { params: { id: exampleId }, body: { body: '## Fix\n\nRenew the certificate.' } },
  },
  {
    method: 'post',
    path: '/api/kb/articles/{id}/review',
    operationId: 'reviewKbArticle',
    summary: 'Review the latest draft (four eyes: not by its author)',
    description: `${commandNote} Duty managers and admins may review their own (as on a milestone's lead sign-off, decision 21b).`,
    auth: 'staff',
    roles: staff,
    params: byId,
    body: kbStepBodySchema,
    responses: { 200: json(article, 'The article, its latest revision reviewed') },
    errors: [400, 404, 409],
    example: { params: { id: exampleId }, body: {} },
  },
  {
    method: 'post',
    path: '/api/kb/articles/{id}/publish',
    operationId: 'publishKbArticle',
    summary: 'Publish the reviewed latest revision (the previous published one is retired)',
    description: commandNote,
    auth: 'staff',
    roles: [...KB_PUBLISH_ROLES],
    params: byId,
    body: kbStepBodySchema,
    responses: { 200: json(article, 'The article, published') },
    errors: [400, 404, 409],
    example: { params: { id: exampleId }, body: {} },
  },
  {
    method: 'post',
    path: '/api/kb/articles/{id}/retire',
    operationId: 'retireKbArticle',
    summary: 'Withdraw the published revision (readers and the portal no longer see it)',
    description: commandNote,
    auth: 'staff',
    roles: [...KB_RETIRE_ROLES],
    params: byId,
    body: kbStepBodySchema,
    responses: { 200: json(article, 'The article, retired') },
    errors: [400, 404, 409],
    example: { params: { id: exampleId }, body: {} },
  },
  {
    method: 'post',
    path: '/api/kb/articles/{id}/helped',
    operationId: 'rateKbArticle',
    summary: '"This helped" (or not) on a published article: the counts feed its ranking',
    description: commandNote,
    auth: 'staff',
    roles: staff,
    params: byId,
    body: kbHelpedBodySchema,
    responses: { 200: json(article, 'The article with its counts') },
    errors: [400, 404, 409],
    example: { params: { id: exampleId }, body: { helped: true } },
  },
  {
    method: 'post',
    path: '/api/kb/cases',
    operationId: 'makeKbCase',
    summary: 'Make a case from a resolved ticket: a draft with symptom, cause and fix',
    description: `The ticket's description is the symptom, the problems of its execution log the cause, the work done and the resolution note the fix; an internal draft linked to the ticket. ${commandNote}`,
    auth: 'staff',
    roles: staff,
    body: kbCaseBodySchema,
    responses: { 201: json(article, 'The draft') },
    errors: [400, 404, 409],
    example: { body: { ticketId: exampleId } },
  },
  {
    method: 'get',
    path: '/api/kb/search',
    operationId: 'searchKb',
    summary: 'Search articles (internal and public), ranked, with highlights',
    description:
      "The ticket search's cutter (decision 32): every word must match the title, a tag or the body. `scope=published` (default) searches what readers see, `latest` the revisions being worked on.",
    auth: 'staff',
    roles: staff,
    query: searchQuery.extend({ scope: z.enum(['published', 'latest']).optional() }),
    responses: { 200: json(hits, 'The hits, best first') },
    errors: [400],
    example: { query: { q: 'VPN 证书', limit: '10' } },
  },
  {
    method: 'post',
    path: '/api/kb/suggest',
    operationId: 'suggestKb',
    summary: 'Published articles that fit what the agent is typing (create dialog, workspace)',
    description:
      'Any term of the title and description may match (Chinese as bigrams); ranked by how many match and where, and by "this helped".',
    auth: 'staff',
    roles: staff,
    body: kbSuggestRequestSchema,
    responses: { 200: json(hits, 'The suggestions, best first') },
    errors: [400],
    example: { body: { description: '用户反馈 VPN 连接时提示证书无效', limit: 5 } },
  },
  {
    method: 'get',
    path: '/api/kb/reports/unhelpful',
    operationId: 'reportUnhelpfulKb',
    summary: 'Published articles nobody said helped, published more than `days` ago',
    auth: 'staff',
    roles: staff,
    query: z.object({
      days: z
        .string()
        .regex(/^\d+$/)
        .optional()
        .describe('Published at least this many days ago (default 30)'),
      limit: limit(500),
    }),
    responses: {
      200: json(
        z.object({ articles: z.array(named(kbUnhelpfulSchema, 'KbUnhelpful')) }),
        'The articles',
      ),
    },
    example: { query: { days: '0' } },
  },
  {
    method: 'get',
    path: '/api/kb/public/articles',
    operationId: 'listPublicKbArticles',
    summary: 'Public published articles (the customer portal; no token)',
    auth: 'public',
    query: z.object({ language: kbLanguageSchema.optional(), limit: limit(200) }),
    responses: { 200: json(z.object({ articles: z.array(publicArticle) }), 'The articles') },
    example: { query: { language: 'zh-CN' } },
  },
  {
    method: 'get',
    path: '/api/kb/public/articles/{id}',
    operationId: 'getPublicKbArticle',
    summary: 'One public published article (404 for an internal, unpublished or retired one)',
    auth: 'public',
    params: byId,
    responses: { 200: json(publicArticle, 'The article') },
    errors: [404],
    example: { params: { id: exampleId } },
  },
  {
    method: 'get',
    path: '/api/kb/public/search',
    operationId: 'searchPublicKb',
    summary: 'Search public published articles (the customer portal; no token)',
    auth: 'public',
    query: searchQuery,
    responses: { 200: json(hits, 'The hits, best first') },
    errors: [400],
    example: { query: { q: 'VPN' } },
  },
]);
