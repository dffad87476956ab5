import { describe, expect, it } from 'vitest';
import { parseCommand, type Command } from '../../contract/commands';
import { eventSchema, type DomainEvent } from '../../contract/events';
import { asTicketId, asUserId } from '../../contract/ids';
import { ticketSchema, type Ticket } from '../../contract/ticket';
import { applyEvent, applyEvents } from './apply';
import { decide, TICKET_LIMITS } from './decide';

const T0 = '2026-03-02T08:00:00.000Z';
const NOW = new Date('2026-03-02T09:00:00.000Z');
const SHA = 'c'.repeat(64);

function ev(input: Record<string, unknown>): DomainEvent {
  return eventSchema.parse({ ticketId: 't-1', at: T0, actorId: 'u-1', ...input });
}

const ticket = applyEvents(null, [
  ev({
    seq: 1,
    id: 'e-1',
    type: 'ticket.created',
    data: {
      version: 1,
      number: 'INC-2026-000001',
      kind: 'incident',
      title: 'Printer jam',
      description: '',
      channel: 'hotline',
      impact: 'medium',
      urgency: 'medium',
      priority: 'P3',
      category: null,
      module: null,
      customer: { org: null, contact: null, phone: null, email: null },
      groupId: null,
      assigneeId: null,
      majorIncident: false,
      receivedAt: T0,
      status: 'received',
    },
  }),
  ev({
    seq: 2,
    id: 'e-2',
    type: 'ticket.commented',
    data: { version: 2, commentId: 'c-1', body: 'see screenshot', internal: false },
  }),
]) as Ticket;

const agent = { id: asUserId('u-1'), roles: ['agent' as const], groupIds: [], displayName: 'A' };

function attachCommand(extra: Record<string, unknown> = {}): Command {
  const parsed = parseCommand({
    type: 'ticket.attachment.add',
    commandId: 'cmd-attach-1',
    ticketId: 't-1',
    attachmentId: 'att-1',
    name: '截图.png',
    contentType: 'image/png',
    size: 1234,
    sha256: SHA,
    ...extra,
  });
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.command;
}

const ctx = {
  actor: agent,
  now: NOW,
  newTicketId: asTicketId('t-new'),
  newTicketNumber: 'INC-2026-000002',
  newId: () => 'new-id',
};

describe('attachments in decide and the reducer', () => {
  it('adds the metadata and hash as a versioned ticket event; the reducer lists it', () => {
    const result = decide(ticket, attachCommand({ logEntryId: 'c-1' }), ctx);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.events).toHaveLength(1);
    const [pending] = result.events;
    expect(pending).toMatchObject({
      type: 'ticket.attachmentAdded',
      data: { version: 3, attachmentId: 'att-1', sha256: SHA, size: 1234, logEntryId: 'c-1' },
    });
    const next = applyEvent(ticket, { ...pending, seq: 3, id: 'e-3' } as DomainEvent);
    expect(ticketSchema.safeParse(next).success).toBe(true);
    expect(next.version).toBe(3);
    expect(next.attachments).toEqual([
      {
        id: 'att-1',
        name: '截图.png',
        contentType: 'image/png',
        size: 1234,
        sha256: SHA,
        logEntryId: 'c-1',
        at: NOW.toISOString(),
        actorId: 'u-1',
      },
    ]);
    // The same attachment again changes nothing.
    const again = decide(next, attachCommand(), ctx);
    expect(again).toEqual({ ok: true, events: [] });
  });

  it('refuses an entry that is not on the ticket, and a full list', () => {
    const missing = decide(ticket, attachCommand({ logEntryId: 'nope' }), ctx);
    expect(missing.ok).toBe(false);
    expect(!missing.ok && missing.error.fields?.[0]?.path).toBe('logEntryId');
    const full: Ticket = {
      ...ticket,
      attachments: Array.from({ length: TICKET_LIMITS.attachments }, (_, i) => ({
        id: `a-${i}` as never,
        name: 'x',
        contentType: 'text/plain',
        size: 1,
        sha256: SHA,
        logEntryId: null,
        at: T0,
        actorId: null,
      })),
    };
    const refused = decide(full, attachCommand(), ctx);
    expect(!refused.ok && refused.error.code).toBe('conflict');
  });

  it('refuses a wallboard and an unparseable digest', () => {
    const board = { ...agent, roles: ['wallboard' as const] };
    expect(decide(ticket, attachCommand(), { ...ctx, actor: board }).ok).toBe(false);
    expect(parseCommand({ ...attachCommand(), sha256: 'ABC' }).ok).toBe(false);
    expect(parseCommand({ ...attachCommand(), name: '../etc/passwd' }).ok).toBe(false);
  });

  it('attachment.purged marks the file gone without a new version', () => {
    const added = applyEvent(
      ticket,
      ev({
        seq: 3,
        id: 'e-3',
        type: 'ticket.attachmentAdded',
        data: {
          version: 3,
          attachmentId: 'att-1',
          name: 'a.png',
          contentType: 'image/png',
          size: 1,
          sha256: SHA,
          logEntryId: null,
        },
      }),
    );
    const purged = applyEvent(
      added,
      ev({
        seq: 4,
        id: 'e-4',
        type: 'attachment.purged',
        at: '2031-03-03T00:00:00.000Z',
        actorId: null,
        data: {
          attachmentId: 'att-1',
          sha256: SHA,
          reason: 'retention',
          retainUntil: '2031-03-02T08:00:00.000Z',
        },
      }),
    );
    expect(purged.version).toBe(added.version);
    expect(purged.updatedAt).toBe(added.updatedAt);
    expect(purged.lastSeq).toBe(4);
    expect(purged.attachments?.[0]?.purgedAt).toBe('2031-03-03T00:00:00.000Z');
  });
});
