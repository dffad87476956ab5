/**
 * The one-off move of existing tickets' free-text customers to records (migration 0011 marks it
 * due; decision 31). It runs in the server at start, not in the migration's SQL, because every
 * change it makes is an event: the records' `organisation.created` / `contact.created` and each
 * ticket's `ticket.customerLinked`, whose hash chain, ticket row and SLA re-plan only the
 * server computes. The audit chain then covers the move and `audit verify` still recomputes
 * every ticket row from its events.
 *
 * De-duplication: organisations by normalised name (NFKC, spaces folded, lower case);
 * contacts by phone digits, else by normalised name within the organisation, else by e-mail.
 * An organisation named in a contract policy's `customerIds` (how contracts were matched to
 * free text before) gets that policy as its `slaPolicyId`, so no ticket changes policy.
 * Tickets are taken in the order they were received, so the earliest one to name a customer
 * gives the record its spelling. Batches of tickets each commit with the backfill's cursor, so a stop half-way resumes; the
 * backfill's row is locked while a batch runs, so two nodes starting at once do it once.
 */
import {
  asContactId,
  asOrganisationId,
  normaliseName,
  normalisePhone,
  type CustomerContact,
  type CustomerLink,
  type Organisation,
  type PendingEvent,
  type Ticket,
} from '@dutydesk/shared';
import { randomUUID } from 'node:crypto';
import type { AppContext } from '../../context';
import type { Tx } from '../../db/client';
import { appendEvents, type StoredEvent } from '../events';
import { appendAndApply } from '../tickets';
import {
  advanceBackfill,
  cursorAfter,
  findContactForBackfill,
  findOrganisationByName,
  isBackfillDue,
  lockBackfill,
  lockUnlinkedTickets,
  saveContact,
  saveOrganisation,
} from './customers.repo';

export const FREE_TEXT_BACKFILL = 'free-text-customers';
const BATCH = 100;

/** What one run did. */
export interface BackfillReport {
  tickets: number;
  linked: number;
  organisations: number;
  contacts: number;
}

/** Runs the free-text backfill if it is due; returns what it did (zeros when not due). */
export async function runFreeTextBackfill(ctx: AppContext): Promise<BackfillReport> {
  const report: BackfillReport = { tickets: 0, linked: 0, organisations: 0, contacts: 0 };
  if (!(await isBackfillDue(ctx.database.db, FREE_TEXT_BACKFILL))) return report;
  const started = performance.now();
  for (;;) {
    const published: StoredEvent[] = [];
    const more = await ctx.database.db.transaction(async (tx) => {
      const state = await lockBackfill(tx, FREE_TEXT_BACKFILL);
      if (!state) return false;
      const now = ctx.clock.now();
      const batch = await lockUnlinkedTickets(tx, state.cursor, BATCH);
      for (const ticket of batch) {
        report.tickets += 1;
        const events = await linkFreeText(ctx, tx, ticket, now, report);
        published.push(...events);
      }
      const last = batch[batch.length - 1];
      await advanceBackfill(
        tx,
        FREE_TEXT_BACKFILL,
        last ? cursorAfter(last) : state.cursor,
        batch.length < BATCH ? now : null,
      );
      return batch.length === BATCH;
    });
    if (published.length > 0) ctx.publish(published);
    if (!more) break;
  }
  ctx.log.info(
    { ...report, ms: Math.round(performance.now() - started) },
    'free-text customers moved to organisation and contact records',
  );
  return report;
}

async function linkFreeText(
  ctx: AppContext,
  tx: Tx,
  ticket: Ticket,
  now: Date,
  report: BackfillReport,
): Promise<StoredEvent[]> {
  const c = ticket.customer;
  const orgName = c.org?.trim() || null;
  const phoneDigits = normalisePhone(c.phone);
  const contactName = c.contact?.trim() || null;
  const email = c.email?.trim() || null;
  if (!orgName && !contactName && !phoneDigits && !email) return [];
  const out: StoredEvent[] = [];
  const at = now.toISOString();
  const created = async (type: string, data: unknown): Promise<void> => {
    out.push(
      ...(await appendEvents(
        tx,
        [{ id: randomUUID(), type, ticketId: null, actorId: null, at, data }],
        null,
      )),
    );
  };

  let org: Organisation | null = null;
  if (orgName) {
    org = await findOrganisationByName(tx, orgName);
    if (!org) {
      const key = normaliseName(orgName);
      const contract = ctx.sla
        .policies()
        .find((p) => p.customerIds.some((id) => normaliseName(id) === key));
      org = {
        id: asOrganisationId(randomUUID()),
        name: orgName,
        businessType: null,
        contract: null,
        slaPolicyId: contract?.id ?? null,
        coreNeeds: null,
        specialConcerns: null,
        serviceManagerId: null,
        status: 'active',
        version: 1,
        createdAt: at,
        updatedAt: at,
      };
      await saveOrganisation(tx, org);
      report.organisations += 1;
      await created('organisation.created', { ...org, changed: ['name', 'slaPolicyId'] });
    }
  }

  let contact: CustomerContact | null = null;
  if (contactName || phoneDigits || email) {
    contact = await findContactForBackfill(tx, {
      phoneDigits,
      nameKey: contactName ? normaliseName(contactName) : null,
      organisationId: org?.id ?? null,
      email,
    });
    if (!contact) {
      contact = {
        id: asContactId(randomUUID()),
        organisationId: org?.id ?? null,
        name: contactName ?? c.phone ?? email ?? '',
        phone: c.phone,
        phoneDigits,
        email,
        role: null,
        preferredLanguage: null,
        version: 1,
        createdAt: at,
        updatedAt: at,
      };
      await saveContact(tx, contact);
      report.contacts += 1;
      await created('contact.created', {
        ...contact,
        changed: ['name', 'organisationId', 'phone', 'email'],
      });
    }
  }
  // A contact found by phone under another organisation keeps it; the ticket links both.
  const link: CustomerLink = {
    organisationId: org?.id ?? contact?.organisationId ?? null,
    contactId: contact?.id ?? null,
    slaPolicyId: org?.slaPolicyId ?? null,
    customer: c,
  };
  const event = {
    type: 'ticket.customerLinked',
    ticketId: ticket.id,
    at,
    actorId: null,
    data: {
      version: ticket.version + 1,
      organisationId: link.organisationId,
      contactId: link.contactId,
      slaPolicyId: link.slaPolicyId,
      // The caller's words stay as they were typed: the records stand beside them.
      customer: { ...c },
      previousOrganisationId: null,
      previousContactId: null,
      source: 'migration',
    },
  } as PendingEvent;
  const stored = await appendAndApply(tx, ticket, [event], null, now, ctx);
  report.linked += 1;
  return [...out, ...stored.events];
}
