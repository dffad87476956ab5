/**
 * The knowledge base's commands on the bus (`kb.article.*`, decision 51): each change writes the
 * article's rows and appends one `kb.*` event in one transaction, so the audit chain covers the
 * knowledge base (the event carries the content's SHA-256) and every seat hears of it live.
 */
import {
  KB_COMMAND_TYPES,
  KB_PUBLISH_ROLES,
  KB_RETIRE_ROLES,
  KB_REVIEW_ROLES,
  KB_WRITE_ROLES,
  holdsKbRole,
  makeError,
  type Actor,
  type AppError,
  type CommandAck,
  type KbArticleEventData,
  type KbCommand,
  type KbCommandType,
  type KbRevision,
} from '@dutydesk/shared';
import { createHash, randomUUID } from 'node:crypto';
import type { CommandResult, CommandSpec } from '../../commands/bus';
import { saveCommandResult } from '../../commands/results.repo';
import type { AppContext } from '../../context';
import type { Tx } from '../../db/client';
import { appendEvents, asWireEvents, type StoredEvent } from '../events';
import { lockTicket } from '../tickets';
import {
  findMissing,
  lockArticle,
  readRevision,
  retireRevision,
  saveArticle,
  type KbArticleHead,
} from './kb.repo';

/** Ticket statuses a case may be made from. */
const CASE_STATUSES = new Set(['resolved', 'closed']);

const ROLES: Record<KbCommandType, { roles: readonly string[]; what: string }> = {
  'kb.article.create': { roles: KB_WRITE_ROLES, what: 'write knowledge articles' },
  'kb.article.edit': { roles: KB_WRITE_ROLES, what: 'edit knowledge articles' },
  'kb.article.review': { roles: KB_REVIEW_ROLES, what: 'review knowledge articles' },
  'kb.article.publish': { roles: KB_PUBLISH_ROLES, what: 'publish knowledge articles' },
  'kb.article.retire': { roles: KB_RETIRE_ROLES, what: 'retire knowledge articles' },
  'kb.article.feedback': { roles: KB_WRITE_ROLES, what: 'rate knowledge articles' },
};

/** Four eyes (as on a milestone's lead sign-off, decision 21b): duty managers and admins may review their own. */
function mayReviewOwn(actor: Actor): boolean {
  return actor.roles.includes('duty_manager') || actor.roles.includes('admin');
}

export function createKbCommands(ctx: AppContext): CommandSpec<KbCommandType> {
  return {
    types: KB_COMMAND_TYPES,
    precheck(actor, command) {
      const rule = ROLES[command.type];
      if (!holdsKbRole(actor.roles, rule.roles))
        return makeError(
          'forbidden',
          `${actor.roles.join(', ') || 'no role'} may not ${rule.what} (${rule.roles.join(', ')} do)`,
        );
      return null;
    },
    handle: (tx, actor, command) => runKbCommand(ctx, tx, actor, command),
  };
}

type Outcome =
  { ok: true; type: string; head: KbArticleHead; rev: KbRevision } | { ok: false; error: AppError };

const refuse = (code: AppError['code'], message: string, path?: string): Outcome => ({
  ok: false,
  error: makeError(code, message, path ? [{ path, message }] : undefined),
});

/** SHA-256 of what a revision says (the event carries it; the audit chain covers it). */
export function contentDigest(rev: KbRevision, head: KbArticleHead): string {
  const content = {
    title: rev.title,
    body: rev.body,
    language: rev.language,
    visibility: rev.visibility,
    category: rev.category,
    module: rev.module,
    subFunction: rev.subFunction,
    tags: rev.tags,
    ticketIds: head.ticketIds,
    attachmentIds: head.attachmentIds,
  };
  return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}

