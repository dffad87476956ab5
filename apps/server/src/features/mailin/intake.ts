/**
 * The e-mail intake: one mail in (from the SMTP listener or the IMAP poller), its effect once.
 * Every change is a command through the bus as the intake actor (`intake:mail`), with command
 * ids fixed by the mail's key, so a mail done again (a restart mid-way, a second node, the
 * sender's retry) repeats nothing already stored.
 */
import {
  COMMAND_LIMITS,
  CUSTOMER_LIMITS,
  type Actor,
  type AppError,
  type CommandAck,
  type UserId,
} from '@dutydesk/shared';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { hostname } from 'node:os';
import type { AppContext } from '../../context';
import { attachServerFile, type BlobStore } from '../attachments';
import { findContactByEmail } from '../customers';
import { findTicketByNumber, readTicket } from '../tickets';
import {
  keyDigest,
  messageKey,
  normaliseMessageId,
  referencedIds,
  ticketNumberIn,
  whyIgnore,
  type IgnoreReason,
} from './classify';
import {
  claimMail,
  finishMail,
  findTicketOfMessages,
  recordIgnored,
  releaseMail,
  type MailSource,
} from './mailin.repo';

/** The actor every mail's commands run as: an agent of no group (desk-scoped rules reach every ticket). */
export const MAIL_ACTOR: Actor = {
  id: 'intake:mail' as UserId,
  roles: ['agent'],
  groupIds: [],
  displayName: 'E-mail intake',
};

/** How long a node's claim on a mail holds before another node may take the mail over. */
export const CLAIM_LEASE_MS = 5 * 60_000;
/** Attachments taken from one mail (more are listed as not attached). */
export const MAX_ATTACHMENTS = 20;

/** What one mail came to. */
export type MailOutcome =
  | { kind: 'ticket' | 'reply'; ticketId: string; number: string; attachments: number }
  | { kind: 'ignored'; reason: IgnoreReason | 'duplicate' }
  /** Not done now (the desk is busy or a store is down): the sender or the next poll tries again. */
  | { kind: 'retry'; reason: string };

/** A failure worth trying again later: SMTP 451, the mail left unseen in IMAP. */
export class MailRetry extends Error {
  override name = 'MailRetry';
}

const RETRYABLE: ReadonlyArray<AppError['code']> = ['rate_limited', 'unavailable'];

/** Text as the database stores it: NUL and lone surrogates become U+FFFD (a mail cannot be asked again). */
function storable(s: string): string {
  // eslint-disable-next-line no-control-regex -- U+0000 is what must go
  return s.replace(/\u0000|\p{Cs}/gu, '\uFFFD');
}

function cut(s: string, max: number): string {
  const chars = [...s];
  return chars.length <= max ? s : `${chars.slice(0, max - 1).join('')}…`;
}

/** The reply's own words: the quoted mail below "On … wrote:" (and its translations) is cut off. */
export function stripQuoted(text: string): string {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const marker = lines.findIndex((l) =>
    /^(\s*-{2,}\s*(original message|ursprüngliche nachricht)\s*-{2,}|On .{1,200} wrote:\s*$|.{0,80}(写道|寫道)[:：]\s*$|-----\s*原始邮件\s*-----)/i.test(
      l.trim(),
    ),
  );
  const own = (marker >= 0 ? lines.slice(0, marker) : lines).filter((l) => !l.startsWith('>'));
  const body = own.join('\n').trim();
  return body === '' ? text.trim() : body;
}

function firstAddress(a: AddressObject | AddressObject[] | undefined): {
  address: string | null;
  name: string | null;
} {
  const list = Array.isArray(a) ? a : a ? [a] : [];
  for (const obj of list) {
    for (const v of obj.value) {
      if (v.address)
        return { address: v.address.trim().toLowerCase(), name: v.name?.trim() || null };
    }
  }
  return { address: null, name: null };
}

function ackError(ack: CommandAck): AppError | null {
  return ack.ok ? null : ack.error;
}

export interface MailIntake {
  /** Takes one raw mail (RFC 5322 bytes). Throws only on a bug; a temporary failure is `retry`. */
  process(
    raw: Buffer,
    source: MailSource,
    envelope?: { from?: string | null },
  ): Promise<MailOutcome>;
}

