/**
 * Which committed events send which mails (decision 38), and the loop that turns the event log
 * into outbox rows. The loop reads the log after its cursor (`mail_cursor`), so an event
 * committed on any node, or just before a crash, is still turned into its mails; the module's
 * committed-event listener only wakes it. Every mail has a dedupe key made of its cause, so two
 * nodes reading the same events, or a restart re-reading them, enqueue each mail once.
 *
 * To the ticket's customer contact (when they have an e-mail address), in their language:
 * - receipt: `ticket.created` with a contact, or `ticket.customerLinked` to a new contact by a
 *   command (not the one-off migration): key `ticket:<id>:receipt:<contact>`;
 * - update: a public comment (`ticket.commented`, `internal: false`; the timeline's only
 *   customer-visible entries today): `event:<seq>:update`;
 * - signature request: `ticket.milestoneAdded` (every milestone needs the customer's
 *   sign-off): `milestone:<id>:signature`;
 * - resolution with the survey link: `ticket.resolved`: `event:<seq>:resolved`.
 * To staff: an `alert.raised` naming recipients, for each one not on shift at the alert's
 * instant (the roster's on-duty list) with an e-mail address: `alert:<alertId>:<user>`.
 */
import type { AppContext } from '../../context';
import { createBackgroundLoop, type BackgroundLoop } from '../../jobs/loop';
import { queryOnDuty } from '../roster';
import { DEFAULT_MAIL_LOCALE, enqueueMail, type MailRequest } from './enqueue';
import {
  advanceCursor,
  readCursor,
  readEventsAfter,
  readStaffAddresses,
  readTicketContact,
  readTicketNumber,
  type LoggedEvent,
} from './mail.repo';
import type { MailTemplate } from './templates';

export const MAIL_EVENT_TYPES = [
  'ticket.created',
  'ticket.customerLinked',
  'ticket.commented',
  'ticket.milestoneAdded',
  'ticket.resolved',
  'alert.raised',
] as const;
const TYPES = new Set<string>(MAIL_EVENT_TYPES);

const PAGE = 200;
const BODY_MAX = 5_000;

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The mails one event asks for. */
export async function mailsFor(ctx: AppContext, e: LoggedEvent): Promise<MailRequest[]> {
  const db = ctx.database.db;
  const d = e.data;
  const toContact = async (
    template: MailTemplate,
    dedupeKey: string,
    extra: Record<string, string>,
    contactId?: string | null,
  ): Promise<MailRequest[]> => {
    if (!e.ticketId) return [];
    const c = await readTicketContact(db, e.ticketId, contactId);
    if (!c?.email) return [];
    return [
      {
        dedupeKey,
        to: c.email,
        template,
        locale: c.language,
        params: {
          ticketId: c.ticketId,
          contactId: c.contactId,
          ticketNumber: c.number,
          ticketTitle: c.title,
          contactName: c.name,
          ...extra,
        },
      },
    ];
  };
  switch (e.type) {
    case 'ticket.created': {
      const contactId = str(d.contactId);
      if (!contactId) return [];
      return toContact(
        'ticket.receipt',
        `ticket:${e.ticketId}:receipt:${contactId}`,
        {},
        contactId,
      );
    }
    case 'ticket.customerLinked': {
      const contactId = str(d.contactId);
      if (!contactId || d.source !== 'command' || contactId === d.previousContactId) return [];
      return toContact(
        'ticket.receipt',
        `ticket:${e.ticketId}:receipt:${contactId}`,
        {},
        contactId,
      );
    }
    case 'ticket.commented':
      if (d.internal !== false) return [];
      return toContact('ticket.update', `event:${e.seq}:update`, {
        body: str(d.body).slice(0, BODY_MAX),
      });
    case 'ticket.milestoneAdded':
      return toContact('ticket.signature', `milestone:${str(d.milestoneId)}:signature`, {
        milestoneTitle: str(d.title),
      });
    case 'ticket.resolved':
      return toContact('ticket.resolved', `event:${e.seq}:resolved`, {
        summary: str(d.summary).slice(0, BODY_MAX),
      });
    case 'alert.raised': {
      const ids = Array.isArray(d.recipientIds)
        ? d.recipientIds.filter((x): x is string => typeof x === 'string')
        : [];
      if (ids.length === 0) return [];
      const onDuty = new Set((await queryOnDuty(db, e.at)).map((o) => o.userId));
      const off = ids.filter((id) => !onDuty.has(id));
      const staff = await readStaffAddresses(db, off);
      if (staff.length === 0) return [];
      const number = e.ticketId ? ((await readTicketNumber(db, e.ticketId)) ?? '') : '';
      return staff.map((u) => ({
        dedupeKey: `alert:${str(d.alertId)}:${u.id}`,
        to: u.email,
        template: 'staff.alert' as const,
        locale: u.locale,
        params: {
          ticketId: e.ticketId ?? '',
          ticketNumber: number,
          userName: u.name,
          message: str(d.message).slice(0, BODY_MAX),
          severity: str(d.severity),
        },
      }));
    }
    default:
      return [];
  }
}

/** The loop that reads the log after the cursor and enqueues its mails. */
export function createMailRules(
  ctx: AppContext,
  onEnqueued: () => void,
  options: { intervalMs?: number } = {},
): BackgroundLoop<number> & { onCommitted(events: ReadonlyArray<{ type: string }>): void } {
  async function runOnce(): Promise<number> {
    const db = ctx.database.db;
    let cursor = await readCursor(db);
    let added = 0;
    for (;;) {
      const page = await readEventsAfter(db, MAIL_EVENT_TYPES, cursor, PAGE);
      for (const e of page.events) {
        for (const mail of await mailsFor(ctx, e)) {
          try {
            const { enqueued } = await enqueueMail(ctx, {
              ...mail,
              locale: mail.locale ?? DEFAULT_MAIL_LOCALE,
            });
            if (enqueued) added += 1;
          } catch (err) {
            // A contact's malformed address: that mail only, never the loop.
            ctx.log.warn({ err, dedupeKey: mail.dedupeKey }, 'mail not enqueued');
          }
        }
      }
      if (page.readTo > cursor) await advanceCursor(db, page.readTo);
      if (page.events.length < PAGE || page.readTo <= cursor) break;
      cursor = page.readTo;
    }
    if (added > 0) onEnqueued();
    return added;
  }
  const loop = createBackgroundLoop({
    name: 'mail rules',
    intervalMs: options.intervalMs ?? 5_000,
    run: runOnce,
    log: ctx.log,
  });
  return Object.assign(loop, {
    onCommitted(events: ReadonlyArray<{ type: string }>) {
      if (events.some((e) => TYPES.has(e.type))) loop.wake(20);
    },
  });
}
