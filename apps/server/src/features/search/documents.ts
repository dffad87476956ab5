import type { Customer, SearchKind } from '@dutydesk/shared';
import type { StoredEvent } from '../events';
import { SearchAudience } from '../../realtime/visibility';

/** One searchable text: a row of `search_documents`, made from one event. */
export interface SearchDocument {
  /** Stable per text, so projecting an event twice writes the same row. */
  key: string;
  kind: SearchKind;
  /** The ticket's, organisation's or contact's id. */
  refId: string;
  /** Which text of the record: `number`, `title`, `description`, `customer`, `comment`, … */
  source: string;
  audience: SearchAudience;
  body: string;
  /** How much a match in this text weighs in the ranking (a number or title more than a comment). */
  boost: number;
  at: string;
  seq: number;
}

/** Texts longer than this are indexed by their first characters (the caps are 20 000). */
const MAX_BODY_CHARS = 20_000;

/** A ticket text's weight and audience, by source. */
const TICKET_SOURCES = {
  number: { boost: 4, audience: SearchAudience.summary },
  title: { boost: 3, audience: SearchAudience.summary },
  customer: { boost: 2, audience: SearchAudience.staff },
  description: { boost: 1.5, audience: SearchAudience.staff },
  resolution: { boost: 1.5, audience: SearchAudience.staff },
  comment: { boost: 1, audience: SearchAudience.staff },
  execution: { boost: 1, audience: SearchAudience.staff },
  supervision: { boost: 1, audience: SearchAudience.staff },
  contact: { boost: 1, audience: SearchAudience.staff },
  milestone: { boost: 1, audience: SearchAudience.staff },
  note: { boost: 0.8, audience: SearchAudience.staff },
} as const satisfies Record<string, { boost: number; audience: SearchAudience }>;
type TicketSource = keyof typeof TICKET_SOURCES;

type Data = Record<string, unknown>;

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function joinTexts(...parts: unknown[]): string {
  return parts
    .map(text)
    .filter((p) => p.trim() !== '')
    .join('\n');
}

/** The free-text customer of a ticket as one searchable line. */
function customerText(customer: unknown): string {
  const c = (customer ?? {}) as Partial<Customer>;
  return [c.org, c.contact, c.phone, c.email].map(text).filter(Boolean).join(' · ');
}

/**
 * The texts one ticket event adds to the index (none for most events: assignments, status
 * changes and SLA events change what filters read, which is the ticket row, not the texts).
 * Every text lives in exactly one event, so an event's documents never change later.
 */
function ticketDocuments(e: StoredEvent): SearchDocument[] {
  const ticketId = e.ticketId;
  if (!ticketId) return [];
  const d = (e.data ?? {}) as Data;
  const out: SearchDocument[] = [];
  const add = (source: TicketSource, entry: string, body: string, internal = false): void => {
    if (body.trim() === '') return;
    const { boost, audience } = TICKET_SOURCES[source];
    out.push({
      key: `ticket:${ticketId}:${source}:${entry}`,
      kind: 'ticket',
      refId: ticketId,
      source,
      audience: internal ? SearchAudience.internal : audience,
      body: body.slice(0, MAX_BODY_CHARS),
      boost,
      at: e.at,
      seq: e.seq,
    });
  };
  switch (e.type) {
    case 'ticket.created':
      add('number', text(d.number), text(d.number));
      add('title', '', text(d.title));
      add('description', '', text(d.description));
      add('customer', '', customerText(d.customer));
      break;
    case 'ticket.classified':
      // A new kind's number; the earlier one stays a document (found by its alias).
      if (typeof d.number === 'string') add('number', d.number, d.number);
      break;
    case 'ticket.commented':
      add('comment', text(d.commentId), text(d.body), d.internal === true);
      break;
    case 'ticket.executionLogged':
      add('execution', text(d.entryId), joinTexts(d.work, d.problems));
      break;
    case 'ticket.supervisionLogged':
      add('supervision', text(d.entryId), joinTexts(d.attitude, d.professionalism, d.feedback));
      break;
    case 'ticket.resolved':
      add('resolution', e.id, joinTexts(d.code, d.summary));
      break;
    case 'ticket.contactRecorded':
      add('contact', text(d.contactId), text(d.summary));
      break;
    case 'ticket.milestoneAdded':
      add('milestone', text(d.milestoneId), text(d.title));
      break;
    case 'ticket.pended':
    case 'ticket.resumed':
    case 'ticket.followedUp':
      add('note', e.id, text(d.note));
      break;
    case 'ticket.reopened':
      add('note', e.id, text(d.reason));
      break;
    default:
      break;
  }
  return out;
}

/** The documents a batch of committed events adds or replaces, in event order. */
export function documentsOf(events: readonly StoredEvent[]): SearchDocument[] {
  return events.flatMap((e) => (e.type.startsWith('ticket.') ? ticketDocuments(e) : []));
}
