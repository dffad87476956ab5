import { z } from 'zod';
import { anyText, requiredText, storableString } from './text';
import { instantSchema } from './ticket';

/**
 * The knowledge base (issue 21, decision 51): articles with numbered revisions, each revision
 * `draft` → `reviewed` → `published` → `retired`. An article shows its published revision to
 * readers (customers: only a public one) while a newer revision is worked on.
 */
export const KB_STATES = ['draft', 'reviewed', 'published', 'retired'] as const;
export const kbStateSchema = z.enum(KB_STATES);
export type KbState = z.infer<typeof kbStateSchema>;

export const KB_LANGUAGES = ['zh-CN', 'en'] as const;
export const kbLanguageSchema = z.enum(KB_LANGUAGES);
export type KbLanguage = z.infer<typeof kbLanguageSchema>;

/** `internal`: staff only; `public`: also the customer portal (once published). */
export const kbVisibilitySchema = z.enum(['internal', 'public']);
export type KbVisibility = z.infer<typeof kbVisibilitySchema>;

/** Length limits of article fields (characters). */
export const KB_LIMITS = {
  title: 200,
  body: 20_000,
  path: 100,
  tag: 40,
  tags: 20,
  links: 50,
  query: 200,
  suggestText: 4_000,
} as const;

const idList = z.array(storableString().min(1).max(64)).max(KB_LIMITS.links);

/** The fields an author writes (create: title, body and language required). */
export const kbArticleFieldsSchema = z.object({
  title: requiredText(KB_LIMITS.title),
  body: anyText(KB_LIMITS.body),
  language: kbLanguageSchema,
  visibility: kbVisibilitySchema.default('internal'),
  /** Category → module → sub-function (the desk's service catalogue). */
  category: anyText(KB_LIMITS.path).nullable().default(null),
  module: anyText(KB_LIMITS.path).nullable().default(null),
  subFunction: anyText(KB_LIMITS.path).nullable().default(null),
  tags: z.array(requiredText(KB_LIMITS.tag)).max(KB_LIMITS.tags).default([]),
  ticketIds: idList.default([]),
  attachmentIds: idList.default([]),
});
export type KbArticleFields = z.infer<typeof kbArticleFieldsSchema>;

/** One revision of an article as staff read it. */
export const kbRevisionSchema = z.object({
  revision: z.number().int().min(1),
  state: kbStateSchema,
  title: z.string(),
  body: z.string(),
  language: kbLanguageSchema,
  visibility: kbVisibilitySchema,
  category: z.string().nullable(),
  module: z.string().nullable(),
  subFunction: z.string().nullable(),
  tags: z.array(z.string()),
  authorId: z.string().nullable(),
  reviewerId: z.string().nullable(),
  publisherId: z.string().nullable(),
  createdAt: instantSchema,
  reviewedAt: instantSchema.nullable(),
  publishedAt: instantSchema.nullable(),
  retiredAt: instantSchema.nullable(),
});
export type KbRevision = z.infer<typeof kbRevisionSchema>;

/** An article: its latest revision, the published one (if any) and its links and counts. */
export const kbArticleSchema = z.object({
  id: z.string(),
  /** Bumped by every change (the `expectedVersion` of an edit). */
  version: z.number().int().min(1),
  latest: kbRevisionSchema,
  published: kbRevisionSchema.nullable(),
  ticketIds: z.array(z.string()),
  attachmentIds: z.array(z.string()),
  sourceTicketId: z.string().nullable(),
  helped: z.number().int().min(0),
  notHelped: z.number().int().min(0),
  createdAt: instantSchema,
  updatedAt: instantSchema,
});
export type KbArticle = z.infer<typeof kbArticleSchema>;

/** A line of a list: the latest revision's head. */
export const kbArticleSummarySchema = z.object({
  id: z.string(),
  version: z.number().int().min(1),
  revision: z.number().int().min(1),
  publishedRevision: z.number().int().min(1).nullable(),
  state: kbStateSchema,
  title: z.string(),
  language: kbLanguageSchema,
  visibility: kbVisibilitySchema,
  category: z.string().nullable(),
  module: z.string().nullable(),
  subFunction: z.string().nullable(),
  tags: z.array(z.string()),
  helped: z.number().int().min(0),
  notHelped: z.number().int().min(0),
  updatedAt: instantSchema,
});
export type KbArticleSummary = z.infer<typeof kbArticleSummarySchema>;