async function runKbCommand(
  ctx: AppContext,
  tx: Tx,
  actor: Actor,
  command: KbCommand,
): Promise<CommandResult> {
  const now = ctx.clock.now();
  const outcome = await decideKbCommand(tx, actor, command, now.toISOString());
  if (!outcome.ok) return { ack: { ok: false, error: outcome.error }, events: [], fresh: false };
  const { head, rev } = outcome;
  await saveArticle(tx, head, rev);
  const data: KbArticleEventData = {
    articleId: head.id,
    version: head.version,
    revision: rev.revision,
    publishedRevision: head.publishedRevision,
    state: rev.state,
    title: rev.title,
    language: rev.language,
    visibility: rev.visibility,
    contentSha256: contentDigest(rev, head),
    helped: head.helped,
    notHelped: head.notHelped,
    ...(head.sourceTicketId ? { sourceTicketId: head.sourceTicketId } : {}),
  };
  const stored: StoredEvent[] = await appendEvents(
    tx,
    [
      {
        id: randomUUID(),
        ticketId: null,
        actorId: actor.id,
        at: now.toISOString(),
        type: outcome.type,
        data,
      },
    ],
    command.commandId,
  );
  const ack: CommandAck = { ok: true, events: asWireEvents(stored) };
  await saveCommandResult(tx, command.commandId, actor.id, ack, now);
  return { ack, events: stored, fresh: true };
}

async function checkLinks(
  tx: Tx,
  ticketIds: readonly string[],
  attachmentIds: readonly string[],
): Promise<Outcome | null> {
  const tickets = await findMissing(tx, 'tickets', ticketIds);
  if (tickets.length > 0) return refuse('invalid', `No ticket ${tickets.join(', ')}`, 'ticketIds');
  const files = await findMissing(tx, 'attachments', attachmentIds);
  if (files.length > 0)
    return refuse('invalid', `No attachment ${files.join(', ')}`, 'attachmentIds');
  return null;
}