export function createMailIntake(ctx: AppContext, store: BlobStore): MailIntake {
  const node = `${hostname()}:${process.pid}`;
  const cfg = ctx.config.mailIn;
  const db = ctx.database.db;

  async function run(input: Record<string, unknown>): Promise<CommandAck> {
    const ack = await ctx.commands.execute(MAIL_ACTOR, input);
    const error = ackError(ack);
    if (error && RETRYABLE.includes(error.code))
      throw new MailRetry(`${String(input.type)}: ${error.code}`);
    return ack;
  }

  /** The sender's contact: found by e-mail, else created (one per address, whatever the mail). */
  async function senderContact(
    address: string,
    name: string | null,
  ): Promise<{ id: string; created: boolean } | null> {
    const found = await findContactByEmail(db, address);
    if (found) return { id: found.id, created: false };
    const ack = await run({
      type: 'contact.create',
      commandId: `mail-contact:${keyDigest(address)}`,
      name: cut(storable(name ?? address), CUSTOMER_LIMITS.name),
      email: address.length <= CUSTOMER_LIMITS.email ? address : null,
    });
    if (!ack.ok) {
      ctx.log.warn({ code: ack.error.code }, 'mail intake: the sender contact was not created');
      return null;
    }
    const event = ack.events.find((e) => e.type === 'contact.created');
    const id = (event?.data as { id?: string } | undefined)?.id;
    return id ? { id, created: true } : null;
  }

  async function replyTarget(mail: ParsedMail): Promise<{ id: string; number: string } | null> {
    const refs = referencedIds(mail.inReplyTo, mail.references);
    const byRef = await findTicketOfMessages(db, refs);
    const ticket = byRef
      ? await readTicket(db, byRef)
      : await (async () => {
          const number = ticketNumberIn(mail.subject);
          return number ? findTicketByNumber(db, number) : null;
        })();
    if (!ticket || ticket.status === 'closed') return null;
    return { id: ticket.id, number: ticket.number };
  }

  async function handle(
    raw: Buffer,
    mail: ParsedMail,
    key: string,
    source: MailSource,
  ): Promise<MailOutcome> {
    const digest = keyDigest(key);
    const from = firstAddress(mail.from);
    const address = from.address as string;
    const contact = await senderContact(address, from.name);
    const subject = storable(mail.subject?.trim() ?? '');
    const text = storable((mail.text ?? '').trim());
    const target = await replyTarget(mail);
    const notes: string[] = [];
    if (contact?.created)
      notes.push(
        `New contact: ${address} was not known; a contact was created from this mail. Check it and link its organisation.`,
      );
    let ticketId: string;
    let number: string;
    let logEntryId: string | null = null;
    let kind: 'ticket' | 'reply';
    const replied = target
      ? await run({
          type: 'ticket.comment',
          commandId: `mail:${digest}:reply`,
          ticketId: target.id,
          body: cut(stripQuoted(text) || subject || '(empty mail)', COMMAND_LIMITS.body),
          fromCustomer: true,
        })
      : null;
    if (target && replied?.ok) {
      const commented = replied.events.find((e) => e.type === 'ticket.commented');
      logEntryId = (commented?.data as { commentId?: string } | undefined)?.commentId ?? null;
      ticketId = target.id;
      number = target.number;
      kind = 'reply';
    } else {
      // No ticket to join (or it refused the reply: closed meanwhile, full): a new one.
      if (target && replied && !replied.ok)
        notes.push(
          `This mail answers ticket ${target.number}, which did not take it (${replied.error.message}).`,
        );
      const ack = await run({
        type: 'ticket.create',
        commandId: `mail:${digest}:ticket`,
        title: cut(subject || `Mail from ${address}`, COMMAND_LIMITS.title),
        description: cut(text || subject, COMMAND_LIMITS.body),
        channel: 'email',
        ...(contact ? { contactId: contact.id } : {}),
        customer: {
          email: address.length <= COMMAND_LIMITS.email ? address : null,
          contact: from.name ? cut(storable(from.name), COMMAND_LIMITS.contact) : null,
        },
      });
      if (!ack.ok || !ack.ticket) {
        ctx.log.error(
          { code: ack.ok ? 'no_ticket' : ack.error.code },
          'mail intake: the ticket was not created',
        );
        throw new MailRetry('the ticket was not created');
      }
      ticketId = ack.ticket.id;
      number = ack.ticket.number;
      kind = 'ticket';
    }
    let attached = 0;
    const files = mail.attachments.filter((a) => !a.related);
    for (const [i, file] of files.entries()) {
      if (i >= MAX_ATTACHMENTS) {
        notes.push(
          `Not attached: ${file.filename ?? 'attachment'} (more than ${MAX_ATTACHMENTS} files in one mail).`,
        );
        continue;
      }
      const outcome = await attachServerFile(ctx, store, MAIL_ACTOR, {
        ticketId,
        logEntryId,
        name: file.filename,
        declaredType: file.contentType,
        bytes: file.content,
        commandId: `mail:${digest}:a${i}`,
      });
      if (outcome.ok) attached += 1;
      else if (outcome.error && RETRYABLE.includes(outcome.error.code))
        throw new MailRetry(`attachment: ${outcome.error.code}`);
      else notes.push(`Not attached: ${outcome.name} (${outcome.message}).`);
    }
    if (notes.length > 0) {
      await run({
        type: 'ticket.comment',
        commandId: `mail:${digest}:note`,
        ticketId,
        body: cut(storable(`E-mail intake: ${notes.join('\n')}`), COMMAND_LIMITS.body),
        internal: true,
      });
    }
    await finishMail(db, key, kind, ticketId, ctx.clock.now());
    ctx.metrics.mailReceived.inc({ source, outcome: kind });
    ctx.log.info(
      { source, outcome: kind, ticket: number, attachments: attached, bytes: raw.length },
      'mail taken in',
    );
    return { kind, ticketId, number, attachments: attached };
  }

  return {
    async process(raw, source, envelope = {}) {
      let mail: ParsedMail;
      try {
        mail = await simpleParser(raw, { skipImageLinks: true, skipTextLinks: true });
      } catch (err) {
        // mailparser reads nearly anything; a throw here is a bug or a resource limit.
        ctx.log.warn({ err }, 'mail intake: the mail could not be parsed');
        throw new MailRetry('unparseable');
      }
      const messageId = normaliseMessageId(mail.messageId);
      const key = messageKey(messageId, raw);
      const from = firstAddress(mail.from);
      const now = ctx.clock.now();
      const ignore = whyIgnore(
        { headers: mail.headers, from: from.address, envelopeFrom: envelope.from, messageId },
        cfg.ownIdDomains,
      );
      if (ignore) {
        const fresh = await recordIgnored(db, key, source, node, ignore, now);
        const reason = fresh ? ignore : 'duplicate';
        ctx.metrics.mailIgnored.inc({ source, reason });
        ctx.log.info({ source, reason }, 'mail ignored');
        return { kind: 'ignored', reason };
      }
      const claim = await claimMail(db, key, source, node, now, CLAIM_LEASE_MS);
      if (claim.kind === 'seen') {
        ctx.metrics.mailIgnored.inc({ source, reason: 'duplicate' });
        ctx.log.info({ source, reason: 'duplicate' }, 'mail ignored');
        return { kind: 'ignored', reason: 'duplicate' };
      }
      if (claim.kind === 'busy') {
        ctx.metrics.mailRefused.inc({ source, reason: 'retry' });
        return { kind: 'retry', reason: 'another node is taking this mail in' };
      }
      try {
        return await handle(raw, mail, key, source);
      } catch (err) {
        await releaseMail(db, key, node).catch(() => {});
        ctx.metrics.mailRefused.inc({ source, reason: 'retry' });
        if (err instanceof MailRetry) {
          ctx.log.warn({ source, reason: err.message }, 'mail not taken now; the sender retries');
          return { kind: 'retry', reason: err.message };
        }
        ctx.log.error({ err, source }, 'mail intake failed');
        return { kind: 'retry', reason: 'internal error' };
      }
    },
  };
}
