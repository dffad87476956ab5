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
    // An empty customer still writes its row (a link that cleared the customer empties it).
    if (body.trim() === '' && source !== 'customer') return;
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
    case 'ticket.customerLinked':
      // The customer as it reads after the link (the records' names and phone): replaces the
      // ticket's customer text, so the caller's phone and organisation find the ticket.
      add('customer', '', customerText(d.customer));
      break;
    default:
      break;
  }
  return out;
}

/** A customer record's weight per text: its name first, then how it is reached. */
const RECORD_BOOST = { name: 3, details: 2, profile: 1 } as const;

/**
 * The texts of an organisation or contact record (`*.created` / `*.updated` carry the whole
 * record, so a change rewrites them): its name, how it is reached (a contact's phone, e-mail and
 * role) and, for an organisation, its profile (business type, contract, core needs, special
 * concerns). Customer records are staff texts (devices read no customer).
 */
function recordDocuments(e: StoredEvent, kind: 'organisation' | 'contact'): SearchDocument[] {
  const d = (e.data ?? {}) as Data;
  const id = text(d.id);
  if (!id) return [];
  const texts: Record<keyof typeof RECORD_BOOST, string> =
    kind === 'organisation'
      ? {
          name: text(d.name),
          details: '',
          profile: joinTexts(d.businessType, d.contract, d.coreNeeds, d.specialConcerns),
        }
      : { name: text(d.name), details: joinTexts(d.phone, d.email, d.role), profile: '' };
  return (Object.keys(texts) as Array<keyof typeof RECORD_BOOST>).map((source) => ({
    key: `${kind}:${id}:${source}`,
    kind,
    refId: id,
    source,
    audience: SearchAudience.staff,
    body: texts[source].slice(0, MAX_BODY_CHARS),
    boost: RECORD_BOOST[source],
    at: e.at,
    seq: e.seq,
  }));
}

/** What a batch of committed events does to the index: texts to write, records to drop. */
export interface IndexChanges {
  /** Documents to write (an empty body removes the row of its key). */
  save: SearchDocument[];
  /** Records whose every document goes (a deleted organisation or contact). */
  drop: Array<{ kind: SearchKind; refId: string }>;
}

/** The documents a batch of committed events adds, replaces or drops, in event order. */
export function documentsOf(events: readonly StoredEvent[]): IndexChanges {
  const changes: IndexChanges = { save: [], drop: [] };
  for (const e of events) {
    if (e.type.startsWith('ticket.')) changes.save.push(...ticketDocuments(e));
    else if (e.type === 'organisation.created' || e.type === 'organisation.updated')
      changes.save.push(...recordDocuments(e, 'organisation'));
    else if (e.type === 'contact.created' || e.type === 'contact.updated')
      changes.save.push(...recordDocuments(e, 'contact'));
    else if (e.type === 'organisation.deleted' || e.type === 'contact.deleted') {
      const refId = text((e.data as Data | null)?.id);
      const kind = e.type === 'organisation.deleted' ? 'organisation' : 'contact';
      if (refId) {
        changes.save = changes.save.filter((d) => d.kind !== kind || d.refId !== refId);
        changes.drop.push({ kind, refId });
      }
    }
  }
  return changes;
}