async function decideKbCommand(
  tx: Tx,
  actor: Actor,
  command: KbCommand,
  at: string,
): Promise<Outcome> {
  if (command.type === 'kb.article.create') {
    const bad = await checkLinks(tx, command.ticketIds, command.attachmentIds);
    if (bad) return bad;
    const ticketIds = [...command.ticketIds];
    if (command.sourceTicketId) {
      const ticket = await lockTicket(tx, command.sourceTicketId);
      if (!ticket)
        return refuse('invalid', `No ticket ${command.sourceTicketId}`, 'sourceTicketId');
      if (!CASE_STATUSES.has(ticket.status))
        return refuse(
          'conflict',
          `Ticket ${ticket.number} is ${ticket.status}: a case is made from a resolved or closed ticket`,
          'sourceTicketId',
        );
      if (!ticketIds.includes(ticket.id)) ticketIds.unshift(ticket.id);
    }
    const head: KbArticleHead = {
      id: randomUUID(),
      version: 1,
      revision: 1,
      publishedRevision: null,
      ticketIds,
      attachmentIds: [...command.attachmentIds],
      sourceTicketId: command.sourceTicketId ?? null,
      helped: 0,
      notHelped: 0,
      createdAt: at,
      updatedAt: at,
    };
    const rev: KbRevision = {
      revision: 1,
      state: 'draft',
      title: command.title,
      body: command.body,
      language: command.language,
      visibility: command.visibility,
      category: command.category || null,
      module: command.module || null,
      subFunction: command.subFunction || null,
      tags: [...new Set(command.tags)],
      authorId: actor.id,
      reviewerId: null,
      publisherId: null,
      createdAt: at,
      reviewedAt: null,
      publishedAt: null,
      retiredAt: null,
    };
    return { ok: true, type: 'kb.articleDrafted', head, rev };
  }
  const before = await lockArticle(tx, command.articleId);
  if (!before) return refuse('not_found', `No article ${command.articleId}`, 'articleId');
  if (
    command.type !== 'kb.article.feedback' &&
    command.expectedVersion !== undefined &&
    command.expectedVersion !== before.version
  )
    return refuse(
      'conflict',
      `The article has changed (version ${before.version}, you had ${command.expectedVersion}); review and retry`,
      'expectedVersion',
    );
  const latest = await readRevision(tx, before.id, before.revision);
  if (!latest) return refuse('not_found', `Article ${before.id} has no revision`);
  const head: KbArticleHead = { ...before, version: before.version + 1, updatedAt: at };
  switch (command.type) {
    case 'kb.article.edit': {
      const bad = await checkLinks(tx, command.ticketIds ?? [], command.attachmentIds ?? []);
      if (bad) return bad;
      if (command.ticketIds) head.ticketIds = [...command.ticketIds];
      if (command.attachmentIds) head.attachmentIds = [...command.attachmentIds];
      const working = latest.state === 'draft' || latest.state === 'reviewed';
      const rev: KbRevision = {
        ...latest,
        revision: working ? latest.revision : before.revision + 1,
        state: 'draft',
        title: command.title ?? latest.title,
        body: command.body ?? latest.body,
        language: command.language ?? latest.language,
        visibility: command.visibility ?? latest.visibility,
        category: command.category === undefined ? latest.category : command.category || null,
        module: command.module === undefined ? latest.module : command.module || null,
        subFunction:
          command.subFunction === undefined ? latest.subFunction : command.subFunction || null,
        tags: command.tags ? [...new Set(command.tags)] : latest.tags,
        authorId: actor.id,
        reviewerId: null,
        publisherId: null,
        createdAt: working ? latest.createdAt : at,
        reviewedAt: null,
        publishedAt: null,
        retiredAt: null,
      };
      head.revision = rev.revision;
      return { ok: true, type: 'kb.articleDrafted', head, rev };
    }
    case 'kb.article.review': {
      if (latest.state !== 'draft')
        return refuse(
          'conflict',
          `Revision ${latest.revision} is ${latest.state}: only a draft is reviewed`,
        );
      if (latest.authorId === actor.id && !mayReviewOwn(actor))
        return refuse(
          'forbidden',
          'You wrote this revision: another colleague reviews it (four eyes)',
          'articleId',
        );
      const rev: KbRevision = {
        ...latest,
        state: 'reviewed',
        reviewerId: actor.id,
        reviewedAt: at,
      };
      return { ok: true, type: 'kb.articleReviewed', head, rev };
    }
    case 'kb.article.publish': {
      if (latest.state !== 'reviewed')
        return refuse(
          'conflict',
          `Revision ${latest.revision} is ${latest.state}: only a reviewed revision is published`,
        );
      if (before.publishedRevision !== null && before.publishedRevision !== latest.revision)
        await retireRevision(tx, before.id, before.publishedRevision, at);
      head.publishedRevision = latest.revision;
      const rev: KbRevision = {
        ...latest,
        state: 'published',
        publisherId: actor.id,
        publishedAt: at,
      };
      return { ok: true, type: 'kb.articlePublished', head, rev };
    }
    case 'kb.article.retire': {
      if (before.publishedRevision === null)
        return refuse('conflict', 'The article is not published: there is nothing to retire');
      const published = await readRevision(tx, before.id, before.publishedRevision);
      if (!published) return refuse('not_found', 'The published revision is missing');
      head.publishedRevision = null;
      // A newer draft stays the latest (saveArticle marks revisions by the head's pointers).
      const rev: KbRevision = { ...published, state: 'retired', retiredAt: at };
      return { ok: true, type: 'kb.articleRetired', head, rev };
    }
    case 'kb.article.feedback': {
      if (before.publishedRevision === null)
        return refuse('conflict', 'Only a published article is rated');
      const published = await readRevision(tx, before.id, before.publishedRevision);
      if (!published) return refuse('not_found', 'The published revision is missing');
      if (command.helped) head.helped += 1;
      else head.notHelped += 1;
      // Feedback is not an edit: a concurrent editor's expectedVersion stays good.
      head.version = before.version;
      return { ok: true, type: 'kb.articleFeedback', head, rev: published };
    }
  }
}