const highlightSchema = z.object({ start: z.number().int(), end: z.number().int() });

/** A search or suggestion hit: the revision it found, a snippet with highlights, its rank. */
export const kbHitSchema = z.object({
  id: z.string(),
  revision: z.number().int().min(1),
  state: kbStateSchema,
  title: z.string(),
  titleHighlights: z.array(highlightSchema),
  snippet: z.string(),
  highlights: z.array(highlightSchema),
  language: kbLanguageSchema,
  visibility: kbVisibilitySchema,
  category: z.string().nullable(),
  module: z.string().nullable(),
  subFunction: z.string().nullable(),
  helped: z.number().int().min(0),
  rank: z.number(),
});
export type KbHit = z.infer<typeof kbHitSchema>;

export const kbSearchResponseSchema = z.object({ results: z.array(kbHitSchema) });
export type KbSearchResponse = z.infer<typeof kbSearchResponseSchema>;

/** `POST /api/kb/suggest`: what the agent is typing. */
export const kbSuggestRequestSchema = z
  .object({
    title: anyText(KB_LIMITS.title).optional(),
    description: anyText(KB_LIMITS.suggestText),
    language: kbLanguageSchema.optional(),
    limit: z.number().int().min(1).max(20).default(5),
  })
  .strict();
export type KbSuggestRequest = z.input<typeof kbSuggestRequestSchema>;

/** An article of the "never helped" report. */
export const kbUnhelpfulSchema = z.object({
  id: z.string(),
  title: z.string(),
  language: kbLanguageSchema,
  visibility: kbVisibilitySchema,
  publishedAt: instantSchema,
  helped: z.number().int().min(0),
  notHelped: z.number().int().min(0),
});
export type KbUnhelpful = z.infer<typeof kbUnhelpfulSchema>;

/** A published public article as the customer portal reads it (no staff names, no links). */
export const kbPublicArticleSchema = z.object({
  id: z.string(),
  revision: z.number().int().min(1),
  title: z.string(),
  body: z.string(),
  language: kbLanguageSchema,
  category: z.string().nullable(),
  module: z.string().nullable(),
  subFunction: z.string().nullable(),
  tags: z.array(z.string()),
  publishedAt: instantSchema,
});
export type KbPublicArticle = z.infer<typeof kbPublicArticleSchema>;

const head = kbArticleSummarySchema.shape;

/**
 * Data of every `kb.*` event: the article's head after the change (the fields of a list line,
 * {@link kbArticleSummarySchema}, under `articleId`) and the content's digest.
 */
export const kbArticleEventDataSchema = z.object({
  articleId: z.string(),
  version: head.version,
  revision: head.revision,
  publishedRevision: head.publishedRevision,
  state: head.state,
  title: head.title,
  language: head.language,
  visibility: head.visibility,
  /** SHA-256 of the revision's title, body and fields: the audit chain covers the content. */
  contentSha256: z.string(),
  helped: head.helped,
  notHelped: head.notHelped,
  sourceTicketId: z.string().nullable().optional(),
});
export type KbArticleEventData = z.infer<typeof kbArticleEventDataSchema>;

/** Roles that read the knowledge base in the console (every staff role; wallboards do not). */
export const KB_READ_ROLES = ['agent', 'engineer', 'duty_manager', 'admin'] as const;
/** Roles that write drafts, make cases from tickets and say "this helped". */
export const KB_WRITE_ROLES = KB_READ_ROLES;
/** Roles that review (never the revision's author, unless a duty manager or admin: four eyes). */
export const KB_REVIEW_ROLES = ['agent', 'engineer', 'duty_manager', 'admin'] as const;
/** Roles that publish a reviewed revision. */
export const KB_PUBLISH_ROLES = ['engineer', 'duty_manager', 'admin'] as const;
/** Roles that retire a published article. */
export const KB_RETIRE_ROLES = ['duty_manager', 'admin'] as const;

/** Whether any of the roles is in the list. */
export function holdsKbRole(roles: readonly string[], allowed: readonly string[]): boolean {
  return roles.some((r) => allowed.includes(r));
}
